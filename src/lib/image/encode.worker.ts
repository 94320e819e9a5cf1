// Decodes, orients, resizes and re-encodes images off the main thread. Re-encoding through a
// canvas also drops EXIF and GPS metadata, which must never reach the model's server.
import { exposeWorkerApi } from '../worker/protocol.ts';
import { explainUnreadable, mimeOf, sniffImage, type SniffedKind } from './sniff.ts';
import { sha256HexOfBlob } from './hash.ts';
import { blobSource, explainTooLarge, readPixelSize } from './pixel-size.ts';
import { areaAverage } from './resample.ts';
import { fitWithin, padToMinimum } from './sizing.ts';
import type { EncodedImage, InspectedImage } from './types.ts';

const THUMBNAIL_SIDE = 320;
/** The detail view shows this instead of the original: a 100 MP photo would decode to 400 MB there. */
const PREVIEW_SIDE = 1600;
const JPEG_QUALITY = 0.92;

async function decode(blob: Blob): Promise<{ bitmap: ImageBitmap; kind: SniffedKind }> {
  const head = new Uint8Array(await blob.slice(0, 64).arrayBuffer());
  const kind = sniffImage(head);
  const problem = explainUnreadable(kind, blob.size);
  if (problem) throw unreadable(problem);
  // Refuse a huge image on its header, before decoding spends the memory (4 bytes a pixel).
  const size = await readPixelSize(kind, blobSource(blob));
  // AVIF's size sits in a box the head may not reach; only then may decoding find it out.
  if (!size && kind !== 'avif') throw unreadable(`This ${kind.toUpperCase()} file is damaged or cut short: its header does not say how large the image is.`);
  const tooLarge = size && explainTooLarge(size);
  if (tooLarge) throw unreadable(tooLarge);
  try {
    // Ollama does not apply EXIF orientation: rotate here so phone photos arrive upright.
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const decodedTooLarge = explainTooLarge(bitmap);
    if (decodedTooLarge) {
      bitmap.close();
      throw unreadable(decodedTooLarge);
    }
    return { bitmap, kind };
  } catch (error) {
    if (error instanceof Error && error.name === 'UnreadableImageError') throw error;
    throw unreadable(`This ${kind.toUpperCase()} file could not be decoded: it may be corrupt, truncated or too large.`);
  }
}

function unreadable(message: string): Error {
  const error = new Error(message);
  error.name = 'UnreadableImageError';
  return error;
}

/** Flatten onto white (transparent pixels would turn black in JPEG and in many runners). */
function flatten(bitmap: ImageBitmap): OffscreenCanvas {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0);
  return canvas;
}

/** Fit within maxSide by exact area averaging, so small print stays legible; never upscales. */
function resize(source: OffscreenCanvas, maxSide: number): OffscreenCanvas {
  const { width, height } = fitWithin(source.width, source.height, maxSide);
  if (width === source.width && height === source.height) return source;
  const { width: sourceWidth, height: sourceHeight } = source;
  const pixels = (source.getContext('2d') as OffscreenCanvasRenderingContext2D).getImageData(0, 0, sourceWidth, sourceHeight);
  // The pixels are copied out: free the full-size canvas now (400 MB for a 100 MP photo).
  source.width = 0;
  source.height = 0;
  const resized = areaAverage(pixels.data, sourceWidth, sourceHeight, width, height);
  const canvas = new OffscreenCanvas(width, height);
  (canvas.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(new ImageData(resized, width, height), 0, 0);
  return canvas;
}

/** Pad images under MIN_SIDE with white, centred: Qwen-VL runners crash on tiny sides. */
function pad(source: OffscreenCanvas): OffscreenCanvas {
  const { width, height } = padToMinimum(source.width, source.height);
  if (width === source.width && height === source.height) return source;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(source, Math.floor((width - source.width) / 2), Math.floor((height - source.height) / 2));
  return canvas;
}

async function downscaleToJpeg(bitmap: ImageBitmap, side: number, quality: number): Promise<Blob> {
  const { width, height } = fitWithin(bitmap.width, bitmap.height, side);
  const small = await createImageBitmap(bitmap, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  const blob = await flatten(small).convertToBlob({ type: 'image/jpeg', quality });
  small.close();
  return blob;
}

async function toBase64Bytes(blob: Blob): Promise<Uint8Array> {
  // FileReader encodes natively; the string becomes ASCII bytes so it can be transferred.
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The encoded image could not be read'));
    reader.readAsDataURL(blob);
  });
  return new TextEncoder().encode(dataUrl.slice(dataUrl.indexOf(',') + 1));
}

const api = {
  /** Hash, size and thumbnail of a dropped file; throws UnreadableImageError for non-images. */
  async inspect(blob: Blob): Promise<InspectedImage> {
    const { bitmap, kind } = await decode(blob);
    const sha256 = await sha256HexOfBlob(blob);
    // Thumbnails and previews need no careful filter: one browser resize is fast and good enough.
    const thumbnail = await downscaleToJpeg(bitmap, THUMBNAIL_SIDE, 0.8);
    const isLarge = Math.max(bitmap.width, bitmap.height) > PREVIEW_SIDE;
    const preview = isLarge ? await downscaleToJpeg(bitmap, PREVIEW_SIDE, 0.85) : undefined;
    const result: InspectedImage = { sha256, type: mimeOf(kind), width: bitmap.width, height: bitmap.height, thumbnail, preview };
    bitmap.close();
    return result;
  },

  /** The image as the model gets it: upright, at most maxSide px, JPEG or PNG, as base64 bytes. */
  async encode(blob: Blob, maxSide: number): Promise<EncodedImage> {
    const { bitmap, kind } = await decode(blob);
    const flat = flatten(bitmap);
    // The decoded bitmap is not needed once drawn: release it before resizing allocates more.
    bitmap.close();
    const canvas = pad(resize(flat, maxSide));
    // Photos stay JPEG; screenshots and drawings (PNG, GIF, WebP…) become PNG so text edges stay crisp.
    const type = kind === 'jpeg' ? 'image/jpeg' : 'image/png';
    const encoded = await canvas.convertToBlob({ type, quality: JPEG_QUALITY });
    const result: EncodedImage = { blob: encoded, base64: await toBase64Bytes(encoded), type, width: canvas.width, height: canvas.height };
    return result;
  },
};

/** The worker's API, for the bridge's types. */
export type EncodeWorkerApi = typeof api;

exposeWorkerApi(self, api);
