// How intake cuts a large drop into batches: the first file alone, so its request can leave at
// once, then doubling, so a 10,000-file drop costs a few dozen worker calls and writes, not 10,000.
// A batch also ends once it holds enough bytes, so a folder of large photos is listed a few at a time.

/** The most files in a batch: every batch costs a write per store and a list update, each growing with the library. */
export const MAX_BATCH = 256;
/** The most bytes in a batch (a single larger file is a batch of its own). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** Consecutive slices of `items`: sizes 1, 2, 4… up to `max`, each ending early once it holds `maxBytes`. */
export function splitIntoBatches<T>(items: readonly T[], sizeOf: (item: T) => number, { max = MAX_BATCH, maxBytes = MAX_BATCH_BYTES } = {}): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  let size = 1;
  for (const item of items) {
    batch.push(item);
    bytes += sizeOf(item);
    if (batch.length < size && bytes < maxBytes) continue;
    batches.push(batch);
    batch = [];
    bytes = 0;
    size = Math.min(size * 2, max);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
