// Strict reading of results.json: every field checked, so nothing half-valid reaches the library.
import { readConfidence } from '../confidence/types.ts';
import type { ChatMetrics } from '../ollama/wire.ts';
import type { Author, ImageRecord, ResultRecord, JobOptions } from '../library/types.ts';
import { ImportError } from './errors.ts';
import { RESULTS_FORMAT, RESULTS_VERSION } from './manifest.ts';

/** A version read from results.json: its ask's key is the caller's to make, and an export from before versions has no key of its own. */
export type ParsedResult = Omit<ResultRecord, 'key' | 'jobKey'> & { key?: string };

/** One item of results.json, checked. */
export interface ParsedItem {
  /** Where the image is (or would be) inside the zip. */
  image: string;
  record: ImageRecord;
  results: ParsedResult[];
}

type Fields = Record<string, unknown>;

const SHA256 = /^[0-9a-f]{64}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;
const OPTION_KEYS = ['temperature', 'num_predict', 'num_ctx', 'seed', 'top_p', 'top_k', 'maxSide'] as const;
const METRIC_NUMBERS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;

function fail(where: string, problem: string): never {
  throw new ImportError(`results.json is not valid: ${where} ${problem}. Nothing was imported.`);
}

function asFields(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object');
  return value as Fields;
}

function readString(fields: Fields, key: string, where: string, { nonEmpty = false } = {}): string {
  const value = fields[key];
  if (typeof value !== 'string' || (nonEmpty && value === '')) fail(`${where}.${key}`, nonEmpty ? 'must be a non-empty string' : 'must be a string');
  return value;
}

function readCount(fields: Fields, key: string, where: string): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${where}.${key}`, 'must be a whole number ≥ 0');
  return value;
}

function readDate(fields: Fields, key: string, where: string): number {
  const value = readString(fields, key, where);
  const time = Date.parse(value);
  if (!ISO_DATE.test(value) || Number.isNaN(time)) fail(`${where}.${key}`, 'must be an ISO 8601 date');
  return time;
}

function readOptions(value: unknown, where: string): JobOptions {
  const fields = asFields(value, where);
  // Options are part of a result's identity, so an unknown one cannot be dropped silently.
  const unknown = Object.keys(fields).find((key) => !(OPTION_KEYS as readonly string[]).includes(key));
  if (unknown !== undefined) fail(`${where}.${unknown}`, 'is not an option Lenscribe knows');
  const options: Partial<JobOptions> = {};
  for (const key of OPTION_KEYS) {
    const option = fields[key];
    if (option === undefined && key !== 'maxSide') continue;
    if (typeof option !== 'number' || !Number.isFinite(option)) fail(`${where}.${key}`, 'must be a number');
    options[key] = option;
  }
  return options as JobOptions;
}

function readMetrics(value: unknown, where: string): ChatMetrics {
  const fields = asFields(value, where);
  const metrics: ChatMetrics = {};
  // Metrics are informational: unknown ones (from a newer Ollama) are dropped, known ones checked.
  for (const key of METRIC_NUMBERS) {
    if (fields[key] === undefined) continue;
    metrics[key] = readCount(fields, key, where);
  }
  if (fields['done_reason'] !== undefined) metrics.done_reason = readString(fields, 'done_reason', where);
  return metrics;
}

function readResultConfidence(value: unknown, where: string): NonNullable<ResultRecord['confidence']> {
  // Files from earlier versions carry the built-in OCR's { mean, lowestLine } (0–100): read as well.
  const confidence = readConfidence(value);
  if (!confidence) fail(where, 'must be { source, mean, lowest } with figures from 0 to 1, or { mean, lowestLine } from 0 to 100');
  return confidence;
}

function readAuthor(fields: Fields, where: string): Author {
  const author = fields['author'];
  if (author !== 'model' && author !== 'person') fail(`${where}.author`, 'must be "model" or "person"');
  return author;
}

/** Who wrote a version and how, where results.json says (exports from before versions do not). */
function readProvenance(fields: Fields, result: ParsedResult, where: string): void {
  if (fields['key'] !== undefined) result.key = readString(fields, 'key', where, { nonEmpty: true });
  for (const key of ['modelDigest', 'engine', 'editedFrom'] as const) {
    if (fields[key] !== undefined) result[key] = readString(fields, key, where);
  }
  if (fields['verifiedAt'] !== undefined) result.verifiedAt = readDate(fields, 'verifiedAt', where);
  if (fields['preferredAt'] !== undefined) result.preferredAt = readDate(fields, 'preferredAt', where);
}

function readResult(value: unknown, sha256: string, where: string): ParsedResult {
  const fields = asFields(value, where);
  const result: ParsedResult = {
    sha256,
    model: readString(fields, 'model', where, { nonEmpty: true }),
    taskId: readString(fields, 'task', where, { nonEmpty: true }),
    prompt: readString(fields, 'prompt', where),
    options: readOptions(fields['options'], `${where}.options`),
    text: readString(fields, 'text', where),
    author: readAuthor(fields, where),
    createdAt: readDate(fields, 'createdAt', where),
  };
  if (fields['context'] !== undefined) result.context = readString(fields, 'context', where);
  if (fields['metrics'] !== undefined) result.metrics = readMetrics(fields['metrics'], `${where}.metrics`);
  if (fields['confidence'] !== undefined) result.confidence = readResultConfidence(fields['confidence'], `${where}.confidence`);
  if (fields['truncated'] !== undefined) {
    if (typeof fields['truncated'] !== 'boolean') fail(`${where}.truncated`, 'must be true or false');
    if (fields['truncated']) result.isTruncated = true;
  }
  if (fields['needsReview'] !== undefined) {
    if (typeof fields['needsReview'] !== 'boolean') fail(`${where}.needsReview`, 'must be true or false');
    if (fields['needsReview']) result.needsReview = true;
  }
  if (fields['reviewReason'] !== undefined && result.needsReview) result.reviewReason = readString(fields, 'reviewReason', where);
  readProvenance(fields, result, where);
  if (fields['format'] !== undefined) result.format = asFields(fields['format'], `${where}.format`);
  if (fields['fields'] !== undefined) result.fields = asFields(fields['fields'], `${where}.fields`);
  if (fields['schemaError'] !== undefined) result.schemaError = readString(fields, 'schemaError', where);
  return result;
}

function readItem(value: unknown, where: string): ParsedItem {
  const fields = asFields(value, where);
  const sha256 = readString(fields, 'sha256', where);
  if (!SHA256.test(sha256)) fail(`${where}.sha256`, 'must be 64 lowercase hex digits');
  const type = readString(fields, 'type', where);
  if (!type.startsWith('image/')) fail(`${where}.type`, 'must be an image type');
  const results = fields['results'];
  if (!Array.isArray(results)) fail(`${where}.results`, 'must be a list');
  if (fields['captions'] !== undefined) asFields(fields['captions'], `${where}.captions`);
  const decorative = fields['decorative'];
  if (decorative !== undefined && typeof decorative !== 'boolean') fail(`${where}.decorative`, 'must be true or false');
  const context = fields['context'] !== undefined ? readString(fields, 'context', where) : undefined;
  return {
    image: readString(fields, 'image', where, { nonEmpty: true }),
    record: {
      sha256,
      name: readString(fields, 'originalName', where, { nonEmpty: true }),
      type,
      size: readCount(fields, 'size', where),
      width: readCount(fields, 'width', where),
      height: readCount(fields, 'height', where),
      addedAt: readDate(fields, 'addedAt', where),
      ...(decorative === true && { isDecorative: true }),
      ...(context && { context }),
    },
    results: results.map((result: unknown, index) => readResult(result, sha256, `${where}.results[${index}]`)),
  };
}

/** The items of a results.json text, or ImportError saying exactly what is wrong and where. */
export function parseResultsJson(text: string): ParsedItem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ImportError('results.json in this zip is not valid JSON. Nothing was imported.');
  }
  const fields = asFields(json, 'the top level');
  if (fields['format'] !== RESULTS_FORMAT) {
    throw new ImportError(`This zip's results.json was not written by Lenscribe (its format is ${JSON.stringify(fields['format'] ?? null)}, not "${RESULTS_FORMAT}").`);
  }
  const version = fields['version'];
  if (typeof version === 'number' && version > RESULTS_VERSION) {
    throw new ImportError(`This export was made by a newer Lenscribe (format version ${version}). Update Lenscribe to import it.`);
  }
  if (version !== RESULTS_VERSION) fail('version', `must be ${RESULTS_VERSION}`);
  const items = fields['items'];
  if (!Array.isArray(items)) fail('items', 'must be a list');
  const parsed = items.map((item: unknown, index) => readItem(item, `items[${index}]`));
  const seen = new Set<string>();
  for (const [index, item] of parsed.entries()) {
    if (seen.has(item.record.sha256)) fail(`items[${index}]`, 'repeats an image listed earlier');
    seen.add(item.record.sha256);
  }
  return parsed;
}
