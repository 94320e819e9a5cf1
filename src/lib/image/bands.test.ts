import { describe, expect, it } from 'vitest';
import { toRGBA } from './bands.ts';

describe('toRGBA', () => {
  it('leaves RGBA as it is, alpha included', () => {
    const pixels = new Uint8ClampedArray([10, 20, 30, 40]);
    toRGBA(pixels, 'RGBA');
    expect([...pixels]).toEqual([10, 20, 30, 40]);
  });

  it('swaps blue and red of BGRX and makes it opaque, whatever the padding byte held', () => {
    const pixels = new Uint8ClampedArray([250, 0, 5, 0, 1, 2, 3, 77]);
    toRGBA(pixels, 'BGRX');
    expect([...pixels]).toEqual([5, 0, 250, 255, 3, 2, 1, 255]);
  });

  it('makes RGBX opaque', () => {
    const pixels = new Uint8ClampedArray([1, 2, 3, 0]);
    toRGBA(pixels, 'RGBX');
    expect([...pixels]).toEqual([1, 2, 3, 255]);
  });
});
