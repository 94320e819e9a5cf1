// A zip archive assembled as a Blob of parts: fflate's bytes (headers, deflated texts) and, for
// stored files, the files' own Blobs by reference, so an image's bytes are never copied into it.
import type { AsyncFlateStreamHandler, ZipInputFile } from 'fflate';

// Bytes are moved into a Blob at this size, so the worker never holds more of them.
const FLUSH_BYTES = 8 * 1024 * 1024;
// Stored Blobs are gathered into a Blob this many at a time: the browser builds each while later
// images are read, instead of building one of thousands of parts after the last (Chromium's
// download of it waited about half a second for that).
const FLUSH_BLOBS = 64;

/** What a ReadyFile hands its Zip in place of a stored Blob's bytes: fflate 0.8 only counts a chunk's length and passes it on. */
class BlobChunk {
  constructor(readonly blob: Blob) {}

  get length(): number {
    return this.blob.size;
  }
}

/**
 * A zip entry whose data is ready: deflated bytes, or a stored (method 0) file's Blob. It is
 * fflate's documented custom ZipInputFile, so fflate's Zip writes its headers and data descriptor
 * from `size` and `crc` as for its own streams; given a Blob, ArchiveParts puts the Blob in place.
 */
export class ReadyFile implements ZipInputFile {
  readonly compression: 0 | 8;
  readonly size: number;
  // Bits 1–2 of the flags: the deflate level's, 0 for "normal" (levels 6–8), as fflate sets for level 6.
  readonly flag = 0;
  ondata?: AsyncFlateStreamHandler;
  readonly #data: Uint8Array<ArrayBuffer> | Blob;

  /** A stored Blob, or `deflated` bytes of an original of `size` bytes. */
  constructor(
    readonly filename: string,
    data: { stored: Blob } | { deflated: Uint8Array<ArrayBuffer>; size: number },
    readonly crc: number,
    readonly mtime: Date,
  ) {
    this.#data = 'stored' in data ? data.stored : data.deflated;
    this.compression = 'stored' in data ? 0 : 8;
    this.size = 'stored' in data ? data.stored.size : data.size;
  }

  /** Emit the data as the file's one and final chunk; call after adding the file to a Zip. */
  finish(): void {
    if (!this.ondata) throw new Error('Add the file to a Zip before finishing it.');
    const data = this.#data instanceof Blob ? (new BlobChunk(this.#data) as unknown as Uint8Array<ArrayBuffer>) : this.#data;
    this.ondata(null, data, true);
  }
}

/** Collects a Zip's output in order: bytes (joined between Blobs) and stored files' Blobs, into a Blob every 8 MB or 64 files. */
export class ArchiveParts {
  #parts: Blob[] = [];
  #run: (Uint8Array<ArrayBuffer> | Blob)[] = [];
  #runBytes = 0;
  #runBlobs = 0;
  #loose: Uint8Array<ArrayBuffer>[] = [];
  /** The archive's size so far. */
  bytes = 0;

  /** Add what fflate's Zip gave its callback. */
  push(chunk: Uint8Array<ArrayBuffer>): void {
    this.bytes += chunk.length;
    if ((chunk as unknown) instanceof BlobChunk) {
      this.#joinLoose();
      this.#run.push((chunk as unknown as BlobChunk).blob);
      if (++this.#runBlobs >= FLUSH_BLOBS) this.#flush();
      return;
    }
    this.#loose.push(chunk);
    this.#runBytes += chunk.length;
    if (this.#runBytes >= FLUSH_BYTES) this.#flush();
  }

  /** The archive as one Blob. */
  finish(): Blob {
    this.#flush();
    return new Blob(this.#parts, { type: 'application/zip' });
  }

  // A Blob is built from its parts item by item: one array between two images, not a header, a text and a descriptor.
  #joinLoose(): void {
    if (this.#loose.length === 0) return;
    if (this.#loose.length === 1) {
      this.#run.push(this.#loose[0]!);
    } else {
      const joined = new Uint8Array(this.#loose.reduce((sum, chunk) => sum + chunk.length, 0));
      let at = 0;
      for (const chunk of this.#loose) {
        joined.set(chunk, at);
        at += chunk.length;
      }
      this.#run.push(joined);
    }
    this.#loose = [];
  }

  #flush(): void {
    this.#joinLoose();
    if (this.#run.length) this.#parts.push(new Blob(this.#run));
    this.#run = [];
    this.#runBytes = 0;
    this.#runBlobs = 0;
  }
}
