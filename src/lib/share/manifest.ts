// results.json: every exported image with all its results, readable by people and by importLenscribeZip.
import type { ChatMetrics } from '../ollama/wire.ts';
import { isReviewNeeded, isTruncatedReply } from '../library/results.ts';
import type { Author, ImageRecord, ResultRecord, JobOptions } from '../library/types.ts';
import { groupVersionsByTask, listPreferredVersions, pickPreferredVersion } from '../library/versions.ts';

export { pickPreferredResult } from '../library/versions.ts';

/** The `format` tag of results.json. */
export const RESULTS_FORMAT = 'lenscribe-results';
/** The results.json version this code writes and reads. */
export const RESULTS_VERSION = 1;
/** The manifest files at the zip's root; no image or text may take these names. */
export const MANIFEST_NAMES = { json: 'results.json', csv: 'results.csv' } as const;
/** The key under which `captions` holds a person's text. */
export const PERSON_CAPTION_KEY = 'person';

/** One version as written to results.json (dates as ISO strings), with who wrote it and how. */
export interface ExportedResult {
  /** The version's own key: an import adds each version once, whatever else it holds. */
  key: string;
  model: string;
  /** The model's digest as its server listed it, for a model's text. */
  modelDigest?: string;
  /** Which engine wrote a model's text ("Ollama at localhost:11434"). */
  engine?: string;
  /** For a person's text: the key of the version it was edited from. */
  editedFrom?: string;
  /** Present (true) when a person checked this text and accepted it, at verifiedAt. */
  verified?: true;
  verifiedAt?: string;
  /** Present (true) on the version its image uses for its task. */
  preferred?: true;
  /** When a person chose this version (picked, edited or verified it). */
  preferredAt?: string;
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
  /** The JSON Schema the reply was held to, for a structured result. */
  format?: Record<string, unknown>;
  /** A structured reply's top-level fields (each is also a results.csv column). */
  fields?: Record<string, unknown>;
  /** Why a structured reply did not match its schema. */
  schemaError?: string;
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
  /** Every version of every task: each task's preferred one first, then newest first. */
  results: ExportedResult[];
  /** Per task: the preferred text, who wrote it, whether a person verified it, and the keys of all its versions. */
  tasks: ExportedTask[];
  /** Present (true) when a person marked the image decorative: its alt-text results are exported empty. */
  decorative?: true;
  /** The image's own context, added to its prompts. */
  context?: string;
  /** Model name → text of that model's newest result; a person's newest text under "person". */
  captions: Record<string, string>;
}

/** One task of one image: its preferred version in short, and every version's key (newest first). */
export interface ExportedTask {
  task: string;
  text: string;
  author: Author;
  /** The model that wrote the preferred text, or that a person's text was edited from. */
  model: string;
  verified: boolean;
  /** The preferred version's key. */
  preferred: string;
  /** The keys of all this task's versions in `results`, newest first. */
  versions: string[];
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

/** An image's versions: each task's preferred one first (the task worked on last first), then newest first. */
export function orderResults(results: readonly ResultRecord[]): ResultRecord[] {
  const preferred = listPreferredVersions(results);
  const rest = results.filter((r) => !preferred.includes(r)).sort(newestFirst);
  return [...preferred, ...rest];
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

function exportTasks(results: readonly ResultRecord[]): ExportedTask[] {
  return [...groupVersionsByTask(results)].map(([task, versions]) => {
    const preferred = pickPreferredVersion(versions)!;
    const source = versions.find((v) => v.key === preferred.editedFrom);
    return {
      task,
      text: preferred.text,
      author: preferred.author,
      model: source?.model ?? preferred.model,
      verified: preferred.verifiedAt !== undefined,
      preferred: preferred.key,
      versions: versions.map((v) => v.key),
    };
  });
}

function exportResult(result: ResultRecord, file: string | undefined, isPreferred: boolean): ExportedResult {
  const iso = (time: number) => new Date(time).toISOString();
  return {
    key: result.key,
    model: result.model,
    ...(result.modelDigest !== undefined && { modelDigest: result.modelDigest }),
    ...(result.engine !== undefined && { engine: result.engine }),
    ...(result.editedFrom !== undefined && { editedFrom: result.editedFrom }),
    ...(result.verifiedAt !== undefined && { verified: true as const, verifiedAt: iso(result.verifiedAt) }),
    ...(isPreferred && { preferred: true as const }),
    ...(result.preferredAt !== undefined && { preferredAt: iso(result.preferredAt) }),
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
    ...(result.format && { format: result.format }),
    ...(result.fields && { fields: result.fields }),
    ...(result.schemaError !== undefined && { schemaError: result.schemaError }),
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
      const preferred = new Set(listPreferredVersions(own));
      return {
        image: paths.images?.get(image.sha256) ?? image.name,
        originalName: image.name,
        sha256: image.sha256,
        type: image.type,
        size: image.size,
        width: image.width,
        height: image.height,
        addedAt: new Date(image.addedAt).toISOString(),
        results: own.map((r) => exportResult(r, paths.texts?.get(r.key), preferred.has(r))),
        tasks: exportTasks(own),
        ...(image.isDecorative && { decorative: true as const }),
        ...(image.context && { context: image.context }),
        captions: buildCaptions(own),
      };
    }),
  };
}
