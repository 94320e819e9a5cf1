import { describe, expect, it } from 'vitest';
import { splitIntoBatches } from './batches.ts';

describe('splitIntoBatches', () => {
  it('sends the first file alone, then doubles up to the limit, keeping every file in order', () => {
    const files = Array.from({ length: 300 }, (_, i) => i);
    const batches = splitIntoBatches(files, 64);
    expect(batches.map((b) => b.length)).toEqual([1, 2, 4, 8, 16, 32, 64, 64, 64, 45]);
    expect(batches.flat()).toEqual(files);
  });
  it('makes no batch of nothing', () => {
    expect(splitIntoBatches([])).toEqual([]);
  });
});
