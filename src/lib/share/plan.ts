// What goes into an export zip and under which names, decided without touching any bytes.
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { buildResultsCsv } from './csv.ts';
import { MANIFEST_NAMES, buildResultsJson, groupResultsByImage } from './manifest.ts';
import { MAX_NAME_BYTES, NameRegistry, fitName, sanitizeFileName, slugify, splitExtension } from './names.ts';
import { measureUtf8 } from '../zip/entry-names.ts';
import type { ReadBlobs, ZipEntryInput } from '../zip/zip-core.ts';

/** How the person wants the export. */
export interface ExportOptions {
  includeImages: boolean;
  textExtension: 'md' | 'txt';
  /** Written to results.json; defaults to now. */
  exportedAt?: Date;
}

/** One file of the export: text content, or an image the caller looks up by sha256. */
export type ExportEntry =
  | { path: string; kind: 'text' | 'json' | 'csv'; text: string; sha256?: undefined }
  | { path: string; kind: 'image'; sha256: string; size: number; text?: undefined };

/** Every file of an export, in zip order. */
export interface ExportPlan {
  entries: ExportEntry[];
}

const MAX_SLUG_LENGTH = 30;
// Room for a " (nn)" that NameRegistry may add, so an image and its texts keep the same stem.
const SUFFIX_ROOM = 5;

const EXTENSION_BY_TYPE: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/avif': '.avif',
  'image/bmp': '.bmp',
  'image/tiff': '.tif',
  'image/heic': '.heic',
  'image/heif': '.heif',
  'image/svg+xml': '.svg',
};

/** Decide every file's name and content; images are referenced by sha256 for the caller to look up. */
export function planExport(images: readonly ImageRecord[], results: readonly ResultRecord[], options: ExportOptions): ExportPlan {
  const names = new NameRegistry();
  names.claim(MANIFEST_NAMES.json);
  names.claim(MANIFEST_NAMES.csv);
  const stems = new NameRegistry();
  const groups = groupResultsByImage(results);
  const textExtension = `.${options.textExtension}`;
  const imagePaths = new Map<string, string>();
  const textPaths = new Map<string, string>();
  const files: ExportEntry[] = [];

  for (const image of images) {
    const [rawStem, rawExtension] = splitExtension(sanitizeFileName(image.name));
    const imageExtension = rawExtension || (EXTENSION_BY_TYPE[image.type] ?? '');
    const own = groups.get(image.sha256) ?? [];
    // "<stem>.md" holds the preferred result (the person's, else the newest); each other result
    // "<stem>.<model>.md", "<stem>.<model>.<task>.md" if that model ran several tasks, then " (2)".
    const labels = own.map((result, index) => (index === 0 ? '' : `.${describeResult(result, own)}`));
    // The stem is shortened once, to fit the longest name this image needs.
    const longestTail = Math.max(measureUtf8(imageExtension), ...labels.map((label) => measureUtf8(label + textExtension)));
    const stem = stems.claimParts(fitName(rawStem, '', MAX_NAME_BYTES - longestTail - SUFFIX_ROOM) || 'image', '');
    if (options.includeImages) {
      const path = names.claimParts(stem, imageExtension);
      imagePaths.set(image.sha256, path);
      files.push({ path, kind: 'image', sha256: image.sha256, size: image.size });
    }
    own.forEach((result, index) => {
      const path = names.claimParts(`${stem}${labels[index] ?? ''}`, textExtension);
      textPaths.set(result.key, path);
      files.push({ path, kind: 'text', text: withFinalNewline(result.text) });
    });
  }

  const json = buildResultsJson(images, results, { exportedAt: options.exportedAt, paths: { images: imagePaths, texts: textPaths } });
  return {
    entries: [
      { path: MANIFEST_NAMES.json, kind: 'json', text: `${JSON.stringify(json, null, 2)}\n` },
      { path: MANIFEST_NAMES.csv, kind: 'csv', text: buildResultsCsv(json) },
      ...files,
    ],
  };
}

function describeResult(result: ResultRecord, siblings: readonly ResultRecord[]): string {
  const model = slugify(result.model, 'model', MAX_SLUG_LENGTH);
  const ranSeveralTasks = siblings.some((r) => r.model === result.model && r.taskId !== result.taskId);
  return ranSeveralTasks ? `${model}.${slugify(result.taskId, 'task', MAX_SLUG_LENGTH)}` : model;
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The plan's entries as buildZip takes them: images by sha256, for the store's reader to look up. */
export function toZipEntries(entries: readonly ExportEntry[]): ZipEntryInput[] {
  return entries.map((entry) => (entry.kind === 'image' ? { path: entry.path, blobKey: entry.sha256, size: entry.size } : { path: entry.path, text: entry.text }));
}

/** `readMany` (the store's getMany) refusing, by its name in the zip, an image that is not stored. */
export function readPlannedImages(entries: readonly ExportEntry[], readMany: ReadBlobs): ReadBlobs {
  const paths = new Map(entries.flatMap((entry) => (entry.kind === 'image' ? [[entry.sha256, entry.path] as const] : [])));
  return async (sha256s) => {
    const blobs = await readMany(sha256s);
    const missing = sha256s.find((_, i) => !blobs[i]);
    if (missing !== undefined) {
      throw new Error(`The image ${paths.get(missing) ?? missing} is missing from the library. Export without images, or remove it and add it again.`);
    }
    return blobs;
  };
}
