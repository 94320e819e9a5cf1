// How small a JPEG may be decoded. A JPEG decoder can give n/8 of the full size straight from the
// DCT coefficients, never holding the full frame: a 100 MP photo sent at 1536 px then decodes to
// 5000 × 5000 (100 MB) instead of 10000 × 10000 (400 MB). Chromium's WebCodecs ImageDecoder does
// this when given desiredWidth/desiredHeight; the exact area average then brings the scaled frame to
// each output's size.
//
// A scaled IDCT is not an area average, so the sent image keeps a margin. Measured against a careful
// downscale of the full decode (small print, 24 and 75 MP JPEGs; full decode 40.6–42.9 dB): scales
// 1/2, 1/4 and 1/8 leaving 3–3.3× the target's pixels a side scored 40.1–41.1 dB, 2.5× 39.2 dB,
// 1.95× 35.7 dB, 1.5× 29–30 dB; the other n/8 (3/8, 5/8…) score worse at any margin (32.8 dB at
// 2.4×, 36.6 dB at 4×).
import type { PixelSize } from './pixel-size.ts';
import { PREVIEW_SIDE, fitWithin } from './sizing.ts';
import { planTiles } from './tiling.ts';

/** A scaled JPEG decode is numerator / SCALE_STEPS of the full size. */
export const SCALE_STEPS = 8;

/** The scaled decodes used, smallest first: 1/8, 1/4 and 1/2 (see above for why not 3/8 and the like). */
const NUMERATORS = [1, 2, 4];

/** Source pixels a side the sent image (and each tile) is averaged from, per pixel sent: at least this many. */
export const QUALITY_MARGIN = 3;

/** Size of a decode at numerator / 8, rounded down (libjpeg rounds up; down is the safe side). */
export function scaledSize({ width, height }: PixelSize, numerator: number): PixelSize {
  return { width: Math.max(1, Math.floor((width * numerator) / SCALE_STEPS)), height: Math.max(1, Math.floor((height * numerator) / SCALE_STEPS)) };
}

/** Smallest numerator (1, 2 or 4) whose decode is at least every needed size on both sides; else 8, the full size. */
export function chooseJpegScale(stored: PixelSize, needed: PixelSize[]): number {
  for (const numerator of NUMERATORS) {
    const size = scaledSize(stored, numerator);
    if (needed.every((need) => size.width >= need.width && size.height >= need.height)) return numerator;
  }
  return SCALE_STEPS;
}

/**
 * desiredWidth/desiredHeight that make Chromium decode at numerator / 8. Blink turns the desired
 * size into a byte budget and takes floor(8·√(desired area ÷ full area)) (measured: 4000² of a
 * 10000² photo gives 3/8, 1536 × 900 gives 1/8), so a quarter step more keeps float rounding off.
 */
export function desiredSizeFor({ width, height }: PixelSize, numerator: number): PixelSize {
  const scale = (numerator + 0.25) / SCALE_STEPS;
  return { width: Math.ceil(width * scale), height: Math.ceil(height * scale) };
}

/** The same size on its side. */
function turned({ width, height }: PixelSize): PixelSize {
  return { width: height, height: width };
}

/** The image's size scaled by `scale` on both sides, never above the image itself. */
function atScale({ width, height }: PixelSize, scale: number): PixelSize {
  return { width: Math.min(width, Math.ceil(width * scale)), height: Math.min(height, Math.ceil(height * scale)) };
}

/**
 * The least pixels, in the upright image's orientation, that the sent image (fitted within maxSide,
 * or its tiles when canTile and the image is long; with QUALITY_MARGIN), the preview and the
 * thumbnail (a browser resize, no margin) are made from.
 */
export function sizesNeeded(upright: PixelSize, maxSide: number, canTile: boolean): PixelSize[] {
  const preview = fitWithin(upright.width, upright.height, PREVIEW_SIDE);
  const plan = canTile ? planTiles(upright.width, upright.height, maxSide) : undefined;
  const rows = plan ? (plan.tiles[0]?.bottom ?? 0) - (plan.tiles[0]?.top ?? 0) : 0;
  // A tile is source rows scaled to plan.height, so the whole image is needed at that scale.
  const scale = plan && rows > 0 ? Math.max(plan.width / upright.width, plan.height / rows) : fitWithin(upright.width, upright.height, maxSide).width / upright.width;
  return [preview, atScale(upright, scale * QUALITY_MARGIN)];
}

/**
 * The sizes a stored JPEG's decode must reach whichever way its EXIF turns it (not known before
 * decoding): the needs of the upright image both as stored and turned a quarter, in stored terms.
 */
export function storedSizesNeeded(stored: PixelSize, maxSide: number, canTile: boolean): PixelSize[] {
  return [...sizesNeeded(stored, maxSide, canTile), ...sizesNeeded(turned(stored), maxSide, canTile).map(turned)];
}
