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

const fits = (item: { model: string; taskId: string }, filter: LibraryFilter) =>
  (!filter.model || item.model === filter.model) && (!filter.taskId || item.taskId === filter.taskId);

/**
 * The statuses of one image under the model and task filter, or undefined when it has neither a
 * result nor a run of that model and task. Statuses overlap: a truncated result is also done, and
 * an image whose re-run failed is done and failed. "Not run" is an image with no result and no
 * failed run (queued and running images count as not run until their text is in).
 */
export function statusesOf(results: readonly ResultRecord[], jobs: readonly JobFacts[], filter: LibraryFilter): StatusFilter[] | undefined {
  const isScoped = filter.model !== '' || filter.taskId !== '';
  const own = isScoped ? results.filter((r) => fits(r, filter)) : results;
  const ownJobs = isScoped ? jobs.filter((j) => fits(j, filter)) : jobs;
  if (isScoped && own.length === 0 && ownJobs.length === 0) return undefined;
  const statuses: StatusFilter[] = ['all'];
  if (own.length > 0) statuses.push('done');
  const isFailed = ownJobs.some((j) => j.isFailed);
  if (isFailed) statuses.push('failed');
  if (own.some((r) => r.needsReview === true)) statuses.push('needs-review');
  if (own.some(isTruncatedReply)) statuses.push('truncated');
  if (own.length === 0 && !isFailed) statuses.push('not-run');
  return statuses;
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

/** Apply the filter to the library in one pass, counting every status as it goes. */
export function filterImages(source: FilterSource, filter: LibraryFilter): FilteredImages {
  const counts = Object.fromEntries(STATUS_FILTERS.map((s) => [s, 0])) as Record<StatusFilter, number>;
  const shown: ImageRecord[] = [];
  const terms = queryTerms(filter.query);
  const found = terms.map((term) => source.findText(term));
  for (const image of source.images) {
    if (!matchesQuery(image, terms, found)) continue;
    const statuses = statusesOf(source.resultsByImage.get(image.sha256) ?? [], source.jobsByImage.get(image.sha256) ?? [], filter);
    if (!statuses) continue;
    for (const status of statuses) counts[status]++;
    if (statuses.includes(filter.status)) shown.push(image);
  }
  return { shown, counts };
}
