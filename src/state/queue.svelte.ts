// Schedules queued images onto engine slots and follows them for the UI; lib/jobs/run-job.ts does
// the work. Each finished result is saved at once, and a reload resumes from the saved jobs.
import type { ImageEncoder } from '../lib/image/encoder.ts';
import { classifyFailure } from '../lib/jobs/failures.ts';
import { runJob, type RunPhase } from '../lib/jobs/run-job.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import { StorageFullError, type LibraryStore } from '../lib/library/store.ts';
import type { JobRecord, ResultRecord } from '../lib/library/types.ts';
import { describeFailure } from '../lib/ollama/describe-error.ts';
import type { LibraryState } from './library.svelte.ts';

/** Where one run stands ('paused': waiting for the engine to come back or to have room). */
export type JobPhase = 'queued' | RunPhase | 'paused' | 'failed';

/** Waits before asking a busy engine again (Ollama's 503 "server busy"). */
const BUSY_RETRY_MS = [1000, 2000, 5000, 10000];
/** How often a job waits for a vanished engine before it fails. */
const MAX_ENGINE_LOSSES = 5;

/** What QueueState works with; tests pass fakes. */
export interface QueueDeps {
  store: Pick<LibraryStore, 'listJobs' | 'saveJob' | 'deleteJob' | 'saveResult' | 'getImageBlob'>;
  encoder: Pick<ImageEncoder, 'encode'>;
  library: Pick<LibraryState, 'putResult'>;
  /** Where jobs run; each takes jobs up to its concurrency. */
  slots: EngineSlot[];
}

/** Wait `ms`, or less if the signal aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** One image waiting for, or getting, its text. */
export class QueuedJob {
  #phase = $state<JobPhase>('queued');
  text = $state('');
  error = $state('');
  readonly job: JobRecord;
  controller: AbortController | undefined;
  readonly #isEngineAway: () => boolean;

  constructor(job: JobRecord, isEngineAway: () => boolean) {
    this.job = job;
    this.#isEngineAway = isEngineAway;
    if (job.error) this.fail(job.error);
  }

  /** A queued job shows that it waits for the engine while the engine is away. */
  get phase(): JobPhase {
    return this.#phase === 'queued' && this.#isEngineAway() ? 'paused' : this.#phase;
  }
  /** True when the scheduler may start it. */
  get isQueued() { return this.#phase === 'queued'; }

  /** The queue moves the job on (components only read). */
  moveTo(phase: JobPhase): void {
    this.#phase = phase;
  }

  /** Mark it failed with a reason the user can act on. */
  fail(reason: string): void {
    this.#phase = 'failed';
    this.error = reason;
  }
}

/** The work queue: picks jobs, hands them to the runner, retries, saves. */
export class QueueState {
  #jobs = $state.raw<QueuedJob[]>([]);
  /** Jobs waiting for a vanished engine; while any do, every queued job shows it waits too. */
  #waitingForEngine = $state(0);
  readonly #active = new Map<EngineSlot, Set<QueuedJob>>();
  readonly #deps: QueueDeps;

  constructor(deps: QueueDeps) {
    this.#deps = deps;
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
    const jobs = (await this.#deps.store.listJobs()).sort((a, b) => a.queuedAt - b.queuedAt);
    this.#jobs = jobs.map((job) => this.#track(job));
    this.#schedule();
  }

  /** Queue jobs (saved first, so a reload does not lose them). */
  async enqueue(jobs: JobRecord[]): Promise<void> {
    const fresh = jobs.filter((job) => !this.#jobs.some((r) => r.job.key === job.key && r.phase !== 'failed'));
    for (const job of fresh) await this.#deps.store.saveJob(job);
    const keys = new Set(fresh.map((j) => j.key));
    this.#jobs = [...this.#jobs.filter((r) => !keys.has(r.job.key)), ...fresh.map((job) => this.#track(job))];
    this.#schedule();
  }

  /** Stop a run (closing the connection cancels generation in Ollama) and forget it. */
  async cancel(key: string): Promise<void> {
    const run = this.#jobs.find((r) => r.job.key === key);
    run?.controller?.abort();
    this.#jobs = this.#jobs.filter((r) => r.job.key !== key);
    await this.#deps.store.deleteJob(key);
  }

  /** Cancel everything queued for these images; returns the keys cancelled. */
  async cancelFor(sha256s: Set<string>): Promise<string[]> {
    const keys = this.#jobs.filter((r) => sha256s.has(r.job.sha256)).map((r) => r.job.key);
    for (const key of keys) await this.cancel(key);
    return keys;
  }

  /** Try a failed run again. */
  retry(key: string): void {
    const run = this.#jobs.find((r) => r.job.key === key);
    if (!run || run.phase !== 'failed') return;
    run.moveTo('queued');
    run.error = '';
    run.text = '';
    void this.#deps.store.saveJob({ ...run.job, error: undefined }).catch(() => {});
    this.#schedule();
  }

  #track(job: JobRecord): QueuedJob {
    return new QueuedJob(job, () => this.#waitingForEngine > 0);
  }

  /** Fill every slot up to its concurrency with the oldest queued jobs it accepts. */
  #schedule(): void {
    for (const slot of this.#deps.slots) {
      const active = this.#active.get(slot) ?? new Set<QueuedJob>();
      this.#active.set(slot, active);
      while (active.size < slot.concurrency) {
        const next = this.#jobs.find((r) => r.isQueued && !this.#isActive(r) && slot.accepts(r.job));
        if (!next) break;
        active.add(next);
        void this.#process(next, slot).finally(() => {
          active.delete(next);
          this.#schedule();
        });
      }
    }
  }

  #isActive(run: QueuedJob): boolean {
    for (const active of this.#active.values()) if (active.has(run)) return true;
    return false;
  }

  /** Run one job to a saved result, waiting out a busy or vanished engine; failures stay listed. */
  async #process(run: QueuedJob, slot: EngineSlot): Promise<void> {
    const controller = new AbortController();
    const { signal } = controller;
    run.controller = controller;
    let busyTries = 0;
    let losses = 0;
    for (;;) {
      try {
        if (!slot.isAvailable) await this.#waitForEngine(run, slot, signal);
        run.text = '';
        const result = await runJob(
          run.job,
          { readImage: (sha256) => this.#deps.store.getImageBlob(sha256), encoder: this.#deps.encoder, engine: slot.engine },
          { signal, onPhase: (phase) => run.moveTo(phase), onText: (text) => (run.text = text) },
        );
        if (!signal.aborted) await this.#save(run, result);
        return;
      } catch (error) {
        if (signal.aborted) return;
        const response = classifyFailure(error);
        if (response === 'stopped') return;
        if (response === 'wait-for-engine' && losses++ < MAX_ENGINE_LOSSES) {
          // The engine went away: wait visibly and carry on when it is back, instead of failing all.
          run.text = '';
          slot.reportUnavailable();
          await this.#waitForEngine(run, slot, signal).catch(() => {});
          if (signal.aborted) return;
          continue;
        }
        if (response === 'retry-later' && busyTries < BUSY_RETRY_MS.length) {
          run.moveTo('paused');
          await sleep(BUSY_RETRY_MS[busyTries++] ?? 0, signal);
          if (signal.aborted) return;
          continue;
        }
        await this.#fail(run, error);
        return;
      }
    }
  }

  async #waitForEngine(run: QueuedJob, slot: EngineSlot, signal: AbortSignal): Promise<void> {
    run.moveTo('paused');
    this.#waitingForEngine++;
    try {
      await slot.waitUntilAvailable(signal);
    } finally {
      this.#waitingForEngine--;
    }
  }

  async #save(run: QueuedJob, result: ResultRecord): Promise<void> {
    const stored = await this.#deps.store.saveResult(result);
    this.#deps.library.putResult(stored);
    await this.#deps.store.deleteJob(run.job.key);
    this.#jobs = this.#jobs.filter((r) => r !== run);
  }

  async #fail(run: QueuedJob, error: unknown): Promise<void> {
    run.fail(
      error instanceof StorageFullError
        ? `${error.message} The text below was not saved: copy it now.`
        : describeFailure(error, run.job.model),
    );
    await this.#deps.store.saveJob({ ...run.job, error: run.error }).catch(() => {});
  }
}
