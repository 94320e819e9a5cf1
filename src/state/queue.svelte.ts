// Runs the model on queued images one after another (Ollama serves one request per model at a
// time anyway), streaming text as it comes and saving each finished result at once.
import type { ImageEncoder } from '../lib/image/encoder.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import { StorageFullError } from '../lib/library/store.ts';
import type { JobRecord, ResultRecord } from '../lib/library/types.ts';
import { describeFailure, isConnectionLost } from '../lib/ollama/describe-error.ts';
import { OllamaHttpError, isAbortError } from '../lib/ollama/errors.ts';
import { KEEP_ALIVE, type ConnectionState } from './connection.svelte.ts';
import type { LibraryState } from './library.svelte.ts';

/** Where one run stands. */
export type JobPhase = 'queued' | 'encoding' | 'waiting' | 'streaming' | 'paused' | 'failed';

const BUSY_RETRY_MS = [1000, 2000, 5000, 10000];

/** Wait `ms`, or less if the signal aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** One image waiting for, or getting, its text. */
export class QueuedJob {
  phase = $state<JobPhase>('queued');
  text = $state('');
  error = $state('');
  readonly job: JobRecord;
  controller: AbortController | undefined;

  constructor(job: JobRecord, error?: string) {
    this.job = job;
    if (error) {
      this.phase = 'failed';
      this.error = error;
    }
  }
}

/** The work queue. */
export class QueueState {
  #jobs = $state.raw<QueuedJob[]>([]);
  #isRunning = false;
  readonly #store: LibraryStore;
  readonly #encoder: ImageEncoder;
  readonly #library: LibraryState;
  readonly #connection: ConnectionState;

  constructor(deps: { store: LibraryStore; encoder: ImageEncoder; library: LibraryState; connection: ConnectionState }) {
    this.#store = deps.store;
    this.#encoder = deps.encoder;
    this.#library = deps.library;
    this.#connection = deps.connection;
  }

  get jobs() { return this.#jobs; }
  /** Runs not yet finished or failed. */
  get pendingCount() { return this.#jobs.filter((r) => r.phase !== 'failed').length; }

  /** The latest run for an image, if any. */
  jobFor(sha256: string): QueuedJob | undefined {
    for (let i = this.#jobs.length - 1; i >= 0; i--) if (this.#jobs[i]?.job.sha256 === sha256) return this.#jobs[i];
    return undefined;
  }

  /** Pick up jobs a reload interrupted. */
  async resume(): Promise<void> {
    const jobs = (await this.#store.listJobs()).sort((a, b) => a.queuedAt - b.queuedAt);
    this.#jobs = jobs.map((job) => new QueuedJob(job, job.error));
    void this.#drain();
  }

  /** Queue jobs (saved first, so a reload does not lose them). */
  async enqueue(jobs: JobRecord[]): Promise<void> {
    const fresh = jobs.filter((job) => !this.#jobs.some((r) => r.job.key === job.key && r.phase !== 'failed'));
    for (const job of fresh) await this.#store.saveJob(job);
    const keys = new Set(fresh.map((j) => j.key));
    this.#jobs = [...this.#jobs.filter((r) => !keys.has(r.job.key)), ...fresh.map((job) => new QueuedJob(job))];
    void this.#drain();
  }

  /** Stop a run (closing the connection cancels generation in Ollama) and forget it. */
  async cancel(key: string): Promise<void> {
    const run = this.#jobs.find((r) => r.job.key === key);
    run?.controller?.abort();
    this.#jobs = this.#jobs.filter((r) => r.job.key !== key);
    await this.#store.deleteJob(key);
  }

  /** Cancel everything queued for these images. */
  async cancelFor(sha256s: Set<string>): Promise<string[]> {
    const keys = this.#jobs.filter((r) => sha256s.has(r.job.sha256)).map((r) => r.job.key);
    for (const key of keys) await this.cancel(key);
    return keys;
  }

  /** Try a failed run again. */
  retry(key: string): void {
    const run = this.#jobs.find((r) => r.job.key === key);
    if (!run || run.phase !== 'failed') return;
    run.phase = 'queued';
    run.error = '';
    run.text = '';
    void this.#store.saveJob({ ...run.job, error: undefined }).catch(() => {});
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#isRunning) return;
    this.#isRunning = true;
    try {
      let next: QueuedJob | undefined;
      while ((next = this.#jobs.find((r) => r.phase === 'queued'))) await this.#process(next);
    } finally {
      this.#isRunning = false;
    }
  }

  async #process(run: QueuedJob): Promise<void> {
    const controller = new AbortController();
    run.controller = controller;
    let busyTries = 0;
    let lostTries = 0;
    for (;;) {
      try {
        await this.#attempt(run, controller.signal);
        return;
      } catch (error) {
        if (controller.signal.aborted || isAbortError(error)) return;
        if (isConnectionLost(error) && lostTries++ < 5) {
          // Ollama went away: wait visibly and carry on when it is back, instead of failing all.
          run.text = '';
          this.#connection.reportUnreachable();
          await this.#waitForOllama(run, controller.signal).catch(() => {});
          if (controller.signal.aborted) return;
          continue;
        }
        if (error instanceof OllamaHttpError && error.isBusy && busyTries < BUSY_RETRY_MS.length) {
          // Ollama's queue is full (503 "server busy"): wait a little and ask again.
          run.phase = 'paused';
          await sleep(BUSY_RETRY_MS[busyTries++] ?? 0, controller.signal);
          if (controller.signal.aborted) return;
          continue;
        }
        await this.#fail(run, error);
        return;
      }
    }
  }

  async #attempt(run: QueuedJob, signal: AbortSignal): Promise<void> {
    const { job } = run;
    run.phase = 'encoding';
    run.text = '';
    const blob = await this.#store.getImageBlob(job.sha256);
    if (!blob) throw new Error('The image is no longer in the library.');
    const image = await this.#encoder.encode(blob, job.options.maxSide, signal);
    if (!this.#connection.isConnected) await this.#waitForOllama(run, signal);
    run.phase = 'waiting';
    const { maxSide: _maxSide, ...options } = job.options;
    // think:false only for thinking models: some Ollama versions reject `think` on the others.
    const isThinking = this.#connection.models.find((m) => m.name === job.model)?.isThinking;
    const stream = this.#connection.client.streamChat(
      {
        model: job.model,
        messages: [{ role: 'user', content: job.prompt, images: [image.base64] }],
        options,
        keep_alive: KEEP_ALIVE,
        ...(isThinking ? { think: false } : {}),
      },
      signal,
    );
    let text = '';
    let step = await stream.next();
    while (!step.done) {
      run.phase = 'streaming';
      text += step.value.message?.content ?? '';
      run.text = text;
      step = await stream.next();
    }
    if (!text.trim()) throw new Error('The model answered with no text. Try another model or task.');
    const result: ResultRecord = {
      key: job.key,
      sha256: job.sha256,
      model: job.model,
      taskId: job.taskId,
      prompt: job.prompt,
      context: job.context,
      options: job.options,
      text,
      author: 'model',
      metrics: step.value,
      createdAt: Date.now(),
    };
    const stored = await this.#store.saveResult(result);
    this.#library.putResult(stored);
    await this.#store.deleteJob(job.key);
    this.#jobs = this.#jobs.filter((r) => r !== run);
  }

  /** Everything pending shows that it waits for Ollama, rather than "Queued" with no reason. */
  async #waitForOllama(run: QueuedJob, signal: AbortSignal): Promise<void> {
    for (const r of this.#jobs) if (r === run || r.phase === 'queued') r.phase = 'paused';
    try {
      await this.#connection.waitUntilConnected(signal);
    } finally {
      // The others go back in line; #drain picks up only 'queued' runs.
      for (const r of this.#jobs) if (r !== run && r.phase === 'paused') r.phase = 'queued';
    }
  }

  async #fail(run: QueuedJob, error: unknown): Promise<void> {
    run.phase = 'failed';
    run.error =
      error instanceof StorageFullError
        ? `${error.message} The text below was not saved: copy it now.`
        : describeFailure(error, run.job.model);
    await this.#store.saveJob({ ...run.job, error: run.error }).catch(() => {});
  }
}
