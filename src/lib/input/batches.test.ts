import { describe, expect, it } from 'vitest';
import { splitIntoBatches } from './batches.ts';

describe('splitIntoBatches', () => {
  it('sends the first file alone, then doubles up to the limit, keeping every file in order', () => {
    const files = Array.from({ length: 1300 }, (_, i) => i);
    const batches = splitIntoBatches(files, () => 1000, { max: 256 });
    expect(batches.map((b) => b.length)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256, 21]);
    expect(batches.flat()).toEqual(files);
  });

  it('ends a batch once it holds enough bytes', () => {
    const sizes = [5, 1, 1, 1, 1, 30, 1, 4, 4, 4, 4];
    const batches = splitIntoBatches(sizes, (n) => n, { max: 8, maxBytes: 10 });
    expect(batches).toEqual([[5], [1, 1], [1, 1, 30], [1, 4, 4, 4], [4]]);
  });

  it('makes no batch of nothing', () => {
    expect(splitIntoBatches([], () => 0)).toEqual([]);
  });
});
