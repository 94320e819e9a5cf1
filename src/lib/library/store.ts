// The library on disk: one idb-keyval store per kind of data. Image bytes and thumbnails are
// stored as Blobs under the image's SHA-256, apart from the metadata, so listing reads no bytes.
import { createStore, del, delMany, get, getMany, set, setMany, update, values, clear, promisifyRequest, type UseStore } from 'idb-keyval';
import { readConfidence } from '../confidence/types.ts';
import type { DecodedViews } from '../image/types.ts';
import { DATABASES, LISTING_KEY } from './databases.ts';
import { importedVersionKey, isVersionOf } from './keys.ts';
import { type ListingRead, readListing, takeListingAhead } from './listing-ahead.ts';
import { isSameVersion, mergeVersion, migrateResult } from './versions.ts';
import type { DocumentRecord } from '../documents/types.ts';
import type { ImageRecord, JobRecord, ResultRecord } from './types.ts';

/** The disk is full (or the browser's quota for this site is used up). */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor(options?: ErrorOptions) {
    super('Storage is full: free some space (delete old results) and try again.', options);
  }
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

async function guard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isQuotaError(error) ? new StorageFullError({ cause: error }) : error;
  }
}

/** A result stored by an earlier version, its OCR confidence ({ mean, lowestLine }, 0–100) read as a Confidence. */
function upgradeConfidence(result: ResultRecord): ResultRecord {
  if (result.confidence === undefined || 'source' in result.confidence) return result;
  const { confidence, ...rest } = result;
  const upgraded = readConfidence(confidence);
  return upgraded ? { ...rest, confidence: upgraded } : rest;
}

/** A result that must not be replaced: a person's text is never overwritten by a model's. */
export function keepsExisting(existing: ResultRecord | undefined, incoming: ResultRecord): boolean {
  return existing?.author === 'person' && incoming.author === 'model';
}

/** The library's storage, over idb-keyval. */
export class LibraryStore {
  readonly #images: UseStore;
  readonly #blobs: UseStore;
  readonly #thumbnails: UseStore;
  readonly #previews: UseStore;
  readonly #results: UseStore;
  readonly #jobs: UseStore;
  readonly #settings: UseStore;
  readonly #documents: UseStore;
  readonly #listing: UseStore;

  constructor() {
    this.#images = createStore(...DATABASES.images);
    this.#blobs = createStore(...DATABASES.blobs);
    this.#thumbnails = createStore(...DATABASES.thumbnails);
    this.#previews = createStore(...DATABASES.previews);
    this.#results = createStore(...DATABASES.results);
    this.#jobs = createStore(...DATABASES.jobs);
    this.#settings = createStore(...DATABASES.settings);
    this.#documents = createStore(...DATABASES.documents);
    this.#listing = createStore(...DATABASES.listing);
  }

  /** All image metadata, without bytes. */
  listImages(): Promise<ImageRecord[]> {
    return values<ImageRecord>(this.#images);
  }

  /**
   * The image records as last saved in one piece by saveImageListing (one value reads about ten
   * times faster than 10,000 records, but may be older than them) and how many images are stored
   * (the backend counts without reading a key). Taken from the page's first script when it read them.
   */
  readImageListing(): Promise<ListingRead> {
    const own = () => readListing(this.#images, this.#listing);
    // A read ahead that failed (the databases were busy being opened elsewhere) is done again here.
    return takeListingAhead()?.catch(own) ?? own();
  }

  /** Keep the image records in one piece, for a quick first paint after a reload. */
  saveImageListing(images: readonly ImageRecord[]): Promise<void> {
    return guard(() => set(LISTING_KEY, images, this.#listing));
  }

  /** All dropped documents (PDFs, decks): their records only; pages and pictures are images. */
  listDocuments(): Promise<DocumentRecord[]> {
    return values<DocumentRecord>(this.#documents);
  }

  saveDocument(document: DocumentRecord): Promise<void> {
    return guard(() => set(document.id, document, this.#documents));
  }

  deleteDocument(id: string): Promise<void> {
    return del(id, this.#documents);
  }

  /** All results, every version (texts are small; no image bytes are read); old records read as versions. */
  async listResults(): Promise<ResultRecord[]> {
    return (await values<ResultRecord>(this.#results)).map((r) => migrateResult(upgradeConfidence(r)));
  }

  /** Every stored version of one ask (the same image asked the same way). */
  listVersionsOfAsk(jobKey: string): Promise<ResultRecord[]> {
    // Version keys start with their ask's jobKey, so one key range finds them all.
    const range = IDBKeyRange.bound(jobKey, `${jobKey}/\uffff`);
    return this.#results('readonly', async (table) => {
      const found = await promisifyRequest<ResultRecord[]>(table.getAll(range));
      return found.map((r) => migrateResult(upgradeConfidence(r))).filter((r) => r.jobKey === jobKey && isVersionOf(r.key, jobKey));
    });
  }

  /** Queued jobs; ones saved before `id` was renamed `key` are read under the new name. */
  async listJobs(): Promise<JobRecord[]> {
    const jobs = await values<JobRecord & { id?: string }>(this.#jobs);
    return jobs.map(({ id, ...job }) => ({ ...job, key: job.key ?? id ?? '' }));
  }

  getImageBlob(sha256: string): Promise<Blob | undefined> {
    return get<Blob>(sha256, this.#blobs);
  }

  getThumbnail(sha256: string): Promise<Blob | undefined> {
    return get<Blob>(sha256, this.#thumbnails);
  }

  /** What the detail view shows: the preview of a large image, else the original. */
  async getDisplayImage(sha256: string): Promise<Blob | undefined> {
    return (await get<Blob>(sha256, this.#previews)) ?? this.getImageBlob(sha256);
  }

  async getResult(key: string): Promise<ResultRecord | undefined> {
    const stored = await get<ResultRecord>(key, this.#results);
    return stored && migrateResult(upgradeConfidence(stored));
  }

  /** Store a decoded image (an import): bytes first, metadata last, so a listed image always has its bytes. */
  async saveImage(record: ImageRecord, blob: Blob, derived: { thumbnail: Blob; preview?: Blob }): Promise<void> {
    const { preview } = derived;
    try {
      await guard(() => set(record.sha256, blob, this.#blobs));
      await guard(() => set(record.sha256, derived.thumbnail, this.#thumbnails));
      if (preview) await guard(() => set(record.sha256, preview, this.#previews));
      await guard(() => set(record.sha256, record, this.#images));
    } catch (error) {
      // Nothing half-written: undo what went in before the failure.
      await Promise.allSettled([this.#blobs, this.#thumbnails, this.#previews].map((s) => del(record.sha256, s)));
      throw error;
    }
  }

  /**
   * Store freshly dropped images, not yet decoded: all bytes in one transaction, then all records
   * in one, so a listed image always has its bytes and a large drop costs two writes per batch.
   */
  async saveNewImages(images: { record: ImageRecord; blob: Blob }[]): Promise<void> {
    const keys = images.map(({ record }) => record.sha256);
    try {
      await guard(() => setMany(images.map(({ record, blob }) => [record.sha256, blob]), this.#blobs));
      await guard(() => setMany(images.map(({ record }) => [record.sha256, record]), this.#images));
    } catch (error) {
      await delMany(keys, this.#blobs).catch(() => {});
      throw error;
    }
  }

  /** Keep a decoded image's thumbnail, preview and upright size; undefined if it was deleted meanwhile. */
  async saveViews(sha256: string, views: DecodedViews): Promise<ImageRecord | undefined> {
    const record = await get<ImageRecord>(sha256, this.#images);
    if (!record) return undefined;
    await guard(() => set(sha256, views.thumbnail, this.#thumbnails));
    if (views.preview) await guard(() => set(sha256, views.preview, this.#previews));
    const decoded: ImageRecord = { ...record, width: views.width, height: views.height };
    delete decoded.isDecoded;
    await guard(() => set(sha256, decoded, this.#images));
    return decoded;
  }

  /** Change a stored image's own context and decorative mark; undefined if it was deleted meanwhile. */
  async saveImageNotes(sha256: string, notes: Pick<ImageRecord, 'context' | 'isDecorative'>): Promise<ImageRecord | undefined> {
    const record = await get<ImageRecord>(sha256, this.#images);
    if (!record) return undefined;
    const saved: ImageRecord = { ...record, ...notes };
    if (!saved.context) delete saved.context;
    if (!saved.isDecorative) delete saved.isDecorative;
    await guard(() => set(sha256, saved, this.#images));
    return saved;
  }

  /**
   * Save a version (a new one, or a mark on one: verified, preferred) unless it would overwrite a
   * person's text with a model's; returns what is stored.
   */
  async saveResult(result: ResultRecord): Promise<ResultRecord> {
    let stored = result;
    await guard(() =>
      update<ResultRecord>(
        result.key,
        (existing) => {
          stored = existing && keepsExisting(existing, result) ? migrateResult(existing) : result;
          return stored;
        },
        this.#results,
      ),
    );
    return stored;
  }

  /**
   * Write imported versions in one transaction, replacing none: a version already here only gains
   * the incoming verification, and one whose key holds another text here is kept under a key of
   * its own. The merge was worked out from memory, which another tab may have changed since, so
   * it is checked again here. Returns the records written.
   */
  saveResults(results: ResultRecord[]): Promise<ResultRecord[]> {
    return guard(() =>
      this.#results('readwrite', async (table) => {
        const read = async (key: string) => {
          const stored = await promisifyRequest<ResultRecord | undefined>(table.get(key));
          return stored && migrateResult(stored);
        };
        const written = await Promise.all(
          results.map(async (incoming) => {
            let target = incoming;
            let current = await read(incoming.key);
            if (current && !isSameVersion(current, incoming)) {
              target = { ...incoming, key: importedVersionKey(incoming) };
              current = await read(target.key);
            }
            const write = mergeVersion(current, target);
            if (write) table.put(write, write.key);
            return write;
          }),
        );
        await promisifyRequest(table.transaction);
        return written.filter((r) => r !== undefined);
      }),
    );
  }

  /** One image's metadata, or undefined once it is deleted. */
  getImage(sha256: string): Promise<ImageRecord | undefined> {
    return get<ImageRecord>(sha256, this.#images);
  }

  /** Many images' metadata in one transaction; undefined where one is deleted. */
  getImages(sha256s: string[]): Promise<(ImageRecord | undefined)[]> {
    return getMany<ImageRecord | undefined>(sha256s, this.#images);
  }

  /** One queued job, or undefined once it finished or was cancelled. */
  getJob(key: string): Promise<JobRecord | undefined> {
    return get<JobRecord>(key, this.#jobs);
  }

  deleteResult(key: string): Promise<void> {
    return del(key, this.#results);
  }

  saveJob(job: JobRecord): Promise<void> {
    return guard(() => set(job.key, job, this.#jobs));
  }

  /** Save many jobs in one transaction (a large drop's batch). */
  saveJobs(jobs: JobRecord[]): Promise<void> {
    return guard(() => setMany(jobs.map((job) => [job.key, job]), this.#jobs));
  }

  deleteJob(key: string): Promise<void> {
    return del(key, this.#jobs);
  }

  /** Remove an image with its bytes, thumbnail and every result and job for it. */
  async deleteImage(sha256: string, resultKeys: string[], jobKeys: string[]): Promise<void> {
    await delMany(jobKeys, this.#jobs);
    await delMany(resultKeys, this.#results);
    await del(sha256, this.#images);
    await Promise.all([this.#blobs, this.#thumbnails, this.#previews].map((s) => del(sha256, s)));
  }

  /** Remove many images at once, one transaction per store rather than several per image. */
  async deleteImages(sha256s: string[], resultKeys: string[], jobKeys: string[]): Promise<void> {
    await delMany(jobKeys, this.#jobs);
    await delMany(resultKeys, this.#results);
    await delMany(sha256s, this.#images);
    await Promise.all([this.#blobs, this.#thumbnails, this.#previews].map((s) => delMany(sha256s, s)));
  }

  /** Empty the whole library (settings stay). */
  async clearLibrary(): Promise<void> {
    await Promise.all([this.#jobs, this.#results, this.#images, this.#blobs, this.#thumbnails, this.#previews, this.#documents, this.#listing].map((s) => clear(s)));
  }

  getSetting<T>(name: string): Promise<T | undefined> {
    return get<T>(name, this.#settings);
  }

  setSetting(name: string, value: unknown): Promise<void> {
    return guard(() => set(name, value, this.#settings));
  }
}
