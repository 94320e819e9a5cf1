import { describe, expect, it } from 'vitest';
import { makeJpeg, makePng, TINY_GIF, withExif } from '../../../tests/fixtures/images.ts';
import { blobSource, bytesSource, explainTooLarge, readPixelSize, type ByteSource } from './pixel-size.ts';
import { sniffImage } from './sniff.ts';

/** A source that records how far into the file it was read. */
function sourceOf(bytes: Uint8Array) {
  const reads: [number, number][] = [];
  const source: ByteSource = {
    size: bytes.length,
    read: async (start, end) => {
      reads.push([start, end]);
      return bytes.slice(start, end);
    },
  };
  return { source, reads };
}

const sizeOf = (bytes: Uint8Array) => readPixelSize(sniffImage(bytes), sourceOf(bytes).source);

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** A JPEG segment: marker, big-endian length, payload. */
const segment = (marker: number, payload: Uint8Array) => concat(new Uint8Array([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload);
const sof = (marker: number, width: number, height: number) => segment(marker, new Uint8Array([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
const SOI = new Uint8Array([0xff, 0xd8]);

function riff(chunk: string, data: number[]): Uint8Array {
  const bytes = new Uint8Array(20 + data.length);
  const view = new DataView(bytes.buffer);
  bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  view.setUint32(4, 12 + data.length, true);
  bytes.set([...`WEBP${chunk}`].map((c) => c.charCodeAt(0)), 8);
  view.setUint32(16, data.length, true);
  bytes.set(data, 20);
  return bytes;
}

function box(type: string, ...children: Uint8Array[]): Uint8Array {
  const body = concat(...children);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, 8 + body.length);
  head.set([...type].map((c) => c.charCodeAt(0)), 4);
  return concat(head, body);
}

const uint32s = (...values: number[]) => {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(bytes.buffer).setUint32(i * 4, v));
  return bytes;
};

describe('readPixelSize', () => {
  it('reads real PNG and JPEG files, and a GIF', async () => {
    expect(await sizeOf(makePng(123, 45, () => [0, 0, 0]))).toEqual({ width: 123, height: 45 });
    expect(await sizeOf(makeJpeg(64, 32, () => [0, 0, 0]))).toEqual({ width: 64, height: 32 });
    expect(await sizeOf(TINY_GIF)).toEqual({ width: 1, height: 1 });
  });

  it('finds a JPEG frame header behind EXIF and after large APP segments, reading only headers', async () => {
    expect(await sizeOf(withExif(makeJpeg(40, 30, () => [9, 9, 9]), 6))).toEqual({ width: 40, height: 30 });
    // Two full 64 KB APP segments (EXIF with a thumbnail, an ICC profile) before SOF2, and fill bytes.
    const app1 = segment(0xe1, new Uint8Array(65_533).fill(0x45));
    const app2 = segment(0xe2, new Uint8Array(65_533).fill(0xff));
    const jpeg = concat(SOI, app1, app2, new Uint8Array([0xff, 0xff]), sof(0xc2, 20_000, 15_000), new Uint8Array(1_000_000));
    const { source, reads } = sourceOf(jpeg);
    expect(await readPixelSize('jpeg', source)).toEqual({ width: 20_000, height: 15_000 });
    expect(reads.reduce((n, [start, end]) => n + (end - start), 0)).toBeLessThan(100);
  });

  it('gives up on a JPEG cut short, or with image data before any frame header', async () => {
    const whole = concat(SOI, segment(0xe1, new Uint8Array(5000)), sof(0xc0, 640, 480));
    expect(await sizeOf(whole)).toEqual({ width: 640, height: 480 });
    expect(await sizeOf(whole.subarray(0, 3000))).toBeUndefined();
    expect(await sizeOf(whole.subarray(0, whole.length - 12))).toBeUndefined();
    expect(await sizeOf(concat(SOI, segment(0xda, new Uint8Array(10)), sof(0xc0, 640, 480)))).toBeUndefined();
    // DHT (C4) is not a frame header, though it sits among them.
    expect(await sizeOf(concat(SOI, segment(0xc4, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0])), sof(0xc1, 7, 5)))).toEqual({ width: 7, height: 5 });
  });

  it('gives up on a PNG cut short', async () => {
    const png = makePng(20_000, 1, () => [0, 0, 0]);
    expect(await sizeOf(png.subarray(0, 24))).toEqual({ width: 20_000, height: 1 });
    expect(await sizeOf(png.subarray(0, 20))).toBeUndefined();
  });

  it('reads all three kinds of WebP', async () => {
    expect(await sizeOf(riff('VP8X', [0, 0, 0, 0, 0x1f, 0x4e, 0, 0x3f, 0x9c, 0]))).toEqual({ width: 20_000, height: 40_000 });
    // 14 bits of width - 1 (99), then 14 bits of height - 1 (49).
    const bits = 99 | (49 << 14);
    expect(await sizeOf(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]))).toEqual({ width: 100, height: 50 });
    expect(await sizeOf(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x20, 0x03, 0x58, 0x42]))).toEqual({ width: 800, height: 600 });
    expect(await sizeOf(riff('VP8 ', [0, 0, 0, 0x9d, 0x01]))).toBeUndefined();
  });

  it('reads BMP headers, top-down ones too', async () => {
    const bmp = new Uint8Array(54);
    const view = new DataView(bmp.buffer);
    bmp.set([0x42, 0x4d]);
    view.setUint32(14, 40, true);
    view.setInt32(18, 3000, true);
    view.setInt32(22, -2000, true);
    expect(await sizeOf(bmp)).toEqual({ width: 3000, height: 2000 });
  });

  it("reads an AVIF's largest ispe", async () => {
    const ispe = (w: number, h: number) => box('ispe', uint32s(0, w, h));
    const avif = concat(
      box('ftyp', new TextEncoder().encode('avifmif1miafMA1B')),
      box('meta', uint32s(0), box('hdlr', uint32s(0, 0)), box('iprp', box('ipco', ispe(512, 512), box('pixi', uint32s(0)), ispe(24_000, 24_000)))),
    );
    expect(await sizeOf(avif)).toEqual({ width: 24_000, height: 24_000 });
  });

  it('reads bytes already in memory, as a small file read whole', async () => {
    const jpeg = new Uint8Array(withExif(makeJpeg(33, 21, () => [9, 9, 9]), 6));
    expect(await readPixelSize('jpeg', bytesSource(jpeg))).toEqual({ width: 33, height: 21 });
    expect(await readPixelSize('png', bytesSource(new Uint8Array(makePng(7, 9, () => [0, 0, 0]))))).toEqual({ width: 7, height: 9 });
    expect(await readPixelSize('jpeg', bytesSource(jpeg.subarray(0, 20)))).toBeUndefined();
  });

  it('reads a Blob by slices', async () => {
    expect(await readPixelSize('png', blobSource(new Blob([new Uint8Array(makePng(7, 9, () => [0, 0, 0]))])))).toEqual({ width: 7, height: 9 });
  });
});

describe('explainTooLarge', () => {
  it('refuses over 200 MP or over 32767 px a side, with the size and what to do', () => {
    expect(explainTooLarge({ width: 20_000, height: 20_000 })).toBe(
      'This image is 20000×20000 (400 MP); Lenscribe reads images up to 200 MP. Shrink it first (for example to 10000 px on its longest side) and drop it again.',
    );
    expect(explainTooLarge({ width: 40_000, height: 100 })).toMatch(/40000×100; Lenscribe reads images up to 32767 px on a side/);
    expect(explainTooLarge({ width: 10_000, height: 10_000 })).toBeUndefined();
    expect(explainTooLarge({ width: 16_320, height: 12_240 })).toBeUndefined();
  });
});
