import { describe, expect, it } from 'vitest';
import type { ImageEncoder } from '../image/encoder.ts';
import type { EncodedImage, EncodedTile } from '../image/types.ts';
import { type JobDeps, runJob } from './run-job.ts';
import { FakeEngine, makeJob } from './test-fakes.ts';

const receipt = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i} x ${['tea', 'milk', 'eggs', 'bread', 'jam'][(from + i) % 5]} ${from + i}.99`);

function tile(top: number, bottom: number): EncodedTile {
  return { blob: new Blob([`rows ${top}-${bottom}`]), base64: new TextEncoder().encode('aW1n'), type: 'image/png', width: 576, height: 1536, top, bottom };
}

/** An encoder that cuts every image it may tile into three tiles, and records whether it may. */
function tilingEncoder(): Pick<ImageEncoder, 'encode'> & { mayTile: boolean[] } {
  const mayTile: boolean[] = [];
  return {
    mayTile,
    async encode(_blob, _maxSide, _signal, _withViews, canTile = false): Promise<EncodedImage> {
      mayTile.push(canTile);
      const tiles = [tile(0, 1536), tile(1200, 2736), tile(2400, 3936)];
      return canTile ? { ...tiles[0]!, tiles } : tile(0, 3936);
    },
  };
}

function setup(engine: FakeEngine) {
  const encoder = tilingEncoder();
  const deps: JobDeps = { readImage: async () => new Blob(['original']), encoder, engine, now: () => 42 };
  const texts: string[] = [];
  return { encoder, deps, texts, options: { signal: new AbortController().signal, onText: (t: string) => texts.push(t) } };
}

describe('runJob on a long image', () => {
  it('reads each tile in order, joins the texts with each overlap once, and keeps the tiles', async () => {
    const pieces = (lines: string[]) => lines.map((line) => `${line}\n`);
    const engine = new FakeEngine([
      { pieces: pieces(receipt(1, 21)), outcome: { metrics: { eval_count: 20, total_duration: 5 } } },
      { pieces: pieces(receipt(16, 37)), outcome: { metrics: { eval_count: 21, total_duration: 6 } } },
      { pieces: pieces(receipt(32, 50)), outcome: { metrics: { eval_count: 18 } } },
    ]);
    const { encoder, deps, texts, options } = setup(engine);
    const result = await runJob(makeJob(), deps, options);

    expect(encoder.mayTile).toEqual([true]);
    expect(await Promise.all(engine.requests.map((r) => r.images[0]?.blob.text()))).toEqual(['rows 0-1536', 'rows 1200-2736', 'rows 2400-3936']);
    expect(result.text.trim()).toBe(receipt(1, 50).join('\n'));
    expect(result.tiles?.map(({ top, bottom }) => [top, bottom])).toEqual([[0, 1536], [1200, 2736], [2400, 3936]]);
    expect(result.tiles?.[1]?.text.trim()).toBe(receipt(16, 37).join('\n'));
    expect(result.metrics).toEqual({ eval_count: 59, total_duration: 11, done_reason: 'stop' });
    // The text so far grows line by line and never shows an overlap twice.
    expect(texts.at(-1)).toBe(result.text);
    for (const shown of texts) expect(new Set(shown.trim().split('\n')).size).toBe(shown.trim().split('\n').length);
  });

  it('marks the whole text cut off when one tile hit the token limit', async () => {
    const engine = new FakeEngine([{ pieces: ['a line'] }, { pieces: ['another'], outcome: { doneReason: 'length' } }, { pieces: ['last'] }]);
    const { deps, options } = setup(engine);
    const result = await runJob(makeJob(), deps, options);
    expect(result.isTruncated).toBe(true);
    expect(result.tiles).toHaveLength(3);
  });

  it('reads a description whole: only tasks that copy out text are tiled', async () => {
    const engine = new FakeEngine([{ pieces: ['A long receipt.'] }]);
    const { encoder, deps, options } = setup(engine);
    const result = await runJob(makeJob('aa', { taskId: 'describe' }), deps, options);
    expect(encoder.mayTile).toEqual([false]);
    expect(engine.requests).toHaveLength(1);
    expect('tiles' in result).toBe(false);
  });
});
