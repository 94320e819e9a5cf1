// When an image is too long to read whole, and how to cut it. Fitting a 576 × 5200 receipt within
// 1536 px leaves it 170 px wide, its print a few pixels tall: no model can read that. Such an image
// is cut instead into overlapping tiles, each no larger than an ordinary image of the same task.
import { fitWithin } from './sizing.ts';

/** A fitted short side at least this wide reads well enough whole (a phone screenshot fits at ~700 px). */
export const LEGIBLE_SIDE = 640;

/** Fitting must shrink the short side below this share of the original before tiling pays. */
const WORTH_TILING = 2 / 3;

/** Each tile repeats at least this share of its height from the one before: several text lines. */
export const TILE_OVERLAP = 0.125;

/** A longer image gets a smaller scale rather than more tiles than this. */
export const MAX_TILES = 24;

/** One tile: source rows [top, bottom) of the upright image, drawn at the plan's size. */
export interface TileBounds {
  top: number;
  bottom: number;
}

/** How a long image is read: its tiles top to bottom, each `width` × `height` px once scaled. */
export interface TilePlan {
  width: number;
  height: number;
  tiles: TileBounds[];
}

/**
 * The tiles a tall image is read in, or undefined when it reads well enough whole. Whole means
 * fitted within maxSide; an image whose width would then fall below LEGIBLE_SIDE and below two
 * thirds of its own width is instead scaled so its width fits maxSide (never upscaled), and cut
 * from top to bottom into tiles at most maxSide tall, overlapping by at least TILE_OVERLAP.
 */
export function planTiles(width: number, height: number, maxSide: number): TilePlan | undefined {
  // Only tall images: text runs across, so cutting a wide image would cut every line in two.
  if (height <= width) return undefined;
  const whole = fitWithin(width, height, maxSide);
  if (whole.width >= Math.min(LEGIBLE_SIDE, width * WORTH_TILING)) return undefined;

  let scale = Math.min(1, maxSide / width);
  let rows = Math.floor(maxSide / scale);
  const countFor = (tileRows: number) => 1 + Math.ceil((height - tileRows) / Math.floor(tileRows * (1 - TILE_OVERLAP)));
  if (countFor(rows) > MAX_TILES) {
    // Fewer, taller source strips, each scaled down to maxSide.
    rows = Math.ceil(height / (1 + (MAX_TILES - 1) * (1 - TILE_OVERLAP))) + 1;
    while (countFor(rows) > MAX_TILES) rows++;
    scale = maxSide / rows;
  }
  const count = countFor(rows);
  if (count < 2) return undefined;
  // Spread evenly so the last tile ends at the bottom: every overlap is the same, at least the minimum.
  const stride = (height - rows) / (count - 1);
  const tiles = Array.from({ length: count }, (_, i) => {
    const top = Math.round(i * stride);
    return { top, bottom: top + rows };
  });
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(rows * scale)), tiles };
}
