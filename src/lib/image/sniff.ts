// Recognise a file by its first bytes, not its name: a PDF renamed to .jpg must be told apart
// from a JPEG before anything tries to decode it.

/** What the first bytes of a file say it is. */
export type SniffedKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'tiff' | 'pdf' | 'svg' | 'unknown';

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** Identify a file from (at least) its first 64 bytes. */
export function sniffImage(head: Uint8Array): SniffedKind {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  if (ascii(head, 0, 4) === '%PDF') return 'pdf';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  const text = ascii(head, 0, Math.min(head.length, 64)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('svg'))) return 'svg';
  return 'unknown';
}

/** MIME type for a sniffed kind. */
export function mimeOf(kind: SniffedKind): string {
  const types: Record<SniffedKind, string> = {
    jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp',
    avif: 'image/avif', heic: 'image/heic', tiff: 'image/tiff', pdf: 'application/pdf',
    svg: 'image/svg+xml', unknown: 'application/octet-stream',
  };
  return types[kind];
}

/** Why a file cannot be read as an image, in words a user can act on; undefined when it may be decodable. */
export function explainUnreadable(kind: SniffedKind, size: number): string | undefined {
  if (size === 0) return 'This file is empty (0 bytes).';
  switch (kind) {
    case 'pdf':
      return 'This is a PDF document, not an image. Export its pages as PNG or JPEG and drop those.';
    case 'heic':
      return 'HEIC/HEIF photos cannot be decoded by this browser. Convert it to JPEG first (on a Mac: open in Preview → Export → JPEG).';
    case 'tiff':
      return 'TIFF images cannot be decoded by this browser. Convert it to PNG or JPEG first.';
    case 'svg':
      return 'SVG is a vector drawing, not a photo. Export it as PNG first.';
    case 'unknown':
      return 'This file is not an image Lenscribe can read (JPEG, PNG, WebP, GIF, BMP or AVIF).';
    default:
      return undefined;
  }
}
