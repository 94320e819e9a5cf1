// An image's pixel size read from its header, before anything decodes it: a 20,000 × 20,000 PNG
// is a megabyte or two on disk but 1.6 GB once decoded, so it is refused on its header alone.
import type { SniffedKind } from './sniff.ts';

/** Width and height in pixels. */
export interface PixelSize {
  width: number;
  height: number;
}

/** Random access to a file's bytes (a Blob in the worker, an array in tests). */
export interface ByteSource {
  size: number;
  /** Bytes from start up to end (fewer at the end of the file). */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Most pixels an image may have: a decoded copy takes 4 bytes a pixel, and the worker needs two. */
export const MAX_PIXELS = 200_000_000;
/** Longest side a canvas takes in Chromium; larger images cannot be drawn to be resized. */
export const MAX_SIDE = 32_767;

// A JPEG's SOF comes after its APPn segments (EXIF, ICC, XMP, each up to 64 KB); a real one has
// a few dozen at most, so a file with more is not walked further.
const MAX_JPEG_SEGMENTS = 2_000;
const HEAD_BYTES = 64 * 1024;

/** A ByteSource over a Blob, reading only the slices asked for. */
export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()) };
}

/** A ByteSource over bytes already read (a small file read whole once). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (start, end) => bytes.subarray(start, end) };
}

/** The image's size from its header; undefined when the header is cut short or does not say. */
export async function readPixelSize(kind: SniffedKind, source: ByteSource): Promise<PixelSize | undefined> {
  if (kind === 'jpeg') return readJpegSize(source);
  const head = await source.read(0, HEAD_BYTES);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const has = (bytes: number) => head.byteLength >= bytes;
  const size = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
  switch (kind) {
    case 'png':
      // The signature (8 bytes), then IHDR first: length, "IHDR", width, height (big-endian).
      return has(24) && ascii(head, 12, 16) === 'IHDR' ? size(view.getUint32(16), view.getUint32(20)) : undefined;
    case 'gif':
      return has(10) ? size(view.getUint16(6, true), view.getUint16(8, true)) : undefined;
    case 'bmp':
      return readBmpSize(view, size);
    case 'webp':
      return readWebpSize(head, view, size);
    case 'avif':
      return readAvifSize(view);
    default:
      return undefined;
  }
}

/** Why an image of this size is refused, in words a user can act on; undefined when it is fine. */
export function explainTooLarge({ width, height }: PixelSize): string | undefined {
  const megapixels = (width * height) / 1e6;
  const mp = megapixels >= 10 ? Math.round(megapixels).toLocaleString('en') : megapixels.toFixed(1);
  const dimensions = `${width}×${height}`;
  if (width * height > MAX_PIXELS) {
    return `This image is ${dimensions} (${mp} MP); Lenscribe reads images up to ${MAX_PIXELS / 1e6} MP. Shrink it first (for example to 10000 px on its longest side) and drop it again.`;
  }
  if (Math.max(width, height) > MAX_SIDE) {
    return `This image is ${dimensions}; Lenscribe reads images up to ${MAX_SIDE} px on a side. Shrink or split it first and drop it again.`;
  }
  return undefined;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

type MakeSize = (width: number, height: number) => PixelSize | undefined;

function readBmpSize(view: DataView, size: MakeSize): PixelSize | undefined {
  if (view.byteLength < 26) return undefined;
  // OS/2 BITMAPCOREHEADER (12 bytes) has 16-bit sides; every later header 32-bit, height negative
  // for top-down rows.
  if (view.getUint32(14, true) === 12) return size(view.getUint16(18, true), view.getUint16(20, true));
  return size(Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
}

function readWebpSize(head: Uint8Array, view: DataView, size: MakeSize): PixelSize | undefined {
  const chunk = ascii(head, 12, 16);
  if (chunk === 'VP8X' && view.byteLength >= 30) {
    // Extended format: the canvas size, 24-bit little-endian, minus one.
    const uint24 = (at: number) => view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16);
    return size(uint24(24) + 1, uint24(27) + 1);
  }
  if (chunk === 'VP8L' && view.byteLength >= 25 && view.getUint8(20) === 0x2f) {
    // Lossless: after the 0x2f signature, 14 bits of width - 1 and 14 bits of height - 1.
    const bits = view.getUint32(21, true);
    return size((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ' && view.byteLength >= 30 && view.getUint8(23) === 0x9d && view.getUint8(24) === 0x01 && view.getUint8(25) === 0x2a) {
    // Lossy: a key frame's start code, then 14-bit sides (the top two bits are a scale hint).
    return size(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  return undefined;
}

/** AVIF (ISO BMFF): the largest `ispe` property in meta → iprp → ipco, if the head holds it. */
function readAvifSize(view: DataView): PixelSize | undefined {
  const meta = findBox(view, 0, view.byteLength, 'meta');
  // meta is a full box: 4 bytes of version and flags before its children.
  const iprp = meta && findBox(view, meta.start + 4, meta.end, 'iprp');
  const ipco = iprp && findBox(view, iprp.start, iprp.end, 'ipco');
  if (!ipco) return undefined;
  let largest: PixelSize | undefined;
  for (let at = ipco.start; at + 20 <= ipco.end; ) {
    const box = readBoxHeader(view, at, ipco.end);
    if (!box) break;
    if (box.type === 'ispe' && box.end - box.start >= 12) {
      const width = view.getUint32(box.start + 4);
      const height = view.getUint32(box.start + 8);
      if (!largest || width * height > largest.width * largest.height) largest = { width, height };
    }
    at = box.end;
  }
  return largest && largest.width > 0 && largest.height > 0 ? largest : undefined;
}

interface Box {
  type: string;
  start: number;
  end: number;
}

function readBoxHeader(view: DataView, at: number, limit: number): Box | undefined {
  if (at + 8 > limit) return undefined;
  const size = view.getUint32(at);
  const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));
  // size 0 runs to the end; size 1 (64-bit) never occurs for the small boxes looked at here.
  const end = size === 0 ? limit : at + size;
  if (size === 1 || end > limit || end < at + 8) return undefined;
  return { type, start: at + 8, end };
}

function findBox(view: DataView, from: number, to: number, type: string): Box | undefined {
  for (let at = from; at < to; ) {
    const box = readBoxHeader(view, at, to);
    if (!box) return undefined;
    if (box.type === type) return box;
    at = box.end;
  }
  return undefined;
}

const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walk a JPEG's segments by their lengths (reading 10 bytes of each) to the first SOFn. */
async function readJpegSize(source: ByteSource): Promise<PixelSize | undefined> {
  let at = 2;
  for (let step = 0; step < MAX_JPEG_SEGMENTS && at + 4 <= source.size; step++) {
    const bytes = await source.read(at, at + 10);
    if (bytes.length < 2 || bytes[0] !== 0xff) return undefined;
    const marker = bytes[1]!;
    // Any number of 0xFF fill bytes may come before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    // Image data (SOS) or the end (EOI) before any frame header: nothing says the size.
    if (marker === 0xda || marker === 0xd9 || bytes.length < 4) return undefined;
    const length = (bytes[2]! << 8) | bytes[3]!;
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (bytes.length < 9 || length < 8) return undefined;
      const height = (bytes[5]! << 8) | bytes[6]!;
      const width = (bytes[7]! << 8) | bytes[8]!;
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}
