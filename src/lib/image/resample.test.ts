import { describe, expect, it } from 'vitest';
import { AreaAverager, areaAverage } from './resample.ts';

const gray = (values: number[]) => new Uint8ClampedArray(values.flatMap((v) => [v, v, v, 255]));
const channel = (rgba: Uint8ClampedArray) => Array.from(rgba).filter((_, i) => i % 4 === 0);

describe('areaAverage', () => {
  it('averages exact 2×2 blocks', () => {
    const out = areaAverage(gray([0, 255, 0, 0, 255, 255, 0, 0]), 4, 2, 2, 1);
    expect(channel(out)).toEqual([191, 0]);
  });
  it('weights partly covered pixels by coverage (3 → 2)', () => {
    // Output 0 covers source 0 fully and half of source 1: (0 + 0.5·90) / 1.5 = 30.
    const out = areaAverage(gray([0, 90, 180]), 3, 1, 2, 1);
    expect(channel(out)).toEqual([30, 150]);
  });
  it('keeps a one-pixel line visible after a 4× reduction', () => {
    const width = 8;
    const values = Array.from({ length: width * width }, (_, i) => (i % width === 3 ? 0 : 255));
    const out = channel(areaAverage(gray(values), width, width, 2, 2));
    expect(out[0]).toBeLessThan(200);
    expect(out[1]).toBe(255);
  });
  it('keeps alpha', () => {
    const out = areaAverage(new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255]), 2, 1, 1, 1);
    expect(out[3]).toBe(128);
  });
});

/** The whole-image two-pass averaging the banded one replaced, kept here as the reference. */
function wholeImageAverage(source: Uint8ClampedArray, sw: number, sh: number, width: number, height: number): Uint8ClampedArray {
  const spans = (size: number, target: number) => Array.from({ length: target }, (_, i) => {
    const scale = size / target;
    const from = i * scale;
    const to = Math.min(size, (i + 1) * scale);
    const start = Math.floor(from);
    const weights = new Float32Array(Math.ceil(to) - start);
    for (let s = start; s < Math.ceil(to); s++) weights[s - start] = (Math.min(s + 1, to) - Math.max(s, from)) / scale;
    return { start, weights };
  });
  const columns = spans(sw, width);
  const rows = spans(sh, height);
  const middle = new Float32Array(width * sh * 4);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = columns[x]!;
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += source[(y * sw + start + k) * 4 + c]! * weights[k]!;
        middle[(y * width + x) * 4 + c] = sum;
      }
    }
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const { start, weights } = rows[y]!;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += middle[((start + k) * width + x) * 4 + c]! * weights[k]!;
        out[(y * width + x) * 4 + c] = sum;
      }
    }
  }
  return out;
}

/** Deterministic noise, so a failure can be reproduced. */
function randomImage(width: number, height: number, seed: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('AreaAverager (banded)', () => {
  const cases = [
    { sw: 37, sh: 53, width: 11, height: 17, band: 5 },
    { sw: 101, sh: 99, width: 64, height: 63, band: 1 },
    { sw: 333, sh: 217, width: 97, height: 64, band: 16 },
    { sw: 59, sh: 71, width: 59, height: 3, band: 70 },
    { sw: 8, sh: 1001, width: 3, height: 333, band: 7 },
    // A phone photo's reduction (6000 → 1536 is 3.906×): most rows lie wholly inside an output
    // row and are stacked by column first; bands end mid-row.
    { sw: 391, sh: 250, width: 100, height: 64, band: 13 },
    { sw: 391, sh: 250, width: 100, height: 64, band: 250 },
    // Too many rows and columns per output pixel to stack in 16-bit lanes: row by row.
    { sw: 301, sh: 307, width: 20, height: 15, band: 9 },
    // Runs too long for two channels to share an int32: summed a channel at a time.
    { sw: 700, sh: 9, width: 3, height: 2, band: 4 },
  ];
  it.each(cases)('equals the whole-image result for $sw×$sh → $width×$height in bands of $band rows', ({ sw, sh, width, height, band }) => {
    const source = randomImage(sw, sh, sw * 7 + sh);
    const averager = new AreaAverager(sw, sh, width, height);
    for (let y = 0; y < sh; y += band) {
      const rows = Math.min(band, sh - y);
      averager.addRows(source.subarray(y * sw * 4, (y + rows) * sw * 4), rows);
    }
    expect(Array.from(averager.finish())).toEqual(Array.from(wholeImageAverage(source, sw, sh, width, height)));
  });
  it('refuses to finish before every row is added', () => {
    const averager = new AreaAverager(4, 4, 2, 2);
    averager.addRows(new Uint8ClampedArray(4 * 4 * 2), 2);
    expect(() => averager.finish()).toThrow(/2 of 4 rows/);
  });
});
