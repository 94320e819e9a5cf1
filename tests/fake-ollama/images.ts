// Image sniffing: Ollama's runners decode images with Go's image.Decode, which knows a format by
// its magic bytes. Only JPEG and PNG are safe everywhere; others fail with "image: unknown format".

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'unknown';

/** What the fake learned about one decoded image (handy for replies and assertions). */
export interface FakeImageInfo {
  /** 0-based position among all images of the request. */
  index: number;
  format: ImageFormat;
  byteLength: number;
  width?: number;
  height?: number;
  bytes: Buffer;
}

function sniffFormat(b: Buffer): ImageFormat {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return 'unknown';
}

/** Width and height from the JPEG SOFn segment, walking the marker segments. */
function jpegSize(b: Buffer): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return undefined;
}

export function sniffImage(bytes: Buffer, index: number): FakeImageInfo {
  const format = sniffFormat(bytes);
  const info: FakeImageInfo = { index, format, byteLength: bytes.length, bytes };
  if (format === 'png' && bytes.length >= 24) {
    info.width = bytes.readUInt32BE(16);
    info.height = bytes.readUInt32BE(20);
  } else if (format === 'jpeg') {
    Object.assign(info, jpegSize(bytes));
  } else if (format === 'gif' && bytes.length >= 10) {
    info.width = bytes.readUInt16LE(6);
    info.height = bytes.readUInt16LE(8);
  }
  return info;
}

/** "PNG 640×480, 1234 bytes" — used in the default reply so tests can tell images apart. */
export function describeImage(info: FakeImageInfo): string {
  const size = info.width !== undefined && info.height !== undefined ? ` ${info.width}×${info.height}` : '';
  return `${info.format.toUpperCase()}${size}, ${info.byteLength} bytes`;
}
