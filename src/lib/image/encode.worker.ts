// Identifies, decodes, orients, resizes and re-encodes images off the main thread. Re-encoding
// through a canvas also drops EXIF and GPS metadata, which must never reach the model's server.
import { exposeWorkerApi } from '../worker/protocol.ts';
import { explainUnreadable, mimeOf, sniffImage, type SniffedKind } from './sniff.ts';
import { sha256Hex, sha256HexOfBlob } from './hash.ts';
import { blobSource, bytesSource, explainTooLarge, readPixelSize, type ByteSource, type PixelSize } from './pixel-size.ts';
import { PREVIEW_SIDE, fitWithin, padToMinimum } from './sizing.ts';
import { resizeRows, resizeWhole } from './tile-resize.ts';
import { planTiles, type TilePlan } from './tiling.ts';
import { decodeScaledJpeg } from './jpeg-decode.ts';
import { SCALE_STEPS, chooseJpegScale, sizesNeeded, storedSizesNeeded } from './jpeg-scale.ts';
import type { DecodedViews, EncodedTile, IdentifyOutcome, WorkerEncodedImage } from './types.ts';

const THUMBNAIL_SIDE = 320;
const JPEG_QUALITY = 0.92;
/** Files identified at the same time within one batch. */
const IDENTIFY_AT_ONCE = 8;
/**
 * Files up to this size are read once, whole, and sniffed, measured and hashed from those bytes:
 * each Blob read is a round trip to the browser, and a JPEG's header walk alone takes several.
 */
const READ_WHOLE_BYTES = 1024 * 1024;

/** Views still being made after their image was handed over, by the token encode gave out. */
const pendingViews = new Map<number, Promise<DecodedViews>>();
let nextViewsToken = 1;

class UnreadableError extends Error {
  override readonly name: string = 'UnreadableImageError';
}

/** Not an image at all (a PDF, a text file…): intake sums these up instead of listing each. */
class NotAnImageError extends UnreadableError {
  override readonly name = 'NotAnImageError';

  constructor(message: string, readonly kind: SniffedKind) {
    super(message);
  }
}

/** What the file is and how large its header says it is; throws for files that cannot be read. */
async function checkHeader(source: ByteSource): Promise<{ kind: SniffedKind; size: PixelSize | undefined }> {
  const head = await source.read(0, 64);
  const kind = sniffImage(head);
  const problem = explainUnreadable(kind, source.size);
  if (problem) throw source.size > 0 && (kind === 'unknown' || kind === 'pdf') ? new NotAnImageError(problem, kind) : new UnreadableError(problem);
  // Refuse a huge image on its header, before decoding spends the memory (4 bytes a pixel).
  const size = await readPixelSize(kind, source);
  // AVIF's size sits in a box the head may not reach; only then may decoding find it out.
  if (!size && kind !== 'avif') throw new UnreadableError(`This ${kind.toUpperCase()} file is damaged or cut short: its header does not say how large the image is.`);
  const tooLarge = size && explainTooLarge(size);
  if (tooLarge) throw new UnreadableError(tooLarge);
  return { kind, size };
}

/** What a decode is for: the sent image fitted within maxSide (or its tiles, with canTile), and the views. */
interface Outputs {
  maxSide: number;
  canTile: boolean;
}

/** A decoded image: its bitmap (upright, maybe a scaled decode) and the original's upright size. */
interface Decoded {
  bitmap: ImageBitmap;
  kind: SniffedKind;
  size: PixelSize;
}

/**
 * A JPEG decoded at the smallest DCT scale every output can be made from, or undefined when only a
 * full decode will do (or the scaled one failed: the full decode then says why, as it always has).
 */
async function decodeSmallJpeg(blob: Blob, stored: PixelSize, { maxSide, canTile }: Outputs): Promise<{ bitmap: ImageBitmap; size: PixelSize } | undefined> {
  const numerator = chooseJpegScale(stored, storedSizesNeeded(stored, maxSide, canTile));
  if (numerator === SCALE_STEPS) return undefined;
  const scaled = await decodeScaledJpeg(blob, stored, numerator).catch(() => undefined);
  if (!scaled) return undefined;
  const { bitmap, isTurned } = scaled;
  const size = isTurned ? { width: stored.height, height: stored.width } : stored;
  // A decoder that gave less than asked would make outputs upscale: decode in full instead.
  if (sizesNeeded(size, maxSide, canTile).every((need) => bitmap.width >= need.width && bitmap.height >= need.height)) return { bitmap, size };
  bitmap.close();
  return undefined;
}

async function decode(blob: Blob, outputs: Outputs): Promise<Decoded> {
  const { kind, size: stored } = await checkHeader(blobSource(blob));
  const small = kind === 'jpeg' && stored ? await decodeSmallJpeg(blob, stored, outputs) : undefined;
  if (small) return { ...small, kind };
  try {
    // Ollama does not apply EXIF orientation: rotate here so phone photos arrive upright.
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const decodedTooLarge = explainTooLarge(bitmap);
    if (decodedTooLarge) {
      bitmap.close();
      throw new UnreadableError(decodedTooLarge);
    }
    return { bitmap, kind, size: { width: bitmap.width, height: bitmap.height } };
  } catch (error) {
    if (error instanceof UnreadableError) throw error;
    throw new UnreadableError(`This ${kind.toUpperCase()} file could not be decoded: it may be corrupt, truncated or too large.`);
  }
}

function context2d(canvas: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  return canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
}

/** Draw onto white (transparent pixels would turn black in JPEG and in many runners). */
function flatten(bitmap: ImageBitmap): OffscreenCanvas {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = context2d(canvas);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0);
  return canvas;
}

/**
 * Fit within maxSide by exact area averaging, so small print stays legible; never upscales. The
 * bitmap is read a band of rows at a time, so no full-size copy of it is ever made.
 */
async function resize(bitmap: ImageBitmap, size: PixelSize, maxSide: number): Promise<OffscreenCanvas> {
  const { width, height } = fitWithin(size.width, size.height, maxSide);
  if (width === bitmap.width && height === bitmap.height) return flatten(bitmap);
  return resizeWhole(bitmap, width, height);
}

/** Pad images under MIN_SIDE with white, centred: Qwen-VL runners crash on tiny sides. */
function pad(source: OffscreenCanvas): OffscreenCanvas {
  const { width, height } = padToMinimum(source.width, source.height);
  if (width === source.width && height === source.height) return source;
  const canvas = new OffscreenCanvas(width, height);
  const context = context2d(canvas);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(source, Math.floor((width - source.width) / 2), Math.floor((height - source.height) / 2));
  return canvas;
}

async function downscaleToJpeg(bitmap: ImageBitmap, size: PixelSize, side: number, quality: number): Promise<Blob> {
  const { width, height } = fitWithin(size.width, size.height, side);
  const small = await createImageBitmap(bitmap, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  const blob = await flatten(small).convertToBlob({ type: 'image/jpeg', quality });
  small.close();
  return blob;
}

/** Thumbnail, preview and upright size of a decoded image of the given upright size. */
async function makeViewsOf(bitmap: ImageBitmap, size: PixelSize): Promise<DecodedViews> {
  // Thumbnails and previews need no careful filter: one browser resize is fast and good enough.
  const thumbnail = await downscaleToJpeg(bitmap, size, THUMBNAIL_SIDE, 0.8);
  const isLarge = Math.max(size.width, size.height) > PREVIEW_SIDE;
  const preview = isLarge ? await downscaleToJpeg(bitmap, size, PREVIEW_SIDE, 0.85) : undefined;
  return { width: size.width, height: size.height, thumbnail, preview };
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

/** Resolves in a later task, once the current result has been posted to the page. */
const afterThisTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Make the bitmap's views after it is handed over, and close it then; returns their token. */
function keepViews(bitmap: ImageBitmap, size: PixelSize): number {
  const viewsToken = nextViewsToken++;
  // Begun after this result is posted, so the request never waits for the views.
  const views = afterThisTask().then(() => makeViewsOf(bitmap, size)).finally(() => bitmap.close());
  views.catch(() => {});
  pendingViews.set(viewsToken, views);
  return viewsToken;
}

/** A long image as tiles (lib/image/tiling.ts), each cut, scaled and encoded in turn, so one tile's pixels exist at a time. */
async function encodeTiles({ bitmap, size }: Decoded, plan: TilePlan, type: EncodedTile['type'], withViews: boolean): Promise<WorkerEncodedImage> {
  const tiles: EncodedTile[] = [];
  // The plan is in the original's rows; a scaled decode has fewer (never fewer than a tile needs).
  const rowScale = bitmap.height / size.height;
  try {
    for (const { top, bottom } of plan.tiles) {
      const from = Math.floor(top * rowScale);
      const to = Math.min(bitmap.height, Math.max(Math.ceil(bottom * rowScale), from + plan.height));
      const canvas = pad(await resizeRows(bitmap, from, to - from, plan.width, plan.height));
      const blob = await canvas.convertToBlob({ type, quality: JPEG_QUALITY });
      tiles.push({ blob, base64: await toBase64Bytes(blob), type, width: canvas.width, height: canvas.height, top, bottom });
    }
  } catch (error) {
    bitmap.close();
    throw error;
  }
  const viewsToken = withViews ? keepViews(bitmap, size) : (bitmap.close(), undefined);
  const { blob, base64, width, height } = tiles[0] as EncodedTile;
  return { blob, base64, type, width, height, tiles, viewsToken };
}

async function identifyOne(blob: Blob): Promise<IdentifyOutcome> {
  try {
    const bytes = blob.size <= READ_WHOLE_BYTES ? new Uint8Array(await blob.arrayBuffer()) : undefined;
    const { kind, size } = await checkHeader(bytes ? bytesSource(bytes) : blobSource(blob));
    const sha256 = bytes ? await sha256Hex(bytes) : await sha256HexOfBlob(blob);
    return { isImage: true, image: { sha256, type: mimeOf(kind), width: size?.width ?? 0, height: size?.height ?? 0 } };
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    // A PDF, whatever its name, goes to the PDF reader (state/pdf-intake); where there is none, it
    // is summed up with the other files that are not images.
    if (error instanceof NotAnImageError && error.kind === 'pdf') return { isImage: false, reason: error.message, isNotImage: true, document: 'pdf' };
    return { isImage: false, reason: error.message, isNotImage: error instanceof NotAnImageError };
  }
}

const api = {
  /** Identity (SHA-256), type and header size of each file, with no decode; refusals are per file. */
  async identify(blobs: Blob[]): Promise<IdentifyOutcome[]> {
    // Several files at once: each waits mostly on Blob reads, not on the CPU. A few, not all, so a
    // batch of large photos (hashed whole up to 16 MB each) stays within a few hundred MB.
    const out: IdentifyOutcome[] = new Array(blobs.length);
    let next = 0;
    const readNext = async (): Promise<void> => {
      for (let i = next++; i < blobs.length; i = next++) out[i] = await identifyOne(blobs[i] as Blob);
    };
    await Promise.all(Array.from({ length: Math.min(IDENTIFY_AT_ONCE, blobs.length) }, readNext));
    return out;
  },

  /** Thumbnail, preview and upright size of an image no job has decoded yet. */
  async makeViews(blob: Blob): Promise<DecodedViews> {
    const { bitmap, size } = await decode(blob, { maxSide: THUMBNAIL_SIDE, canTile: false });
    try {
      return await makeViewsOf(bitmap, size);
    } finally {
      bitmap.close();
    }
  },

  /**
   * The image as the model gets it: upright, at most maxSide px, JPEG or PNG, as base64 bytes.
   * With `withViews`, its thumbnail and preview are made from the same decode after it is handed
   * over (so its request need not wait); takeViews(viewsToken) returns them. With `canTile`, a long
   * image whose text fitting would shrink past reading comes back in tiles (lib/image/tiling.ts).
   */
  async encode(blob: Blob, maxSide: number, withViews: boolean, canTile = false): Promise<WorkerEncodedImage> {
    const decoded = await decode(blob, { maxSide, canTile });
    const { bitmap, kind, size } = decoded;
    // Photos stay JPEG; screenshots and drawings (PNG, GIF, WebP…) become PNG so text edges stay crisp.
    const type = kind === 'jpeg' ? 'image/jpeg' : 'image/png';
    const plan = canTile ? planTiles(size.width, size.height, maxSide) : undefined;
    if (plan) return encodeTiles(decoded, plan, type, withViews);
    let encoded: Blob;
    let base64: Uint8Array;
    let canvas: OffscreenCanvas;
    try {
      canvas = pad(await resize(bitmap, size, maxSide));
      encoded = await canvas.convertToBlob({ type, quality: JPEG_QUALITY });
      base64 = await toBase64Bytes(encoded);
    } catch (error) {
      bitmap.close();
      throw error;
    }
    const viewsToken = withViews ? keepViews(bitmap, size) : (bitmap.close(), undefined);
    return { blob: encoded, base64, type, width: canvas.width, height: canvas.height, viewsToken };
  },

  /** The views an encode with `withViews` is making (each can be taken once). */
  async takeViews(viewsToken: number): Promise<DecodedViews> {
    const views = pendingViews.get(viewsToken);
    pendingViews.delete(viewsToken);
    if (!views) throw new Error('These views were already taken or never made.');
    return views;
  },
};

/** The worker's API, for the bridge's types. */
export type EncodeWorkerApi = typeof api;

exposeWorkerApi(self, api);
