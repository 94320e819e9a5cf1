import { describe, expect, it } from 'vitest';
import { areaAverage } from './resample.ts';

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
