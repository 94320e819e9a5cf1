// Builds a zip from texts and image Blobs with fflate's streaming Zip, one image in memory at a time.
// Plain module (no worker globals) so Node tests can run it; zip.worker.ts runs it off the main thread.
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { ZipTooLargeError } from './errors.ts';
import { isSafeEntryName, measureUtf8 } from './entry-names.ts';

/** One file for the zip: a text is deflated; a Blob (an image, already compressed) is stored. */
export type ZipEntryInput = { path: string; text: string } | { path: string; blob: Blob };

/** How far a zip build has got; `totalBytes` is an upper estimate of the archive's size. */
export interface ZipProgress {
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
}

/** Options of buildZip. */
export interface BuildZipOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ZipProgress) => void;
  /** Modification time stamped on every entry (epoch ms); defaults to now. */
  modifiedAt?: number;
}

// fflate 0.8 writes no Zip64 records: the entry count has 16 bits, sizes and offsets 32.
/** Most entries a zip without Zip64 can list. */
export const MAX_ZIP_ENTRIES = 0xffff;
/** Largest archive (bytes) whose offsets fit the 32-bit fields of a zip without Zip64. */
export const MAX_ZIP_BYTES = 0xffff_ffff;
const TOO_LARGE_ADVICE = 'Export a smaller selection, or export without images.';

// Local header (30) + data descriptor (16) + central directory record (46), each name twice.
const ENTRY_OVERHEAD = 30 + 16 + 46;
const END_OF_CENTRAL_DIRECTORY = 22;
// Parts are merged into Blobs at this size, so the archive is never held as one huge buffer.
const FLUSH_BYTES = 8 * 1024 * 1024;

/** An upper bound of the archive's size: texts counted as if deflate could not shrink them. */
export function estimateZipSize(entries: readonly ZipEntryInput[]): number {
  let total = END_OF_CENTRAL_DIRECTORY;
  for (const entry of entries) {
    const data = 'text' in entry ? measureUtf8(entry.text) : entry.blob.size;
    // Incompressible input costs deflate 5 bytes per stored block of up to 65,535 bytes.
    const deflateSlack = 'text' in entry ? 5 * Math.ceil(data / 65_535) + 8 : 0;
    total += ENTRY_OVERHEAD + 2 * measureUtf8(entry.path) + data + deflateSlack;
  }
  return total;
}

/** Throw ZipTooLargeError (with what to do instead) when the zip format cannot hold these entries. */
export function checkZipLimits(entries: readonly ZipEntryInput[]): void {
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new ZipTooLargeError(`This export has ${entries.length.toLocaleString('en')} files; a zip holds at most ${MAX_ZIP_ENTRIES.toLocaleString('en')}. ${TOO_LARGE_ADVICE}`);
  }
  const size = estimateZipSize(entries);
  if (size > MAX_ZIP_BYTES) throw tooManyBytes(size);
}

function tooManyBytes(size: number): ZipTooLargeError {
  const gib = (size / 2 ** 30).toFixed(1);
  return new ZipTooLargeError(`This export would be about ${gib} GiB; a zip can hold at most 4 GiB. ${TOO_LARGE_ADVICE}`);
}

/** Collects archive chunks into Blob parts, so memory holds at most one flush of raw bytes. */
class ChunkCollector {
  #parts: Blob[] = [];
  #pending: Uint8Array<ArrayBuffer>[] = [];
  #pendingBytes = 0;
  bytes = 0;

  push(chunk: Uint8Array<ArrayBuffer>): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.bytes += chunk.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  finish(): Blob {
    this.#flush();
    return new Blob(this.#parts, { type: 'application/zip' });
  }

  #flush(): void {
    if (this.#pending.length) this.#parts.push(new Blob(this.#pending));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

/** Build the zip: texts deflated, Blobs stored byte for byte, read one at a time. */
export async function buildZip(entries: readonly ZipEntryInput[], { signal, onProgress, modifiedAt }: BuildZipOptions = {}): Promise<Blob> {
  checkZipLimits(entries);
  const bad = entries.find((entry) => !isSafeEntryName(entry.path));
  if (bad) throw new Error(`Unsafe name for a zip entry: ${JSON.stringify(bad.path)}`);
  const totalBytes = estimateZipSize(entries);
  const mtime = zipTime(modifiedAt ?? Date.now());
  const collector = new ChunkCollector();
  let failure: Error | undefined;
  // fflate calls back synchronously here: every file is pushed whole and ended before the next.
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else collector.push(chunk as Uint8Array<ArrayBuffer>);
  });
  try {
    for (const [index, entry] of entries.entries()) {
      signal?.throwIfAborted();
      const file = 'text' in entry ? new ZipDeflate(entry.path, { level: 6 }) : new ZipPassThrough(entry.path);
      file.mtime = mtime;
      zip.add(file);
      file.push('text' in entry ? strToU8(entry.text) : new Uint8Array(await entry.blob.arrayBuffer()), true);
      if (failure) throw failure;
      if (collector.bytes > MAX_ZIP_BYTES) throw tooManyBytes(collector.bytes);
      onProgress?.({ done: index + 1, total: entries.length, bytes: collector.bytes, totalBytes });
    }
    signal?.throwIfAborted();
    zip.end();
    if (failure) throw failure;
    if (collector.bytes > MAX_ZIP_BYTES) throw tooManyBytes(collector.bytes);
    return collector.finish();
  } catch (error) {
    zip.terminate();
    throw error;
  }
}

// DOS timestamps (and fflate) cover 1980–2099 only; a clock outside that must not fail the export.
function zipTime(epochMs: number): Date {
  const min = new Date(1980, 0, 1, 0, 0, 2).getTime();
  const max = new Date(2099, 11, 31, 23, 59, 58).getTime();
  return new Date(Math.min(max, Math.max(min, epochMs)));
}
