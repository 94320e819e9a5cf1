// Takes files in: reads each in the worker, stores it, and queues the chosen task for it, or
// shows the stored result at once when the same image was already asked the same way.
import type { ImageEncoder } from '../lib/image/encoder.ts';
import { UnreadableImageError } from '../lib/image/types.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import { jobKey } from '../lib/library/keys.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord } from '../lib/library/types.ts';
import { buildPrompt, findTask } from '../lib/tasks/presets.ts';
import type { LibraryState } from './library.svelte.ts';
import type { QueueState } from './queue.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** What IntakeState works with. */
export interface IntakeDeps {
  store: LibraryStore;
  encoder: ImageEncoder;
  library: LibraryState;
  queue: QueueState;
  settings: SettingsState;
}

/** Adding files and asking for runs. */
export class IntakeState {
  #total = $state(0);
  #done = $state(0);
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
  get isBusy() { return this.#done < this.#total; }
  /** A sentence about the last intake, e.g. that no model is chosen yet. */
  get notice() { return this.#notice; }
  /** True for an image added while no model was chosen: it runs once one is. */
  isAwaitingModel(sha256: string): boolean {
    return this.#awaitingModel.has(sha256);
  }

  /** Read, store and queue files one at a time; unreadable ones are listed with their reason. */
  async add(files: NamedFile[]): Promise<void> {
    const { store, encoder, library } = this.#deps;
    this.#total += files.length;
    let isFirst = true;
    for (const { file, name } of files) {
      try {
        const inspected = await encoder.inspect(file);
        if (!library.imageBySha(inspected.sha256)) {
          const record: ImageRecord = {
            sha256: inspected.sha256, name, type: inspected.type, size: file.size,
            width: inspected.width, height: inspected.height, addedAt: Date.now(),
          };
          await store.saveImage(record, file, inspected);
          library.addImage(record);
        }
        if (isFirst) library.focus(inspected.sha256);
        isFirst = false;
        // Queue each image as soon as it is stored: the model starts on the first while the rest
        // of a large folder is still being read.
        await this.run([inspected.sha256], false);
      } catch (error) {
        const reason = error instanceof UnreadableImageError || error instanceof Error ? error.message : String(error);
        library.reject({ id: crypto.randomUUID(), name, reason });
      } finally {
        this.#done++;
      }
    }
  }

  /** Ask the chosen task of these images; `force` re-runs even where a stored result exists. */
  async run(sha256s: string[], force: boolean): Promise<void> {
    const { library, queue, settings } = this.#deps;
    if (!settings.model) {
      // Nothing to run them with yet: they wait, and go as soon as a model is chosen.
      this.#awaitingModel = new Set([...this.#awaitingModel, ...sha256s]);
      this.#notice = 'Images added. They will be read as soon as a model is available (start Ollama, or choose a model).';
      return;
    }
    this.#notice = '';
    const existing = new Set(library.results.map((r) => r.key));
    const jobs: JobRecord[] = [];
    for (const sha256 of sha256s) {
      const job = this.describeJob(sha256);
      if (force || !existing.has(job.key)) jobs.push(job);
    }
    await queue.enqueue(jobs);
  }

  /** The job the current settings describe for one image; its id is the result's key. */
  describeJob(sha256: string): JobRecord {
    const { settings } = this.#deps;
    const task = findTask(settings.taskId);
    const context = settings.context.trim() || undefined;
    const prompt = buildPrompt(task, { language: settings.language, customPrompt: settings.customPrompt, context });
    const options = { ...task.options };
    return { key: jobKey(sha256, settings.model, prompt, options), sha256, model: settings.model, taskId: task.id, prompt, context, options, queuedAt: Date.now() };
  }
}
