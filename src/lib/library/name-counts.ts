// The models (or tasks) the library's results name, kept as counts so one saved or deleted result
// updates them in O(1) instead of a pass over every result.

/** How many results name each value; a name is listed while any result names it. */
export class NameCounts {
  readonly #counts = new Map<string, number>();

  /** Count one more result naming `name`; true when the name is new. */
  add(name: string): boolean {
    const count = this.#counts.get(name) ?? 0;
    this.#counts.set(name, count + 1);
    return count === 0;
  }

  /** Count one result fewer naming `name`; true when no result names it any more. */
  remove(name: string): boolean {
    const count = this.#counts.get(name);
    if (count === undefined) return false;
    if (count > 1) {
      this.#counts.set(name, count - 1);
      return false;
    }
    this.#counts.delete(name);
    return true;
  }

  /** Every name counted, sorted. */
  names(): string[] {
    return [...this.#counts.keys()].sort();
  }

  clear(): void {
    this.#counts.clear();
  }
}
