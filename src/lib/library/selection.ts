// Selecting many images at once: the range a shift-click covers, in the order the list shows.

/**
 * The images from the anchor (the last row ticked alone) to the target, both included, in list
 * order. Without an anchor still in the list, the range is the target alone.
 */
export function rangeBetween(order: readonly string[], anchor: string | undefined, target: string): string[] {
  const to = order.indexOf(target);
  if (to < 0) return [];
  const from = anchor === undefined ? -1 : order.indexOf(anchor);
  if (from < 0) return [target];
  return order.slice(Math.min(from, to), Math.max(from, to) + 1);
}

/** The selection with every image of the range ticked (or unticked). */
export function withRange(selected: ReadonlySet<string>, range: readonly string[], isSelected: boolean): Set<string> {
  const next = new Set(selected);
  for (const sha256 of range) {
    if (isSelected) next.add(sha256);
    else next.delete(sha256);
  }
  return next;
}
