import { describe, expect, it } from 'vitest';
import { MAX_TILES, TILE_OVERLAP, planTiles } from './tiling.ts';

function expectCovered(plan: NonNullable<ReturnType<typeof planTiles>>, height: number, maxSide: number) {
  expect(plan.tiles[0]!.top).toBe(0);
  expect(plan.tiles.at(-1)!.bottom).toBe(height);
  expect(plan.height).toBeLessThanOrEqual(maxSide);
  expect(plan.width).toBeLessThanOrEqual(maxSide);
  for (let i = 1; i < plan.tiles.length; i++) {
    const overlap = plan.tiles[i - 1]!.bottom - plan.tiles[i]!.top;
    expect(overlap).toBeGreaterThanOrEqual(Math.floor((plan.tiles[i]!.bottom - plan.tiles[i]!.top) * TILE_OVERLAP));
  }
}

describe('planTiles', () => {
  it('reads a long receipt at its own width, in overlapping tiles', () => {
    const plan = planTiles(576, 5200, 1536)!;
    expect(plan).toMatchObject({ width: 576, height: 1536 });
    expect(plan.tiles).toHaveLength(4);
    expectCovered(plan, 5200, 1536);
  });

  it('reads a full-page screenshot at its own width', () => {
    const plan = planTiles(1280, 9000, 1536)!;
    expect(plan).toMatchObject({ width: 1280, height: 1536 });
    expect(plan.tiles).toHaveLength(7);
    expectCovered(plan, 9000, 1536);
  });

  it('scales a wide long page so each tile fits the task', () => {
    const plan = planTiles(2400, 12000, 1536)!;
    expect(plan.width).toBe(1536);
    expectCovered(plan, 12000, 1536);
  });

  it('takes fewer, larger tiles for the built-in OCR', () => {
    expect(planTiles(1280, 9000, 3072)!.tiles).toHaveLength(4);
  });

  it('reads ordinary images whole', () => {
    expect(planTiles(1170, 2532, 1536)).toBeUndefined(); // a phone screenshot: 710 px wide fitted
    expect(planTiles(2550, 3300, 1536)).toBeUndefined(); // a scanned page
    expect(planTiles(600, 1600, 1536)).toBeUndefined(); // shrunk a little
    expect(planTiles(400, 1200, 1536)).toBeUndefined(); // not shrunk at all
    expect(planTiles(9000, 1280, 1536)).toBeUndefined(); // wide: cutting would split every line
  });

  it('never makes more than MAX_TILES, scaling an extreme strip down instead', () => {
    const plan = planTiles(1000, 40000, 1536)!;
    expect(plan.tiles.length).toBeLessThanOrEqual(MAX_TILES);
    expect(plan.width).toBeLessThan(1000);
    expectCovered(plan, 40000, 1536);
  });
});
