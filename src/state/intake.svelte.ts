// Takes files in: identifies each (header and hash, no decode) in a worker, stores it, lists it and
// queues the chosen task for it, or shows the stored result at once when the same image was
// already asked the same way. The one full decode comes later, when its job is prepared.
import { BUILTIN_OCR_MAX_SIDE, BUILTIN_OCR_MODEL } from '../lib/engines/builtin-ocr/index.ts';
import type { DocumentKind } from '../lib/documents/types.ts';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import type { IdentifyOutcome } from '../lib/image/types.ts';
import { splitIntoBatches } from '../lib/input/batches.ts';
import { coalesceCalls } from '../lib/input/coalesce.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import type { ImageSource } from '../lib/documents/types.ts';
import { jobKey } from '../lib/library/keys.ts';
import type { RecentOriginals } from '../lib/library/recent-originals.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord } from '../lib/library/types.ts';
import { buildPrompt, composeContext, findTask, presetOptions, presetSchema, resolvePreset, type TaskPreset } from '../lib/tasks/presets.ts';
import type { LibraryState, RejectedFile } from './library.svelte.ts';
import type { AheadImage, QueueState } from './queue.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** What IntakeState works with. */
export interface IntakeDeps {
  store: Pick<LibraryStore, 'saveNewImages'>;
  encoder: Pick<ImageEncoder, 'identify'>;
  library: LibraryState;
  /** encodeAhead/dropAhead: a drop's first file is encoded while it is hashed and stored. */
  queue: Pick<QueueState, 'enqueue'> & Partial<Pick<QueueState, 'encodeAhead' | 'dropAhead'>>;
  settings: SettingsState;
  /** The user's presets, by id; the built-ins when absent. */
  presets?: { find(id: string): TaskPreset };
  /**
   * Told of images stored undecoded, once their runs are queued (a job's decode makes the views,
   * so the idle-time pass must see the job first), so they get thumbnails even if no job decodes them.
   */
  onStored?: (sha256s: string[]) => void;
  /** Keeps freshly stored files in hand, so their first job need not read them back from IndexedDB. */
  originals?: Pick<RecentOriginals, 'keep'>;
  /** Handed each dropped document (a PDF), which is read apart from images. */
  onDocument?: (file: NamedFile, kind: DocumentKind) => void;
}

const numbers = new Intl.NumberFormat('en-US');
const count = (n: number) => numbers.format(n);

/** A file to add, with where it came from when it is a slide's picture or was fetched from an address. */
export type IntakeFile = NamedFile & { source?: ImageSource };

/** How an intake is run: another task than the chosen one (a deck's pictures get alt text). */
export interface IntakeOptions {
  taskId?: string;
}

/** Adding files and asking for runs. */
export class IntakeState {
  #total = $state(0);
  #done = $state(0);
  /** Images stored whose runs are not saved in the queue yet. */
  #unqueued = $state(0);
  #notice = $state('');
  #awaitingModel = $state.raw<ReadonlySet<string>>(new Set());
  readonly #deps: IntakeDeps;

  constructor(deps: IntakeDeps) {
    this.#deps = deps;
    deps.settings.onChange((name) => {
      if (name === 'model' && deps.settings.model && this.#awaitingModel.size > 0) void this.#runAwaiting();
    });
  }

  async #runAwaiting(): Promise<void> {
    const waiting = [...this.#awaitingModel];
    this.#awaitingModel = new Set();
    await this.run(waiting, false);
  }

  get total() { return this.#total; }
  get done() { return this.#done; }
  /** Files are being read or their runs queued: leaving the page now would lose what is not yet stored. */
  get isBusy() { return this.#done < this.#total || this.#unqueued > 0; }
  /** "Adding 3,412 of 10,000…" while files are being read, else empty. */
  get progressText() { return this.isBusy ? `Adding ${count(this.#done)} of ${count(this.#total)}…` : ''; }
  /** A sentence about the last intake, e.g. that no model is chosen yet. */
  get notice() { return this.#notice; }
  /** True for an image added while no model was chosen: it runs once one is. */
  isAwaitingModel(sha256: string): boolean {
    return this.#awaitingModel.has(sha256);
  }

  /**
   * Identify, store, list and queue files in batches (the first file alone, so its request leaves
   * at once); the next batch is identified while this one is stored, and runs are queued while
   * the next ones are stored. Unreadable files are listed with their reason; files that are not
   * images are summed up.
   */
  async add(files: IntakeFile[], { taskId }: IntakeOptions = {}): Promise<void> {
    if (!this.isBusy) {
      this.#total = 0;
      this.#done = 0;
    }
    this.#total += files.length;
    const batches = splitIntoBatches(files, (f) => f.file.size);
    // The first file is decoded while it is hashed and stored (its job takes the result).
    let ahead = batches[0]?.length === 1 ? this.#encodeAhead((batches[0][0] as IntakeFile).file, taskId) : undefined;
    // Images stored by this drop, told to the idle-time views pass only once their jobs are queued
    // (else it would decode them first, a second decode on the request's path).
    const fresh = new Set<string>();
    // Queueing updates the queue's list of every job, so batches stored meanwhile are queued
    // together: a few queue updates per drop, not one per batch.
    const queueRuns = coalesceCalls<string>(async (sha256s) => {
      await this.run(sha256s, false, taskId).catch((error: unknown) => {
        this.#notice = `Images added, but their runs could not be queued: ${error instanceof Error ? error.message : String(error)}`;
      });
      this.#unqueued -= sha256s.length;
      // The first file's job has taken its early encode by now, or there is none to take it.
      if (ahead) this.#deps.queue.dropAhead?.(ahead);
      ahead = undefined;
      const stored = sha256s.filter((sha256) => fresh.delete(sha256));
      if (stored.length > 0) this.#deps.onStored?.(stored);
    });
    let next = batches[0] ? this.#identify(batches[0]) : undefined;
    let isFirst = true;
    let counted = 0;
    try {
      for (let i = 0; i < batches.length; i++) {
        const batch = batches[i] as IntakeFile[];
        const outcomes = await (next as Promise<IdentifyOutcome[]>);
        const first = outcomes[0];
        if (ahead && first?.isImage) ahead.sha256 = first.image.sha256;
        const following = batches[i + 1];
        next = following ? this.#identify(following) : undefined;
        const { sha256s, stored } = await this.#storeBatch(batch, outcomes);
        if (isFirst && sha256s[0]) this.#deps.library.focus(sha256s[0]);
        if (sha256s.length > 0) isFirst = false;
        this.#done += batch.length;
        counted += batch.length;
        for (const sha256 of stored) fresh.add(sha256);
        this.#unqueued += sha256s.length;
        queueRuns.push(sha256s);
        // The first file is queued before the rest are stored, so its request need not share the disk with them.
        if (i === 0) await queueRuns.settled();
      }
    } finally {
      if (ahead) this.#deps.queue.dropAhead?.(ahead);
      // Whatever stopped it, this drop no longer counts as being read (nor keeps the page warning).
      this.#done += files.length - counted;
      await queueRuns.settled();
    }
  }

  /** Ask the chosen task (or `taskId`) of these images; `force` re-runs even where a stored result exists. */
  async run(sha256s: string[], force: boolean, taskId?: string): Promise<void> {
    const { library, queue, settings } = this.#deps;
    const models = settings.runModels;
    if (models.length === 0) {
      // Nothing to run them with yet: they wait, and go as soon as a model is chosen.
      this.#awaitingModel = new Set([...this.#awaitingModel, ...sha256s]);
      this.#notice = 'Images added. They will be read as soon as a model is available (start Ollama, or choose a model).';
      return;
    }
    this.#notice = '';
    if (sha256s.length === 0) return;
    // An image that has any version of this ask is done; only "Run again" adds another version.
    const existing = new Set(library.results.map((r) => r.jobKey));
    const jobs: JobRecord[] = [];
    // Several models compared: each image is asked of each, and the queue spreads them over the engines.
    for (const model of models) {
      // A set: the same image dropped twice in one drop is asked once.
      for (const sha256 of new Set(sha256s)) {
        const job = this.describeJob(sha256, { taskId, model });
        if (force || !existing.has(job.key)) jobs.push(job);
      }
    }
    await queue.enqueue(jobs);
  }

  /**
   * The job the current settings describe for one image, of the chosen task and model unless
   * others are named; its key is the ask's jobKey, which its versions keep.
   */
  describeJob(sha256: string, { taskId, model = this.#deps.settings.model }: { taskId?: string; model?: string } = {}): JobRecord {
    const { settings, library, presets = { find: findTask } } = this.#deps;
    // The built-in OCR ignores the prompt, so context would only split its results; small print needs pixels.
    const isOcr = model === BUILTIN_OCR_MODEL;
    // The built-in OCR only reads text: another task asked of it falls back to the chosen one.
    const chosen = presets.find(isOcr ? settings.taskId : (taskId ?? settings.taskId));
    const task = resolvePreset(chosen, model);
    const image = library.imageBySha(sha256);
    // A slide's title and notes travel with its picture, after the image's own context.
    const imageContext = [image?.context, image?.source?.context].filter(Boolean).join('; ') || undefined;
    const context = isOcr
      ? undefined
      : composeContext({ fileName: settings.contextAddsFileName ? image?.name : undefined, batch: settings.context, image: imageContext });
    const prompt = buildPrompt(task, { language: settings.language, customPrompt: settings.customPrompt, context });
    const options = isOcr ? { ...presetOptions(task), maxSide: BUILTIN_OCR_MAX_SIDE } : presetOptions(task);
    // The built-in OCR cannot hold text to a schema; the task bar offers it no structured preset.
    const format = isOcr ? undefined : presetSchema(task);
    const job: JobRecord = { key: jobKey(sha256, model, prompt, options, format), sha256, model, taskId: chosen.id, prompt, context, options, queuedAt: Date.now() };
    if (format) job.format = format;
    return job;
  }

  /** Start encoding a drop's first file as its job will ask, when one model runs it and the queue is idle. */
  #encodeAhead(file: Blob, taskId: string | undefined): AheadImage | undefined {
    const { queue, settings } = this.#deps;
    const [model, ...others] = settings.runModels;
    if (!queue.encodeAhead || !model || others.length > 0) return undefined;
    // The image's hash is not known yet; the size and tiling asked do not depend on it.
    return queue.encodeAhead(file, this.describeJob('', { taskId, model }));
  }

  /** Identify a batch in the worker; a crashed worker refuses the whole batch instead of throwing. */
  #identify(batch: NamedFile[]): Promise<IdentifyOutcome[]> {
    return this.#deps.encoder.identify(batch.map((f) => f.file)).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      return batch.map((): IdentifyOutcome => ({ isImage: false, reason, isNotImage: false }));
    });
  }

  /**
   * Store the batch's new images (two writes for the whole batch) and list them; returns the
   * batch's images in order, and which of them were newly stored.
   */
  async #storeBatch(batch: IntakeFile[], outcomes: IdentifyOutcome[]): Promise<{ sha256s: string[]; stored: string[] }> {
    const { library, store, originals, onDocument } = this.#deps;
    const rejected: RejectedFile[] = [];
    const fresh: { record: ImageRecord; blob: Blob; name: string }[] = [];
    const sha256s: string[] = [];
    const addedAt = Date.now();
    batch.forEach(({ file, name, source }, i) => {
      const outcome = outcomes[i];
      if (outcome && !outcome.isImage && outcome.document && onDocument) return onDocument({ file, name }, outcome.document);
      if (!outcome?.isImage) {
        const reason = outcome?.reason ?? 'This file could not be read.';
        rejected.push({ id: crypto.randomUUID(), name, reason, isNotImage: outcome?.isNotImage });
        return;
      }
      const { sha256, type, width, height } = outcome.image;
      if (sha256s.includes(sha256)) return;
      sha256s.push(sha256);
      if (library.imageBySha(sha256)) return;
      fresh.push({ record: { sha256, name, type, size: file.size, width, height, addedAt, isDecoded: false, ...(source && { source }) }, blob: file, name });
    });
    try {
      if (fresh.length > 0) await store.saveNewImages(fresh);
      for (const { record, blob } of fresh) originals?.keep(record.sha256, blob);
      library.addImages(fresh.map((f) => f.record));
    } catch (error) {
      // Not stored, so not listed: each file says why.
      const reason = error instanceof Error ? error.message : String(error);
      for (const { record, name } of fresh) {
        rejected.push({ id: crypto.randomUUID(), name, reason });
        sha256s.splice(sha256s.indexOf(record.sha256), 1);
      }
      library.reject(...rejected);
      return { sha256s, stored: [] };
    }
    library.reject(...rejected);
    return { sha256s, stored: fresh.map((f) => f.record.sha256) };
  }
}
