// Which images the list shows: by status, model, task and a text search, with a count per status.
import { isTruncatedReply } from './results.ts';
import { normaliseText, tokenise } from './search.ts';
import type { ImageRecord, ResultRecord } from './types.ts';

/** The statuses an image can be filtered by; 'all' means no status filter. */
export const STATUS_FILTERS = ['all', 'done', 'failed', 'needs-review', 'truncated', 'not-run'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** What the list is narrowed to; '' for model or task means any. */
export interface LibraryFilter {
  status: StatusFilter;
  model: string;
  taskId: string;
  /** Typed text; blank means no search. */
  query: string;
}

export const NO_FILTER: LibraryFilter = { status: 'all', model: '', taskId: '', query: '' };

/** What the filter needs to know of a queued or failed run. */
export interface JobFacts {
  model: string;
  taskId: string;
  isFailed: boolean;
}

/** Everything an image is filtered against. */
export interface FilterSource {
  /** In list order. */
  images: readonly ImageRecord[];
  resultsByImage: ReadonlyMap<string, readonly ResultRecord[]>;
  jobsByImage: ReadonlyMap<string, readonly JobFacts[]>;
  /** The images whose result texts hold a word starting with this term (the search index). */
  findText: (term: string) => ReadonlySet<string>;
}

/** The images shown and how many images each status would show (with the other filters applied). */
export interface FilteredImages {
  shown: ImageRecord[];
  counts: Record<StatusFilter, number>;
}

/** The model and task part of a filter, which decides each image's statuses. */
export type FilterScope = Pick<LibraryFilter, 'model' | 'taskId'>;

/** One bit per status, so an image's statuses are one small number. */
const BITS: Record<StatusFilter, number> = { all: 1, done: 2, failed: 4, 'needs-review': 8, truncated: 16, 'not-run': 32 };

const fits = (item: { model: string; taskId: string }, scope: FilterScope) =>
  (!scope.model || item.model === scope.model) && (!scope.taskId || item.taskId === scope.taskId);

/**
 * The statuses of one image under the model and task filter as bits, or 0 when it has neither a
 * result nor a run of that model and task. Statuses overlap: a truncated result is also done, and
 * an image whose re-run failed is done and failed. "Not run" is an image with no result and no
 * failed run (queued and running images count as not run until their text is in).
 */
export function statusBits(results: readonly ResultRecord[], jobs: readonly JobFacts[], scope: FilterScope): number {
  const isScoped = scope.model !== '' || scope.taskId !== '';
  const own = isScoped ? results.filter((r) => fits(r, scope)) : results;
  const ownJobs = isScoped ? jobs.filter((j) => fits(j, scope)) : jobs;
  if (isScoped && own.length === 0 && ownJobs.length === 0) return 0;
  const isFailed = ownJobs.some((j) => j.isFailed);
  let bits = BITS.all;
  if (own.length > 0) bits |= BITS.done;
  if (isFailed) bits |= BITS.failed;
  if (own.some((r) => r.needsReview === true)) bits |= BITS['needs-review'];
  if (own.some(isTruncatedReply)) bits |= BITS.truncated;
  if (own.length === 0 && !isFailed) bits |= BITS['not-run'];
  return bits;
}

/**
 * Every image's status bits, in `source.images` order. Typing a query does not change them, so
 * state keeps them apart and the search only walks the list once more.
 */
export function statusBitsOf(source: Omit<FilterSource, 'findText'>, scope: FilterScope): Uint8Array {
  const bits = new Uint8Array(source.images.length);
  source.images.forEach((image, i) => {
    bits[i] = statusBits(source.resultsByImage.get(image.sha256) ?? [], source.jobsByImage.get(image.sha256) ?? [], scope);
  });
  return bits;
}

/** True when each search term starts a word of the image's results or is inside its file name. */
function matchesQuery(image: ImageRecord, terms: readonly string[], found: readonly ReadonlySet<string>[]): boolean {
  for (let i = 0; i < terms.length; i++) {
    if (found[i]?.has(image.sha256)) continue;
    if (!normalisedName(image).includes(terms[i] ?? '')) return false;
  }
  return true;
}

const names = new WeakMap<ImageRecord, string>();
/** File names are matched as substrings ("0042" finds IMG_0042.jpg), normalised once per record. */
function normalisedName(image: ImageRecord): string {
  let name = names.get(image);
  if (name === undefined) names.set(image, (name = normaliseText(image.name)));
  return name;
}

/** The query's terms: its normalised words, as the index splits texts. */
export function queryTerms(query: string): string[] {
  return [...tokenise(query)];
}

/**
 * Apply the filter to the library in one pass, counting every status as it goes. `bits` are
 * statusBitsOf(source, filter), when the caller already has them.
 */
export function filterImages(source: FilterSource, filter: LibraryFilter, bits = statusBitsOf(source, filter)): FilteredImages {
  const counts = Object.fromEntries(STATUS_FILTERS.map((s) => [s, 0])) as Record<StatusFilter, number>;
  const shown: ImageRecord[] = [];
  const terms = queryTerms(filter.query);
  const found = terms.map((term) => source.findText(term));
  const wanted = BITS[filter.status];
  source.images.forEach((image, i) => {
    const own = bits[i] ?? 0;
    if (own === 0 || !matchesQuery(image, terms, found)) return;
    for (const status of STATUS_FILTERS) if (own & BITS[status]) counts[status]++;
    if (own & wanted) shown.push(image);
  });
  return { shown, counts };
}
