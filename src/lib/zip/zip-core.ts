// Builds a zip from texts and image Blobs with fflate's streaming Zip. Images are read only for
// their CRC, a few megabytes ahead, and the archive references their Blobs instead of copying them.
// Plain module (no worker globals) so Node tests can run it; a worker runs it off the main thread.
import { Zip, deflateSync, strToU8 } from 'fflate';
import { ArchiveParts, ReadyFile } from './archive-parts.ts';
import { computeCrc32, updateCrc32 } from './crc32.ts';
import { ZipTooLargeError } from './errors.ts';
import { isSafeEntryName, measureUtf8 } from './entry-names.ts';
import { BlobReadAhead, type ReadBlobs } from './read-ahead.ts';

export type { ReadBlobs } from './read-ahead.ts';

/**
 * One file for the zip: a text is deflated; a Blob (an image, already compressed) is stored, given
 * or by the key `readBlobs` looks it up under (`size` its expected size, for the limits).
 */
export type ZipEntryInput = { path: string; text: string } | { path: string; blob: Blob } | { path: string; blobKey: string; size: number };

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
  /** Looks up the Blobs of entries given by key, a batch at a time, in order. */
  readBlobs?: ReadBlobs;
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

/** An upper bound of the archive's size: texts counted as if deflate could not shrink them. */
export function estimateZipSize(entries: readonly ZipEntryInput[]): number {
  let total = END_OF_CENTRAL_DIRECTORY;
  for (const entry of entries) {
    const data = 'text' in entry ? measureUtf8(entry.text) : 'blob' in entry ? entry.blob.size : entry.size;
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

/** Build the zip: texts deflated; stored files checksummed as their bytes stream past, then put in by reference. */
export async function buildZip(entries: readonly ZipEntryInput[], { signal, onProgress, modifiedAt, readBlobs }: BuildZipOptions = {}): Promise<Blob> {
  checkZipLimits(entries);
  const bad = entries.find((entry) => !isSafeEntryName(entry.path));
  if (bad) throw new Error(`Unsafe name for a zip entry: ${JSON.stringify(bad.path)}`);
  const totalBytes = estimateZipSize(entries);
  const mtime = zipTime(modifiedAt ?? Date.now());
  const parts = new ArchiveParts();
  const reader = new BlobReadAhead(entries.filter((entry): entry is Exclude<ZipEntryInput, { text: string }> => !('text' in entry)), readBlobs);
  let failure: Error | undefined;
  // fflate calls back synchronously here: every file is pushed whole and ended before the next.
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else parts.push(chunk as Uint8Array<ArrayBuffer>);
  });
  try {
    for (const [index, entry] of entries.entries()) {
      signal?.throwIfAborted();
      const file = 'text' in entry ? deflateText(entry.path, entry.text, mtime) : await checksumStoredFile(entry.path, reader, mtime);
      zip.add(file);
      file.finish();
      if (failure) throw failure;
      if (parts.bytes > MAX_ZIP_BYTES) throw tooManyBytes(parts.bytes);
      onProgress?.({ done: index + 1, total: entries.length, bytes: parts.bytes, totalBytes });
    }
    signal?.throwIfAborted();
    zip.end();
    if (failure) throw failure;
    if (parts.bytes > MAX_ZIP_BYTES) throw tooManyBytes(parts.bytes);
    return parts.finish();
  } catch (error) {
    zip.terminate();
    throw error;
  }
}

// One-shot deflate: fflate's streaming ZipDeflate allocates about 700 kB of buffers and tables per
// file, which for a thousand short texts took longer than checksumming their images.
function deflateText(path: string, text: string, mtime: Date): ReadyFile {
  const bytes = strToU8(text);
  return new ReadyFile(path, { deflated: deflateSync(bytes, { level: 6 }), size: bytes.length }, computeCrc32(bytes), mtime);
}

async function checksumStoredFile(path: string, reader: BlobReadAhead, mtime: Date): Promise<ReadyFile> {
  let crc = 0;
  for (;;) {
    const piece = await reader.next();
    crc = updateCrc32(crc, piece.bytes);
    if (piece.isLast) return new ReadyFile(path, { stored: piece.blob }, crc, mtime);
  }
}

// DOS timestamps (and fflate) cover 1980–2099 only; a clock outside that must not fail the export.
function zipTime(epochMs: number): Date {
  const min = new Date(1980, 0, 1, 0, 0, 2).getTime();
  const max = new Date(2099, 11, 31, 23, 59, 58).getTime();
  return new Date(Math.min(max, Math.max(min, epochMs)));
}
