// Reads a zip exported by Lenscribe and checks all of it before the caller writes anything.
import type { ImageRecord, ResultRecord, JobOptions } from '../library/types.ts';
import { sha256Hex } from '../image/hash.ts';
import { ImportError } from './errors.ts';
import { MANIFEST_NAMES } from './manifest.ts';
import { isSafeEntryName } from '../zip/entry-names.ts';
import { parseResultsJson } from './parse-manifest.ts';
import { ZipReadError } from '../zip/errors.ts';
import { readZipDirectory, readZipEntry, type ZipDirectoryEntry } from '../zip/zip-reader.ts';

/** Everything an import would add, all checked; write all of it or none. */
export interface ImportedLibrary {
  /** `blob` is undefined when the export was made without images. */
  images: { record: ImageRecord; blob: Blob | undefined }[];
  results: ResultRecord[];
  /** Entries skipped because their names could escape a folder ("../x", "/x", "C:\x"). */
  ignoredEntries: string[];
}

/** How the library keys a result (lib/library/keys.ts jobKey), passed in to keep this module apart. */
export type JobKeyFunction = (sha256: string, model: string, prompt: string, options: JobOptions) => string;

// A results.json this large is not a Lenscribe export; refuse before allocating for it.
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Read, check CRCs and SHA-256s, and return the zip's images and results, or throw ImportError. */
export async function importLenscribeZip(zip: Blob, jobKey: JobKeyFunction, options: { signal?: AbortSignal } = {}): Promise<ImportedLibrary> {
  try {
    return await readLenscribeZip(zip, jobKey, options);
  } catch (error) {
    // The zip reader's own refusals are import refusals to the user: nothing was written.
    throw error instanceof ZipReadError ? new ImportError(error.message) : error;
  }
}

async function readLenscribeZip(zip: Blob, jobKey: JobKeyFunction, { signal }: { signal?: AbortSignal }): Promise<ImportedLibrary> {
  const listed = (await readZipDirectory(zip)).filter((entry) => !entry.name.endsWith('/'));
  const ignoredEntries = listed.filter((entry) => !isSafeEntryName(entry.name)).map((entry) => entry.name);
  const entries = new Map<string, ZipDirectoryEntry | 'repeated'>();
  for (const entry of listed) {
    if (isSafeEntryName(entry.name)) entries.set(entry.name, entries.has(entry.name) ? 'repeated' : entry);
  }
  const folder = findManifestFolder([...entries.keys()]);
  const manifest = entries.get(folder + MANIFEST_NAMES.json);
  if (manifest === 'repeated' || !manifest) throw new ImportError('This zip lists results.json more than once. Nothing was imported.');
  if (manifest.size > MAX_MANIFEST_BYTES) throw new ImportError('results.json in this zip is too large to be a Lenscribe export. Nothing was imported.');
  const items = parseResultsJson(decodeUtf8((await readZipEntry(zip, manifest)).bytes));

  const images: ImportedLibrary['images'] = [];
  const results: ResultRecord[] = [];
  for (const item of items) {
    signal?.throwIfAborted();
    const entry = entries.get(folder + item.image);
    if (entry === 'repeated') throw new ImportError(`This zip holds ${item.image} more than once. Nothing was imported.`);
    const blob = entry && (await readImage(zip, entry, item.record));
    images.push({ record: blob ? { ...item.record, size: blob.size } : item.record, blob });
    for (const result of item.results) results.push({ ...result, key: jobKey(result.sha256, result.model, result.prompt, result.options) });
  }
  return { images, results, ignoredEntries };
}

// A zip re-made from an unpacked export (Finder's "Compress") puts everything in one folder.
function findManifestFolder(names: readonly string[]): string {
  if (names.includes(MANIFEST_NAMES.json)) return '';
  const nested = names.filter((name) => /^[^/]+\/results\.json$/.test(name) && !name.startsWith('__MACOSX/'));
  const [only] = nested;
  if (only === undefined || nested.length > 1) {
    throw new ImportError('This zip has no results.json, so it is not a Lenscribe export. Choose a .zip made with Export in Lenscribe.');
  }
  return only.slice(0, -MANIFEST_NAMES.json.length);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError('results.json in this zip is not UTF-8 text. Nothing was imported.');
  }
}

async function readImage(zip: Blob, entry: ZipDirectoryEntry, record: ImageRecord): Promise<Blob> {
  const { bytes, dataStart } = await readZipEntry(zip, entry);
  if ((await sha256Hex(bytes)) !== record.sha256) {
    throw new ImportError(`The image ${entry.name} does not match the SHA-256 recorded in results.json, so it was changed or damaged. Nothing was imported.`);
  }
  // A stored image is sliced from the chosen file, not copied, so a large import stays small in memory.
  return entry.method === 0 ? zip.slice(dataStart, dataStart + bytes.length, record.type) : new Blob([bytes], { type: record.type });
}
