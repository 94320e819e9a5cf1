// results.json: every exported image with all its results, readable by people and by importLenscribeZip.
import type { ChatMetrics } from '../ollama/wire.ts';
import { isReviewNeeded, isTruncatedReply } from '../library/results.ts';
import type { Author, ImageRecord, ResultRecord, JobOptions } from '../library/types.ts';

/** The `format` tag of results.json. */
export const RESULTS_FORMAT = 'lenscribe-results';
/** The results.json version this code writes and reads. */
export const RESULTS_VERSION = 1;
/** The manifest files at the zip's root; no image or text may take these names. */
export const MANIFEST_NAMES = { json: 'results.json', csv: 'results.csv' } as const;
/** The key under which `captions` holds a person's text. */
export const PERSON_CAPTION_KEY = 'person';

/** One result as written to results.json (dates as ISO strings). */
export interface ExportedResult {
  model: string;
  task: string;
  prompt: string;
  context?: string;
  text: string;
  author: Author;
  createdAt: string;
  options: JobOptions;
  /** Ollama's counts and integer nanosecond durations, as it sent them. */
  metrics?: ChatMetrics;
  /** Present (true) when the model's reply stopped at its token limit: the text may be incomplete. */
  truncated?: true;
  /** How sure the engine was, 0–1: token log-probabilities or OCR word confidence, with its weakest spans. */
  confidence?: NonNullable<ResultRecord['confidence']>;
  /** Present (true) when a person should check the model's text, with why in reviewReason. */
  needsReview?: true;
  reviewReason?: string;
  /** The text file inside the zip holding this result, when written by planExport. */
  file?: string;
}

/** One image as written to results.json. */
export interface ExportedItem {
  /** The image's name inside the zip, or its original name when images were not included. */
  image: string;
  originalName: string;
  sha256: string;
  type: string;
  size: number;
  width: number;
  height: number;
  addedAt: string;
  /** The preferred result first, then newest first. */
  results: ExportedResult[];
  /** Model name → text of that model's newest result; a person's newest text under "person". */
  captions: Record<string, string>;
}

/** The whole of results.json. */
export interface ResultsJson {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  exportedAt: string;
  items: ExportedItem[];
}

/** Where planExport put things, so results.json can point at them. */
export interface ManifestPaths {
  /** sha256 → image name inside the zip. */
  images?: ReadonlyMap<string, string>;
  /** result key → text file name inside the zip. */
  texts?: ReadonlyMap<string, string>;
}

const newestFirst = (a: ResultRecord, b: ResultRecord) => b.createdAt - a.createdAt || a.key.localeCompare(b.key);

/** The result to show for an image: the person's (newest) if any, else the newest. */
export function pickPreferredResult(results: readonly ResultRecord[]): ResultRecord | undefined {
  const sorted = [...results].sort(newestFirst);
  return sorted.find((r) => r.author === 'person') ?? sorted[0];
}

/** An image's results with the preferred one first, then newest first. */
export function orderResults(results: readonly ResultRecord[]): ResultRecord[] {
  const preferred = pickPreferredResult(results);
  return [...results].sort((a, b) => Number(b === preferred) - Number(a === preferred) || newestFirst(a, b));
}

/** Results grouped by image sha256, each group in orderResults order. */
export function groupResultsByImage(results: readonly ResultRecord[]): Map<string, ResultRecord[]> {
  const groups = new Map<string, ResultRecord[]>();
  for (const result of results) {
    const group = groups.get(result.sha256);
    if (group) group.push(result);
    else groups.set(result.sha256, [result]);
  }
  for (const [sha256, group] of groups) groups.set(sha256, orderResults(group));
  return groups;
}

/** Model name → its newest model text, plus the newest person text under "person". */
export function buildCaptions(results: readonly ResultRecord[]): Record<string, string> {
  const captions = new Map<string, string>();
  for (const result of [...results].sort(newestFirst)) {
    const key = result.author === 'person' ? PERSON_CAPTION_KEY : result.model;
    if (!captions.has(key)) captions.set(key, result.text);
  }
  return Object.fromEntries(captions);
}

function exportResult(result: ResultRecord, file: string | undefined): ExportedResult {
  return {
    model: result.model,
    task: result.taskId,
    prompt: result.prompt,
    ...(result.context !== undefined && { context: result.context }),
    text: result.text,
    author: result.author,
    createdAt: new Date(result.createdAt).toISOString(),
    options: result.options,
    ...(result.metrics && { metrics: result.metrics }),
    ...(isTruncatedReply(result) && { truncated: true as const }),
    // It measured the engine's reading, not a person's correction of it.
    ...(result.confidence && result.author === 'model' && { confidence: result.confidence }),
    ...(isReviewNeeded(result) && { needsReview: true as const, ...(result.reviewReason !== undefined && { reviewReason: result.reviewReason }) }),
    ...(file !== undefined && { file }),
  };
}

/** results.json's content for these images; results of images not listed are left out. */
export function buildResultsJson(
  images: readonly ImageRecord[],
  results: readonly ResultRecord[],
  { exportedAt = new Date(), paths = {} }: { exportedAt?: Date; paths?: ManifestPaths } = {},
): ResultsJson {
  const groups = groupResultsByImage(results);
  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    exportedAt: exportedAt.toISOString(),
    items: images.map((image) => {
      const own = groups.get(image.sha256) ?? [];
      return {
        image: paths.images?.get(image.sha256) ?? image.name,
        originalName: image.name,
        sha256: image.sha256,
        type: image.type,
        size: image.size,
        width: image.width,
        height: image.height,
        addedAt: new Date(image.addedAt).toISOString(),
        results: own.map((r) => exportResult(r, paths.texts?.get(r.key))),
        captions: buildCaptions(own),
      };
    }),
  };
}
