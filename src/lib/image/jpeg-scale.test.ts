import { describe, expect, it } from 'vitest';
import { chooseJpegScale, desiredSizeFor, scaledSize, sizesNeeded, storedSizesNeeded } from './jpeg-scale.ts';
import { PREVIEW_SIDE } from './sizing.ts';

/** Blink's choice for a desired size (measured in Chromium 156, see desiredSizeFor). */
function blinkNumerator(stored: { width: number; height: number }, desired: { width: number; height: number }): number {
  const ratio = Math.fround((desired.width * desired.height * 4) / Math.fround(stored.width * stored.height * 4));
  return Math.min(8, Math.max(1, Math.floor(Math.sqrt(ratio) * 8)));
}

describe('chooseJpegScale', () => {
  it('decodes a 100 MP photo at 1/2: 5000 px a side is 3.3× the 1536 px sent, 1/4 (2500 px) too few', () => {
    const stored = { width: 10000, height: 10000 };
    const numerator = chooseJpegScale(stored, storedSizesNeeded(stored, 1536, false));
    expect(numerator).toBe(4);
    expect(scaledSize(stored, numerator)).toEqual({ width: 5000, height: 5000 });
  });

  it('decodes a 24 MP phone photo in full for 1536 px (1/2 would leave 1.95×), at 1/2 for 512 px (the preview needs 1600)', () => {
    const stored = { width: 6000, height: 4000 };
    expect(chooseJpegScale(stored, storedSizesNeeded(stored, 1536, false))).toBe(8);
    expect(chooseJpegScale(stored, storedSizesNeeded(stored, 512, false))).toBe(4);
  });

  it('uses only the power-of-two scales 1/8, 1/4 and 1/2', () => {
    const stored = { width: 16000, height: 12000 };
    const chosen = [64, 300, 600, 900, 1536, 2000, 3000, 5000].map((side) => chooseJpegScale(stored, storedSizesNeeded(stored, side, false)));
    // 1/8 is 2000 px: enough for the 1600 px preview and a 600 px image (× 3), not for 900 px.
    expect(chosen).toEqual([1, 1, 1, 2, 4, 4, 8, 8]);
  });

  it('decodes in full when an output needs every pixel', () => {
    expect(chooseJpegScale({ width: 1200, height: 900 }, storedSizesNeeded({ width: 1200, height: 900 }, 1536, false))).toBe(8);
    // A larger send size than the photo: nothing may be thrown away.
    expect(chooseJpegScale({ width: 4000, height: 3000 }, storedSizesNeeded({ width: 4000, height: 3000 }, 4000, false))).toBe(8);
  });

  it('never picks a scale whose decode falls short of a need on either side', () => {
    for (const [width, height] of [[6001, 4001], [4032, 3024], [12001, 7], [3000, 30000], [1601, 1601]] as const) {
      for (const maxSide of [512, 1024, 1536, 2048]) {
        for (const canTile of [false, true]) {
          const stored = { width, height };
          const needed = storedSizesNeeded(stored, maxSide, canTile);
          const size = scaledSize(stored, chooseJpegScale(stored, needed));
          for (const need of needed) {
            expect(size.width).toBeGreaterThanOrEqual(need.width);
            expect(size.height).toBeGreaterThanOrEqual(need.height);
          }
        }
      }
    }
  });
});

describe('desiredSizeFor', () => {
  it('asks for a size Blink turns into the same numerator, for every numerator and odd sizes', () => {
    for (const stored of [{ width: 10000, height: 10000 }, { width: 6000, height: 4000 }, { width: 4031, height: 3023 }, { width: 30001, height: 1999 }]) {
      for (let numerator = 1; numerator <= 8; numerator++) expect(blinkNumerator(stored, desiredSizeFor(stored, numerator))).toBe(numerator);
    }
  });
});

describe('sizesNeeded', () => {
  it('needs the preview as is and the fitted image with its margin', () => {
    expect(sizesNeeded({ width: 10000, height: 7500 }, 1536, true)).toEqual([
      { width: PREVIEW_SIDE, height: 1200 },
      { width: 4608, height: 3456 },
    ]);
    // Never more than the image has.
    expect(sizesNeeded({ width: 2000, height: 1500 }, 1536, false)[1]).toEqual({ width: 2000, height: 1500 });
  });

  it('needs a long image at its tiles’ scale, not at the fitted whole', () => {
    // 6000 × 60000: whole it would be 154 px wide; its tiles are 1536 px wide, about a quarter scale.
    const [, tiles] = sizesNeeded({ width: 6000, height: 60000 }, 1536, true);
    expect(tiles?.width).toBe(4608);
    expect(tiles?.height).toBeGreaterThanOrEqual(46080);
    expect(chooseJpegScale({ width: 6000, height: 60000 }, storedSizesNeeded({ width: 6000, height: 60000 }, 1536, true))).toBe(8);
  });

  it('covers a stored-sideways long image whichever way its EXIF turns it', () => {
    const stored = { width: 30000, height: 1500 };
    const numerator = chooseJpegScale(stored, storedSizesNeeded(stored, 256, true));
    // Turned upright it is 1500 × 30000, read in tiles 256 px wide: its width needs 3 × 256 px.
    expect(scaledSize(stored, numerator).height).toBeGreaterThanOrEqual(768);
  });
});
