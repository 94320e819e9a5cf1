// The library's full-text search, kept in step with its results. The texts read at load are
// indexed a few milliseconds at a time so a large library never freezes the page.
import { SearchIndex } from '../lib/library/search.ts';
import type { ResultRecord } from '../lib/library/types.ts';

/** How long one slice of the initial indexing may hold the main thread. */
const SLICE_MS = 8;

/** Search over result texts; LibraryState tells it of every result put or removed. */
export class TextSearch {
  readonly #index = new SearchIndex();
  /** Bumped on every change, so reads through findText are reactive. */
  #version = $state(0);
  /** Loaded results not yet indexed. */
  readonly #unindexed = new Map<string, ResultRecord>();
  #isIndexing = $state(false);

  /** True until the texts read at load are all searchable. */
  get isIndexing() { return this.#isIndexing; }

  /** The images whose result texts hold a word starting with this normalised term. */
  findText(term: string): ReadonlySet<string> {
    void this.#version;
    return this.#index.findPrefix(term);
  }

  /** Index results read from disk, in slices, yielding to the page in between. */
  async load(results: readonly ResultRecord[]): Promise<void> {
    for (const result of results) this.#unindexed.set(result.key, result);
    if (this.#isIndexing) return;
    this.#isIndexing = true;
    while (this.#unindexed.size > 0) {
      const until = performance.now() + SLICE_MS;
      for (const [key, result] of this.#unindexed) {
        this.#unindexed.delete(key);
        this.#index.put(result);
        if (performance.now() > until) break;
      }
      this.#version++;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.#isIndexing = false;
  }

  /** Index a result put in place; a later load slice will not bring back its old text. */
  put(result: ResultRecord): void {
    this.#unindexed.delete(result.key);
    this.#index.put(result);
    this.#version++;
  }

  remove(keys: Iterable<string>): void {
    for (const key of keys) {
      this.#unindexed.delete(key);
      this.#index.remove(key);
    }
    this.#version++;
  }

  clear(): void {
    this.#unindexed.clear();
    this.#index.clear();
    this.#version++;
  }
}
