// Reads stored files' bytes ahead of the checksum, in order, within a fixed memory bound: reading a
// Blob is I/O in the browser process, so the next reads are under way while this one is summed.

/** Where a stored file's Blob comes from: at hand, or looked up by key through the caller's reader. */
export type BlobSource = { blob: Blob } | { blobKey: string };

/** Looks Blobs up by key, many at once (IndexedDB: one transaction), in the order of the keys. */
export type ReadBlobs = (keys: string[]) => Promise<(Blob | undefined)[]>;

/** One piece of a stored file's bytes. */
export interface BlobPiece {
  blob: Blob;
  bytes: Uint8Array<ArrayBuffer>;
  /** The file's last piece (a file of 0 bytes has one empty piece). */
  isLast: boolean;
}

/** Options of BlobReadAhead; the defaults suit the export. */
export interface ReadAheadOptions {
  /** Most keys looked up per call of readBlobs: a transaction each, its Blobs (handles, not bytes) held until read. */
  keysPerLookup?: number;
  /**
   * Reads are queued ahead while the queue holds less than this, and a larger file is read in
   * slices of at most this: with the piece being taken, under 3× this is ever held.
   */
  aheadBytes?: number;
  /** Reads queued ahead of the piece being taken, at most. */
  aheadReads?: number;
}

interface Pending {
  blob: Blob;
  size: number;
  isLast: boolean;
  bytes: Promise<Uint8Array<ArrayBuffer>>;
}

/** Stored files' bytes piece by piece, in the sources' order, with reads ahead of the taker; reading starts at once. */
export class BlobReadAhead {
  readonly #plan: AsyncGenerator<Omit<Pending, 'bytes'> & { slice: Blob }>;
  readonly #aheadBytes: number;
  readonly #aheadReads: number;
  #queue: Pending[] = [];
  #queuedBytes = 0;
  #filling: Promise<void> | undefined;
  #isPlanned = false;
  #failure: unknown;

  constructor(sources: readonly BlobSource[], readBlobs: ReadBlobs | undefined, options: ReadAheadOptions = {}) {
    const { keysPerLookup = 256, aheadBytes = 8 * 1024 * 1024, aheadReads = 8 } = options;
    this.#aheadBytes = aheadBytes;
    this.#aheadReads = aheadReads;
    const keys = sources.flatMap((source) => ('blobKey' in source ? [source.blobKey] : []));
    const lookup = new BatchedLookup(keys, readBlobs, keysPerLookup);
    this.#plan = planSlices(sources, lookup, aheadBytes);
    // Lookups and reads run while the caller deflates the texts that come before the first image.
    void this.#fill();
  }

  /** The next piece; throws what looking up or reading it threw. */
  async next(): Promise<BlobPiece> {
    if (this.#queue.length === 0) await this.#fill();
    const pending = this.#queue.shift();
    if (!pending) throw this.#failure ?? new Error('Read past the last stored file.');
    this.#queuedBytes -= pending.size;
    void this.#fill();
    return { blob: pending.blob, isLast: pending.isLast, bytes: await pending.bytes };
  }

  #fill(): Promise<void> {
    this.#filling ??= this.#startReads().finally(() => (this.#filling = undefined));
    return this.#filling;
  }

  async #startReads(): Promise<void> {
    try {
      while (!this.#isPlanned && (this.#queue.length === 0 || (this.#queue.length < this.#aheadReads && this.#queuedBytes < this.#aheadBytes))) {
        const step = await this.#plan.next();
        if (step.done) {
          this.#isPlanned = true;
          break;
        }
        const { slice, ...piece } = step.value;
        const bytes = slice.arrayBuffer().then((buffer) => new Uint8Array(buffer));
        // Awaited by next(); this only keeps a read the build never takes (it failed) from being reported unhandled.
        bytes.catch(() => {});
        this.#queue.push({ ...piece, bytes });
        this.#queuedBytes += piece.size;
      }
    } catch (error) {
      this.#failure ??= error;
      this.#isPlanned = true;
    }
  }
}

async function* planSlices(sources: readonly BlobSource[], lookup: BatchedLookup, sliceBytes: number) {
  let keyed = 0;
  for (const source of sources) {
    const blob = 'blob' in source ? source.blob : await lookup.get(keyed++);
    if (blob.size <= sliceBytes) {
      yield { blob, slice: blob, size: blob.size, isLast: true };
      continue;
    }
    for (let at = 0; at < blob.size; at += sliceBytes) {
      const end = Math.min(blob.size, at + sliceBytes);
      yield { blob, slice: blob.slice(at, end), size: end - at, isLast: end === blob.size };
    }
  }
}

/**
 * Blobs by position in `keys`, looked up a batch at a time, the next batch while this one is read.
 * Batches double from 16 up to `maxBatch`: a large first lookup would hold up the first read.
 */
class BatchedLookup {
  readonly #keys: readonly string[];
  readonly #readBlobs: ReadBlobs | undefined;
  readonly #maxBatch: number;
  #current: Batch | undefined;
  #next: Batch | undefined;

  constructor(keys: readonly string[], readBlobs: ReadBlobs | undefined, maxBatch: number) {
    this.#keys = keys;
    this.#readBlobs = readBlobs;
    this.#maxBatch = maxBatch;
  }

  /** The Blob of keys[index]; call with 0, 1, 2… in turn. */
  async get(index: number): Promise<Blob> {
    if (!this.#current || index >= this.#current.end) {
      this.#current = this.#next ?? this.#read(index, FIRST_BATCH);
      this.#next = this.#current.end < this.#keys.length ? this.#read(this.#current.end, 2 * (this.#current.end - this.#current.start)) : undefined;
    }
    const blob = (await this.#current.blobs)[index - this.#current.start];
    if (!blob) throw new Error(`Nothing stored under ${this.#keys[index]}.`);
    return blob;
  }

  #read(start: number, size: number): Batch {
    const end = Math.min(this.#keys.length, start + Math.min(size, this.#maxBatch));
    const blobs = this.#readBlobs ? this.#readBlobs(this.#keys.slice(start, end)) : Promise.reject(new Error('Stored files given by key need a reader.'));
    // Awaited by get(); a prefetched batch the build never reaches must not be reported unhandled.
    blobs.catch(() => {});
    return { start, end, blobs };
  }
}

const FIRST_BATCH = 16;

interface Batch {
  start: number;
  end: number;
  blobs: Promise<(Blob | undefined)[]>;
}
