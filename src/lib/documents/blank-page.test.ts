import { describe, expect, it } from 'vitest';
import { isNearlyBlank } from './blank-page.ts';

/** A width×height RGBA page of one shade, with `ink` pixels painted dark. */
function page(width: number, height: number, shade: number, ink = 0): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4).fill(shade);
  for (let i = 0; i < ink; i++) data.set([20, 20, 20, 255], ((i * 37) % (width * height)) * 4);
  return data;
}

describe('isNearlyBlank', () => {
  it('calls white and grey paper blank, specks of dust included', () => {
    expect(isNearlyBlank(page(600, 776, 255))).toBe(true);
    expect(isNearlyBlank(page(600, 776, 200, 50))).toBe(true);
  });

  it('sees a single short line of print', () => {
    // About one 10-pt line across a third of a Letter page at this size.
    expect(isNearlyBlank(page(600, 776, 250, 900))).toBe(false);
  });
});
