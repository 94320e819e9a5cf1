// Reads a zip from a Blob entry by entry, checking every bound and every CRC. fflate's unzipSync
// needs the whole archive in memory, trusts its sizes and checks no CRC, so only fflate's
// streaming Inflate is used here, fed a slice at a time.
import { Inflate } from 'fflate';
import { formatBytes } from '../storage/space.ts';
import { updateCrc32 } from './crc32.ts';
import { ZipReadError } from './errors.ts';

/** One file as listed in a zip's central directory. */
export interface ZipDirectoryEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
// The archive is read a slice at a time, never whole.
const READ_BYTES = 1024 * 1024;
// fflate inflates all of a push at once and deflate expands up to 1032:1, so pushes are sized
// from the ratio seen so far to give about 1 MB each: a bomb is caught within a megabyte or so
// of its declared size, while an image (ratio about 1) goes in fast 64 KB pushes.
const FIRST_PUSH_BYTES = 4 * 1024;
const PUSH_OUTPUT_BYTES = 1024 * 1024;
const nextPushBytes = (input: number, output: number) =>
  Math.max(1024, Math.min(64 * 1024, Math.floor((input * PUSH_OUTPUT_BYTES) / Math.max(1, output))));

const NOT_A_ZIP = 'This file is not a zip archive. Choose a .zip file exported by Lenscribe.';
const DAMAGED = 'This zip archive is damaged: its table of contents cannot be read. Nothing was imported.';

async function readBytes(blob: Blob, start: number, end: number): Promise<DataView> {
  return new DataView(await blob.slice(start, end).arrayBuffer());
}

/** The central directory of `zip`, validated against the archive's size. */
export async function readZipDirectory(zip: Blob): Promise<ZipDirectoryEntry[]> {
  if (zip.size < EOCD_SIZE) throw new ZipReadError(NOT_A_ZIP);
  const tailStart = Math.max(0, zip.size - EOCD_SIZE - MAX_COMMENT);
  const tail = await readBytes(zip, tailStart, zip.size);
  let eocd = -1;
  for (let at = tail.byteLength - EOCD_SIZE; at >= 0; at--) {
    if (tail.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + tail.getUint16(at + 20, true) <= tail.byteLength) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipReadError(NOT_A_ZIP);
  const count = tail.getUint16(eocd + 10, true);
  const directorySize = tail.getUint32(eocd + 12, true);
  const directoryStart = tail.getUint32(eocd + 16, true);
  if (tail.getUint16(eocd + 4, true) !== 0 || tail.getUint16(eocd + 6, true) !== 0 || tail.getUint16(eocd + 8, true) !== count) {
    throw new ZipReadError('This zip archive is split across several files, which Lenscribe cannot read.');
  }
  if (count === 0xffff || directorySize === 0xffff_ffff || directoryStart === 0xffff_ffff) {
    throw new ZipReadError('This zip archive uses Zip64 (over 4 GiB or 65,535 files), which Lenscribe exports never do.');
  }
  if (directoryStart + directorySize > tailStart + eocd) throw new ZipReadError(DAMAGED);
  const directory = await readBytes(zip, directoryStart, directoryStart + directorySize);
  return parseDirectory(directory, count, directoryStart);
}

function parseDirectory(view: DataView, count: number, directoryStart: number): ZipDirectoryEntry[] {
  const entries: ZipDirectoryEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw new ZipReadError(DAMAGED);
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > view.byteLength) throw new ZipReadError(DAMAGED);
    const nameBytes = new Uint8Array(view.buffer, view.byteOffset + at + 46, nameLength);
    // Without the UTF-8 flag a name is in the zip's legacy code page; Latin-1 keeps ASCII names intact.
    const name = new TextDecoder(flags & FLAG_UTF8 ? 'utf-8' : 'latin1').decode(nameBytes);
    const entry: ZipDirectoryEntry = {
      name,
      flags,
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      headerOffset: view.getUint32(at + 42, true),
    };
    if (entry.headerOffset + entry.compressedSize > directoryStart) throw new ZipReadError(DAMAGED);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Options of readZipEntry. */
export interface ReadZipEntryOptions {
  /** Refuse the entry when it declares, or inflates to, more than this many bytes. */
  maxBytes: number;
  /** Receives the uncompressed bytes piece by piece, each CRC-checked only once all have come. */
  onData: (chunk: Uint8Array<ArrayBuffer>) => void;
}

/**
 * Stream the entry's uncompressed bytes to `onData`, checking its declared size against maxBytes
 * before inflating anything, stopping as soon as the output passes the declared size (a lying
 * header cannot make it inflate gigabytes), and checking size and CRC at the end. Returns where
 * its stored data sits in the archive. ZipReadError if encrypted, of an unknown method, too
 * large, or damaged.
 */
export async function readZipEntry(zip: Blob, entry: ZipDirectoryEntry, { maxBytes, onData }: ReadZipEntryOptions): Promise<{ dataStart: number }> {
  const damaged = () => new ZipReadError(`The file ${entry.name} in this zip is damaged (its checksum does not match). Nothing was imported.`);
  if (entry.flags & FLAG_ENCRYPTED) throw new ZipReadError(`The file ${entry.name} in this zip is encrypted, which Lenscribe cannot read.`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipReadError(`The file ${entry.name} in this zip uses a compression method Lenscribe cannot read.`);
  if (entry.size > maxBytes) {
    throw new ZipReadError(`The file ${entry.name} in this zip says it is ${formatBytes(entry.size)} uncompressed; Lenscribe reads at most ${formatBytes(maxBytes)} for it. Nothing was imported.`);
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) throw damaged();
  const header = await readBytes(zip, entry.headerOffset, entry.headerOffset + 30);
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL_SIGNATURE) throw damaged();
  const dataStart = entry.headerOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > zip.size) throw damaged();

  let produced = 0;
  let crc = 0;
  const take = (chunk: Uint8Array<ArrayBuffer>) => {
    produced += chunk.length;
    // More than the header declared: a zip bomb or a damaged entry. Stop before holding any more.
    if (produced > entry.size) {
      throw new ZipReadError(`The file ${entry.name} in this zip holds more data than its header says, so it is damaged or made to exhaust memory. Nothing was imported.`);
    }
    crc = updateCrc32(crc, chunk);
    if (chunk.length) onData(chunk);
  };
  // fflate hands out fresh slices of plain ArrayBuffers, which may be kept without copying.
  let pushBytes = FIRST_PUSH_BYTES;
  const inflater = entry.method === 8 ? new Inflate((chunk) => take(chunk as Uint8Array<ArrayBuffer>)) : undefined;
  try {
    for (let at = dataStart; at < dataEnd; at += READ_BYTES) {
      const raw = new Uint8Array(await zip.slice(at, Math.min(dataEnd, at + READ_BYTES)).arrayBuffer());
      if (!inflater) {
        take(raw);
        continue;
      }
      for (let piece = 0; piece < raw.length; ) {
        const input = raw.subarray(piece, piece + pushBytes);
        const before = produced;
        inflater.push(input, false);
        piece += input.length;
        pushBytes = nextPushBytes(input.length, produced - before);
      }
    }
    inflater?.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof ZipReadError) throw error;
    throw damaged();
  }
  if (produced !== entry.size || crc !== entry.crc32) throw damaged();
  return { dataStart };
}

/** The whole entry as one buffer (for results.json), with readZipEntry's checks. */
export async function readZipEntryBytes(zip: Blob, entry: ZipDirectoryEntry, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  // Allocated only once the declared size has passed the cap; the reader never writes past it.
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  let at = 0;
  await readZipEntry(zip, entry, {
    maxBytes,
    onData(chunk) {
      bytes ??= new Uint8Array(entry.size);
      bytes.set(chunk, at);
      at += chunk.length;
    },
  });
  return bytes ?? new Uint8Array(0);
}
