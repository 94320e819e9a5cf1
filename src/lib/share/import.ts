// Reads a zip exported by Lenscribe and checks all of it before the caller writes anything. Runs
// in import.worker.ts, so a large or hostile zip never stalls the page. Only results.json and the
// images it lists are read; every declared size is checked against a cap before inflating.
import type { ImageRecord, ResultRecord, JobOptions } from '../library/types.ts';
import { createSha256Hasher, sha256Hex, WHOLE_FILE_HASH_BYTES } from '../image/hash.ts';
import { formatBytes } from '../storage/space.ts';
import { ImportError } from './errors.ts';
import { MANIFEST_NAMES } from './manifest.ts';
import { isSafeEntryName } from '../zip/entry-names.ts';
import { parseResultsJson, type ParsedResult } from './parse-manifest.ts';
import { importedVersionKey, isVersionOf } from '../library/keys.ts';
import { ZipReadError } from '../zip/errors.ts';
import { readZipDirectory, readZipEntry, readZipEntryBytes, type ZipDirectoryEntry } from '../zip/zip-reader.ts';

/** Everything an import would add, all checked; write all of it or none. */
export interface ImportedLibrary {
  /** `blob` is undefined when the export was made without images. */
  images: { record: ImageRecord; blob: Blob | undefined }[];
  results: ResultRecord[];
  /** Entries skipped because their names could escape a folder ("../x", "/x", "C:\x"). */
  ignoredEntries: string[];
}

/** How the library keys a result (lib/library/keys.ts jobKey), passed in to keep this module apart. */
export type JobKeyFunction = (sha256: string, model: string, prompt: string, options: JobOptions, format?: Record<string, unknown>) => string;

/** How many of the zip's images have been checked. */
export interface ImportProgress {
  done: number;
  total: number;
}

/** Options of importLenscribeZip. */
export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/** Largest results.json read: 10,000 images with several long results each fit in a tenth of it. */
export const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;
/** Largest image read from a zip: far beyond any photo (a 200 MP PNG is rarely this big). */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
/** Most bytes one import reads in all, as the entries declare them (an export is at most 4 GiB). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;

/** Read, check CRCs and SHA-256s, and return the zip's images and results, or throw ImportError. */
export async function importLenscribeZip(zip: Blob, jobKey: JobKeyFunction, options: ImportOptions = {}): Promise<ImportedLibrary> {
  try {
    return await readLenscribeZip(zip, jobKey, options);
  } catch (error) {
    // The zip reader's own refusals are import refusals to the user: nothing was written.
    throw error instanceof ZipReadError ? new ImportError(error.message) : error;
  }
}

async function readLenscribeZip(zip: Blob, jobKey: JobKeyFunction, { signal, onProgress }: ImportOptions): Promise<ImportedLibrary> {
  const listed = (await readZipDirectory(zip)).filter((entry) => !entry.name.endsWith('/'));
  const ignoredEntries = listed.filter((entry) => !isSafeEntryName(entry.name)).map((entry) => entry.name);
  const entries = new Map<string, ZipDirectoryEntry | 'repeated'>();
  for (const entry of listed) {
    if (isSafeEntryName(entry.name)) entries.set(entry.name, entries.has(entry.name) ? 'repeated' : entry);
  }
  const folder = findManifestFolder([...entries.keys()]);
  const manifest = entries.get(folder + MANIFEST_NAMES.json);
  if (manifest === 'repeated' || !manifest) throw new ImportError('This zip lists results.json more than once. Nothing was imported.');
  const items = parseResultsJson(decodeUtf8(await readZipEntryBytes(zip, manifest, MAX_MANIFEST_BYTES)));

  // Every entry the import relies on is found and its declared size checked before any is inflated.
  const found = items.map((item) => {
    const entry = entries.get(folder + item.image);
    if (entry === 'repeated') throw new ImportError(`This zip holds ${item.image} more than once. Nothing was imported.`);
    return { item, entry };
  });
  const declared = found.reduce((total, { entry }) => total + (entry?.size ?? 0), manifest.size);
  if (declared > MAX_IMPORT_BYTES) {
    throw new ImportError(`This zip says it holds ${formatBytes(declared)} of images; Lenscribe imports at most ${formatBytes(MAX_IMPORT_BYTES)} at once. Nothing was imported.`);
  }

  const images: ImportedLibrary['images'] = [];
  const results: ResultRecord[] = [];
  for (const [index, { item, entry }] of found.entries()) {
    signal?.throwIfAborted();
    const blob = entry && (await readImage(zip, entry, item.record));
    images.push({ record: blob ? { ...item.record, size: blob.size } : item.record, blob });
    for (const result of item.results) results.push(keyVersion(result, jobKey(result.sha256, result.model, result.prompt, result.options, result.format)));
    onProgress?.({ done: index + 1, total: found.length });
  }
  return { images, results, ignoredEntries };
}

/**
 * An imported version's keys: its own key when it is a version of the ask it describes; the ask's
 * key for an export from before versions (as this library keeps its own old results); else a key
 * made from its content, so a version is never filed under another ask.
 */
function keyVersion(result: ParsedResult, askKey: string): ResultRecord {
  const { key, ...rest } = result;
  const version = { ...rest, key: askKey, jobKey: askKey };
  if (key === undefined) return version;
  return { ...version, key: isVersionOf(key, askKey) ? key : importedVersionKey(version) };
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

/** The image as a Blob, hashed as it streams in; ImportError when its SHA-256 is not the recorded one. */
async function readImage(zip: Blob, entry: ZipDirectoryEntry, record: ImageRecord): Promise<Blob> {
  // Most photos fit WebCrypto's one-buffer hash, which is native and several times faster.
  const isSmall = entry.size <= WHOLE_FILE_HASH_BYTES;
  const hasher = isSmall ? undefined : createSha256Hasher();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const { dataStart } = await readZipEntry(zip, entry, {
    maxBytes: MAX_IMAGE_BYTES,
    onData(chunk) {
      hasher?.update(chunk);
      // A large stored image is sliced from the chosen file below, not copied, so it is not kept here.
      if (isSmall || entry.method !== 0) parts.push(chunk);
    },
  });
  const sha256 = hasher ? hasher.digestHex() : await sha256Hex(await new Blob(parts).arrayBuffer());
  if (sha256 !== record.sha256) {
    throw new ImportError(`The image ${entry.name} does not match the SHA-256 recorded in results.json, so it was changed or damaged. Nothing was imported.`);
  }
  return entry.method === 0 ? zip.slice(dataStart, dataStart + entry.size, record.type) : new Blob(parts, { type: record.type });
}
