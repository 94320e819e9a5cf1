// How intake cuts a large drop into batches: the first file alone, so its request can leave at
// once, then doubling, so a 10,000-file drop costs a few hundred worker calls and writes, not 10,000.

/** The largest batch: about one animation frame's worth of small files. */
export const MAX_BATCH = 64;

/** Consecutive slices of `items`: sizes 1, 2, 4… up to `max`. */
export function splitIntoBatches<T>(items: readonly T[], max = MAX_BATCH): T[][] {
  const batches: T[][] = [];
  for (let start = 0, size = 1; start < items.length; start += size, size = Math.min(size * 2, max)) {
    batches.push(items.slice(start, start + size));
  }
  return batches;
}
