// The Blobs of the last few images stored, kept in hand for a short while: the job queued for a
// freshly dropped photo encodes from the file the tab already holds, instead of reading the bytes
// it has just written back out of IndexedDB. Bounded, so a large drop never holds many files.

/** How many recent originals are kept (a drop's first batches are 1, 2 and 4 files). */
const DEFAULT_LIMIT = 4;

/** The newest stored originals by SHA-256, each handed out once. */
export class RecentOriginals {
  readonly #blobs = new Map<string, Blob>();
  readonly #limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = limit;
  }

  /** Keep an image's Blob once it is stored (its bytes are the ones the SHA-256 names); the oldest kept goes past the limit. */
  keep(sha256: string, blob: Blob): void {
    this.#blobs.delete(sha256);
    this.#blobs.set(sha256, blob);
    for (const oldest of this.#blobs.keys()) {
      if (this.#blobs.size <= this.#limit) break;
      this.#blobs.delete(oldest);
    }
  }

  /** The kept Blob of this image, given up (a retry reads the stored copy); undefined if none. */
  take(sha256: string): Blob | undefined {
    const blob = this.#blobs.get(sha256);
    this.#blobs.delete(sha256);
    return blob;
  }

  /** Drop an image's Blob (the image was deleted). */
  forget(sha256: string): void {
    this.#blobs.delete(sha256);
  }
}
