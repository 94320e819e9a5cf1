// Full-text search over result texts: an inverted index of normalised words, matched by prefix so
// results narrow as you type. Updated one result at a time; replaced and deleted results are
// tombstoned and swept out in one pass once they outnumber the live ones, so no update rebuilds it.

/** Han and kana have no spaces between words: each character is indexed as a word of its own. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}]+/gu;
/** Most texts are plain printable ASCII, which needs no Unicode normalisation. */
const NON_ASCII = /[^\t\n\r -~]/;

/** Lower case without accents or compatibility forms ("Ä", "ä", "a" and "ﬁ", "fi" are alike). */
export function normaliseText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replaceAll('ß', 'ss');
}

/** The distinct normalised words of a text (each Han or kana character counts as one). */
export function tokenise(text: string): Set<string> {
  const words = new Set<string>();
  const normalised = normaliseText(text);
  const hasUnspaced = UNSPACED.test(normalised);
  for (const [word] of normalised.matchAll(WORD)) {
    if (!hasUnspaced || !UNSPACED.test(word)) {
      words.add(word);
      continue;
    }
    let run = '';
    for (const char of word) {
      if (UNSPACED.test(char)) {
        if (run) words.add(run);
        run = '';
        words.add(char);
      } else run += char;
    }
    if (run) words.add(run);
  }
  return words;
}

/** What the index needs of a result. */
export interface SearchableResult {
  key: string;
  sha256: string;
  text: string;
}

/** Words sharing their first two characters live in one bucket, so a prefix scans only its own. */
const bucketOf = (word: string) => word.slice(0, 2);

/** An incrementally updated word-prefix index from result texts to the images they belong to. */
export class SearchIndex {
  /** Word → ids of the documents holding it, ascending (ids only grow). */
  readonly #postings = new Map<string, number[]>();
  readonly #buckets = new Map<string, Set<string>>();
  /** Document id → its image, or undefined once replaced or deleted. */
  #owners: (string | undefined)[] = [];
  readonly #ids = new Map<string, number>();
  #dead = 0;

  /** How many results are indexed. */
  get size(): number {
    return this.#ids.size;
  }

  /** Index a result, replacing what was indexed under its key. */
  put(result: SearchableResult): void {
    this.remove(result.key);
    const id = this.#owners.length;
    this.#owners.push(result.sha256);
    this.#ids.set(result.key, id);
    for (const word of tokenise(result.text)) {
      const list = this.#postings.get(word);
      if (list) list.push(id);
      else {
        this.#postings.set(word, [id]);
        const bucket = this.#buckets.get(bucketOf(word));
        if (bucket) bucket.add(word);
        else this.#buckets.set(bucketOf(word), new Set([word]));
      }
    }
  }

  /** Forget a result. */
  remove(key: string): void {
    const id = this.#ids.get(key);
    if (id === undefined) return;
    this.#ids.delete(key);
    this.#owners[id] = undefined;
    this.#dead++;
    if (this.#dead > 1000 && this.#dead > this.#ids.size) this.#sweep();
  }

  /** Forget everything. */
  clear(): void {
    this.#postings.clear();
    this.#buckets.clear();
    this.#owners = [];
    this.#ids.clear();
    this.#dead = 0;
  }

  /**
   * The images whose results hold a word starting with each word of the query: "inv tot" finds
   * "Invoice total". A blank query finds nothing.
   */
  findImages(query: string): Set<string> {
    let found: Set<string> | undefined;
    for (const term of tokenise(query)) {
      const images = this.findPrefix(term);
      found = found ? intersect(found, images) : images;
      if (found.size === 0) break;
    }
    return found ?? new Set();
  }

  /** The images whose results hold a word starting with this normalised term. */
  findPrefix(prefix: string): Set<string> {
    const seen = new Uint8Array(this.#owners.length);
    const images = new Set<string>();
    const collect = (word: string) => {
      for (const id of this.#postings.get(word) ?? []) {
        if (seen[id]) continue;
        seen[id] = 1;
        const owner = this.#owners[id];
        if (owner !== undefined) images.add(owner);
      }
    };
    if (prefix.length >= 2) {
      for (const word of this.#buckets.get(bucketOf(prefix)) ?? []) if (word.startsWith(prefix)) collect(word);
    } else {
      for (const [bucket, words] of this.#buckets) if (bucket.startsWith(prefix)) for (const word of words) collect(word);
    }
    return images;
  }

  /** Drop tombstoned ids from every posting list, and words no live result holds any more. */
  #sweep(): void {
    for (const [word, list] of this.#postings) {
      const live = list.filter((id) => this.#owners[id] !== undefined);
      if (live.length > 0) this.#postings.set(word, live);
      else {
        this.#postings.delete(word);
        const bucket = this.#buckets.get(bucketOf(word));
        bucket?.delete(word);
        if (bucket?.size === 0) this.#buckets.delete(bucketOf(word));
      }
    }
    this.#dead = 0;
  }
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<string>();
  for (const item of small) if (large.has(item)) out.add(item);
  return out;
}
