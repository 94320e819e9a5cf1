// Schedules queued images onto engine slots and follows them for the UI; lib/jobs/run-job.ts does
// the work. Each finished result is saved at once, and a reload resumes from the saved jobs.
import type { ImageEncoder } from '../lib/image/encoder.ts';
import { classifyFailure, describeJobFailure } from '../lib/jobs/failures.ts';
import { keepViews, prepareImage, runJob, type PrepareDeps, type RunPhase } from '../lib/jobs/run-job.ts';
import { readsText } from '../lib/tasks/presets.ts';
import type { EncodedImage } from '../lib/image/types.ts';
import type { BatchProgress, SlotStats } from '../lib/jobs/batch-progress.ts';
import { ServerLine } from '../lib/jobs/server-line.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import type { StallLimits } from '../lib/jobs/stall-watchdog.ts';
import type { RecentOriginals } from '../lib/library/recent-originals.ts';
import { StorageFullError, type LibraryStore } from '../lib/library/store.ts';
import type { JobRecord, JobSpec, ResultRecord } from '../lib/library/types.ts';
import { OpenAiEngine } from '../lib/engines/openai/engine.ts';
import type { EngineProgress } from '../lib/engines/types.ts';
import type { LibraryState } from './library.svelte.ts';
import type { QueueFollower } from './queue-follower.svelte.ts';

/** Where one run stands ('paused': waiting for the engine to come back or to have room). */
export type JobPhase = 'queued' | RunPhase | 'paused' | 'failed';

/** Waits before asking a busy engine again (Ollama's 503 "server busy"). */
const BUSY_RETRY_MS = [1000, 2000, 5000, 10000];
/** How often a job may lose its engine mid-read before it fails. */
const MAX_ENGINE_LOSSES = 5;
/** Images per minute are worked out over this many recent finishes per slot. */
const RATE_WINDOW = 10;
/** Why a request waiting in its server's line was closed: the user paused, it goes back in the queue. */
const SENT_BACK = new DOMException('Paused before the server took it up.', 'AbortError');

/** What QueueState works with; tests pass fakes. */
export interface QueueDeps {
  store: Pick<LibraryStore, 'listJobs' | 'saveJob' | 'saveJobs' | 'deleteJob' | 'saveResult' | 'getImageBlob' | 'getSetting' | 'setSetting'>;
  encoder: Pick<ImageEncoder, 'encode'>;
  /** needsViews/saveViews: a never-decoded image keeps the thumbnail its job's decode makes. */
  library: Pick<LibraryState, 'putResult'> & Partial<Pick<LibraryState, 'needsViews' | 'saveViews' | 'hasAnswerTo'>>;
  /** Where jobs run now (the list changes as servers are added); each takes jobs up to its concurrency. */
  slots: () => readonly EngineSlot[];
  /** How long a reply may take to start and pause (the user's settings); runJob's defaults if absent. */
  limits?: () => StallLimits;
  /** A finished result flagged for review where it falls below the user's threshold (as it stands when saved). */
  review?: (result: ResultRecord) => ResultRecord;
  /** Files intake has just stored, still in hand: a job reads its image from here before IndexedDB. */
  originals?: Pick<RecentOriginals, 'take'>;
}

/** Where the user's pause is kept, so a reload does not start the batch again. */
export const PAUSED_SETTING = 'queuePaused';

/** Images per minute from recent finish times; undefined until two have finished. */
function rate(finishedAt: readonly number[]): number | undefined {
  const first = finishedAt[0];
  const last = finishedAt[finishedAt.length - 1];
  return first !== undefined && last !== undefined && last > first ? ((finishedAt.length - 1) * 60_000) / (last - first) : undefined;
}

/** Wait `ms`, or less if the signal aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** A job's image prepared ahead, while its slot's current job is being answered. */
interface Prefetch {
  run: QueuedJob;
  image: Promise<EncodedImage>;
  controller: AbortController;
}

/**
 * A dropped file being encoded before its job exists (while it is hashed and stored); the job for
 * that image, asked at that size, takes it once intake names the image.
 */
export interface AheadImage {
  /** Set by intake once the file is identified; until then no job can take it. */
  sha256?: string;
  readonly maxSide: number;
  readonly canTile: boolean;
  readonly image: Promise<EncodedImage>;
  readonly controller: AbortController;
}

/** One image waiting for, or getting, its text. */
export class QueuedJob {
  #phase = $state<JobPhase>('queued');
  text = $state('');
  error = $state('');
  readonly job: JobRecord;
  controller: AbortController | undefined;
  /** The slot (server) reading it now, for per-server progress. */
  slotId = $state<string | undefined>();
  /** The engine's preparation (the built-in OCR loading), shown until text arrives. */
  progress = $state.raw<EngineProgress | undefined>();
  /** How often its engine vanished mid-read; past MAX_ENGINE_LOSSES it fails. */
  losses = 0;
  /** How often its reply stalled; the first stall is retried, the second fails it. */
  stalls = 0;
  readonly #waitReason: () => string;

  constructor(job: JobRecord, waitReason: () => string) {
    this.job = job;
    this.#waitReason = waitReason;
    if (job.error) this.fail(job.error);
  }

  /** A queued job shows that it waits while no engine that can run it answers. */
  get phase(): JobPhase {
    return this.#phase === 'queued' && this.#waitReason() ? 'paused' : this.#phase;
  }

  /** Why a paused job waits, in words ("Waiting for a model: …"); empty when it does not. */
  get waitReason(): string {
    if (this.#phase === 'paused') return 'The server is busy; asking again shortly…';
    return this.#phase === 'queued' ? this.#waitReason() : '';
  }
  /** The engine's preparation in words ("Loading English language data 40 %") until text arrives; else empty. */
  get progressLabel(): string {
    const progress = this.progress;
    if (!progress || this.phase !== 'waiting') return '';
    return progress.fraction === undefined ? progress.status : `${progress.status} ${Math.round(progress.fraction * 100)} %`;
  }
  /** True when the scheduler may start it. */
  get isQueued() { return this.#phase === 'queued'; }
  /** The same as `phase === 'failed'`, without asking the slots why a queued job waits. */
  get isFailed() { return this.#phase === 'failed'; }

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

/** The work queue: hands each job to a free slot that can run it, retries, saves. */
export class QueueState {
  #jobs = $state.raw<QueuedJob[]>([]);
  #isPaused = $state(false);
  /** This batch's finished images (reset when a new batch starts on an empty queue). */
  #batch = $state.raw({ done: 0, needsReview: 0, finishedAt: [] as number[] });
  #stats = $state.raw<ReadonlyMap<string, { done: number; finishedAt: number[] }>>(new Map());
  readonly #active = new Map<EngineSlot, Set<QueuedJob>>();
  /** Slots we watch for their return, so their jobs go out again the moment they answer. */
  readonly #watched = new Set<EngineSlot>();
  /** At most one prepared image per slot, so memory stays bounded however long the queue. */
  readonly #prefetched = new Map<EngineSlot, Prefetch>();
  /** Images whose views a job's decode is still making and saving: the idle-time pass must not decode them again. */
  readonly #viewsDue = new Set<string>();
  /** A dropped file being encoded before its job exists, if any. */
  #ahead: AheadImage | undefined;
  readonly #lines = new Map<EngineSlot, ServerLine>();
  readonly #deps: QueueDeps;
  /** Set while another tab works the queue: this one shows its progress and passes intents on. */
  #follower = $state.raw<QueueFollower | undefined>();

  constructor(deps: QueueDeps) {
    this.#deps = deps;
  }

  get jobs() { return this.#follower?.jobs ?? this.#jobs; }
  /** True while the user paused the batch: running images finish, no new ones start. */
  get isPaused() { return this.#follower?.isPaused ?? this.#isPaused; }
  /** True while this tab only shows the queue another tab works. */
  get isFollowing() { return this.#follower !== undefined; }

  /** Show another tab's queue and hand intents to it, instead of running jobs here. */
  follow(follower: QueueFollower): void {
    this.#follower = follower;
  }

  /**
   * Work the queue here from now on (the leader's tab closed): every saved job is picked up, and
   * the batch's count goes on from where the other tab left it.
   */
  lead(): Promise<void> {
    const carried = this.#follower?.progress;
    if (carried) this.#batch = { done: carried.done, needsReview: carried.needsReview, finishedAt: [] };
    this.#follower = undefined;
    return this.resume();
  }

  /** Done / failed / needs review / remaining, images per minute and time left. */
  get progress(): BatchProgress {
    if (this.#follower) return this.#follower.progress;
    const { done, needsReview, finishedAt } = this.#batch;
    const failed = this.failedCount;
    const remaining = this.#jobs.length - failed;
    const perMinute = rate(finishedAt);
    return { done, failed, needsReview, remaining, perMinute, etaMs: perMinute ? (remaining / perMinute) * 60_000 : undefined };
  }
  /** Runs not yet finished or failed. */
  get pendingCount() { return this.jobs.length - this.#failedCount; }
  /** Runs that failed and wait for a retry. */
  get failedCount() { return this.#failedCount; }
  // Counted once per change of the jobs, however many readers (a 10,000-file drop changes them often).
  readonly #failedCount = $derived(this.jobs.reduce((n, r) => (r.isFailed ? n + 1 : n), 0));
  /** Each image's latest run, so a row finds its own without walking every job. */
  readonly #latestBySha = $derived(new Map(this.jobs.map((r) => [r.job.sha256, r])));

  /** Whether a job is being prepared or could start now: idle-time image work holds off meanwhile. */
  get hasWorkInHand(): boolean {
    const canStart = this.#startsNow();
    return this.#prefetched.size > 0 || this.#viewsDue.size > 0 || this.#ahead !== undefined || this.#jobs.some((r) => (r.isQueued ? canStart(r.job) : r.phase === 'encoding'));
  }

  /**
   * Whether an answering slot could start a job now. Per job, not "any slot answers": the in-page
   * OCR always answers, yet a job for a model whose server is away cannot start.
   */
  #startsNow(): (job: JobSpec) => boolean {
    const available = this.#deps.slots().filter((s) => s.isAvailable);
    return (job) => available.some((s) => s.accepts(job));
  }

  /** The latest run for an image, if any. */
  jobFor(sha256: string): QueuedJob | undefined {
    return this.#latestBySha.get(sha256);
  }

  /** Progress of one slot: running now, done this session, images per minute. */
  statsFor(slotId: string): SlotStats {
    if (this.#follower) return this.#follower.statsFor(slotId);
    const stats = this.#stats.get(slotId);
    // A request waiting in the server's line is not being read yet.
    const running = this.#jobs.filter((r) => r.slotId === slotId && !r.isQueued && r.phase !== 'failed' && r.phase !== 'lined-up').length;
    return { running, done: stats?.done ?? 0, perMinute: rate(stats?.finishedAt ?? []) };
  }

  /** Pick up jobs a reload interrupted (still paused if the user had paused). */
  async resume(): Promise<void> {
    if (this.#follower) return;
    const saved = await this.#deps.store.listJobs();
    // A job whose result was saved keeps its record until the delete behind it lands: it is done.
    const answered = new Set(saved.filter((job) => this.#deps.library.hasAnswerTo?.(job)));
    for (const job of answered) void this.#deps.store.deleteJob(job.key).catch(() => {});
    const jobs = saved.filter((job) => !answered.has(job)).sort((a, b) => a.queuedAt - b.queuedAt);
    this.#isPaused = (await this.#deps.store.getSetting<boolean>(PAUSED_SETTING).catch(() => undefined)) === true;
    this.#jobs = jobs.map((job) => this.#track(job));
    this.reschedule();
  }

  /**
   * Start no new images until resumed; images being read finish, and a request still waiting in
   * its server's line is closed and goes back in the queue. Kept across reloads.
   */
  pauseAll(): void {
    if (this.#follower) return this.#follower.setPaused(true);
    this.#isPaused = true;
    for (const run of this.#jobs) if (run.phase === 'lined-up') this.#sendBack(run);
    void this.#deps.store.setSetting(PAUSED_SETTING, true).catch(() => {});
  }

  /** Carry on with the batch. */
  resumeAll(): void {
    if (this.#follower) return this.#follower.setPaused(false);
    this.#isPaused = false;
    void this.#deps.store.setSetting(PAUSED_SETTING, false).catch(() => {});
    this.reschedule();
  }

  /** Stop everything: running requests are closed and every queued image is forgotten. */
  async cancelAll(): Promise<void> {
    if (this.#follower) return this.#follower.cancelAll();
    for (const run of this.#jobs) run.controller?.abort();
    const keys = this.#jobs.map((r) => r.job.key);
    this.#jobs = [];
    for (const key of keys) await this.#deps.store.deleteJob(key);
  }

  /** Put every failed image back in line. */
  retryFailed(): void {
    if (this.#follower) return void this.#follower.retryFailed();
    for (const run of this.#jobs) if (run.phase === 'failed') this.retry(run.job.key);
  }

  /** Queue jobs (saved first, so a reload does not lose them). */
  async enqueue(jobs: JobRecord[]): Promise<void> {
    if (this.#follower) return this.#follower.enqueue(jobs);
    if (this.#jobs.length === 0) this.#batch = { done: 0, needsReview: 0, finishedAt: [] };
    const pending = new Set(this.#jobs.filter((r) => !r.isFailed).map((r) => r.job.key));
    const fresh = jobs.filter((job) => !pending.has(job.key));
    if (fresh.length === 0) return;
    // One write for the batch: a 10,000-file drop must not cost 10,000 transactions.
    await this.#deps.store.saveJobs(fresh);
    const keys = new Set(fresh.map((j) => j.key));
    this.#jobs = [...this.#jobs.filter((r) => !keys.has(r.job.key)), ...fresh.map((job) => this.#track(job))];
    this.reschedule();
  }

  /**
   * Start encoding a just-dropped file before its job exists (`spec` is that job but for the
   * image's hash, not known yet), while intake hashes and stores it, when this tab would start
   * that job at once (nothing pending, a slot answering for its model, not paused):
   * the one decode then overlaps the hash and the writes. Undefined when it would only get in the way.
   */
  encodeAhead(blob: Blob, spec: JobSpec): AheadImage | undefined {
    const isIdle = !this.#follower && !this.#isPaused && !this.#ahead && this.#jobs.every((r) => r.isFailed);
    if (!isIdle || !this.#startsNow()(spec)) return undefined;
    const maxSide = spec.options.maxSide;
    const canTile = readsText(spec.taskId);
    const controller = new AbortController();
    // Views too: a new image's thumbnail and preview come from this one decode.
    const image = this.#deps.encoder.encode(blob, maxSide, controller.signal, true, canTile);
    // Its job meets any failure when it runs; until then nobody awaits it.
    image.catch(() => {});
    this.#ahead = { maxSide, canTile, image, controller };
    return this.#ahead;
  }

  /** Forget an image encoded ahead once its job is queued: stopped unless a job took it. */
  dropAhead(ahead: AheadImage): void {
    if (this.#ahead !== ahead) return;
    this.#ahead = undefined;
    ahead.controller.abort();
  }

  /** The image encoded ahead for this job (same image, same size and tiling), handed over, if any. */
  #takeAhead(run: QueuedJob): Pick<Prefetch, 'image' | 'controller'> | undefined {
    const ahead = this.#ahead;
    const { sha256, options, taskId } = run.job;
    if (!ahead || ahead.sha256 !== sha256 || ahead.maxSide !== options.maxSide || ahead.canTile !== readsText(taskId)) return undefined;
    this.#ahead = undefined;
    const deps = this.#prepareDeps();
    const { signal } = ahead.controller;
    const image = ahead.image.then(
      (image) => keepViews(sha256, image, deps),
      // The dropped File can fail where the stored copy reads (the file changed on disk since the
      // drop): the job then encodes the stored copy, as it would have without the early start.
      (error: unknown) => {
        if (signal.aborted) throw error;
        return prepareImage(run.job, deps, signal);
      },
    );
    return { image, controller: ahead.controller };
  }

  /** Stop a run (closing the connection cancels generation on the server) and forget it. */
  async cancel(key: string): Promise<void> {
    if (this.#follower) return this.#follower.cancel([key]);
    const run = this.#jobs.find((r) => r.job.key === key);
    run?.controller?.abort();
    if (run) this.#takePrefetched(run)?.controller.abort();
    this.#jobs = this.#jobs.filter((r) => r.job.key !== key);
    await this.#deps.store.deleteJob(key);
  }

  /** Cancel everything queued for these images; returns the keys cancelled. */
  async cancelFor(sha256s: Set<string>): Promise<string[]> {
    if (this.#follower) return this.#follower.cancelFor(sha256s);
    const keys = this.#jobs.filter((r) => sha256s.has(r.job.sha256)).map((r) => r.job.key);
    for (const key of keys) await this.cancel(key);
    return keys;
  }

  /** Try a failed run again. */
  retry(key: string): void {
    if (this.#follower) return void this.#follower.retry([key]);
    const run = this.#jobs.find((r) => r.job.key === key);
    if (!run || run.phase !== 'failed') return;
    run.moveTo('queued');
    run.error = '';
    run.text = '';
    run.losses = 0;
    run.stalls = 0;
    void this.#deps.store.saveJob({ ...run.job, error: undefined }).catch(() => {});
    this.reschedule();
  }

  /**
   * Fill every answering slot up to its concurrency with the oldest queued jobs it accepts; watch
   * the others, so their share goes out again when they return. Call after the slots changed.
   */
  reschedule(): void {
    // Only the leader's tab sends images to a model.
    if (this.#isPaused || this.#follower) return;
    for (const slot of this.#deps.slots()) {
      if (!slot.isAvailable) {
        this.#watch(slot);
        continue;
      }
      const active = this.#activeOn(slot);
      // A server that queues gets one request more than it runs: it waits there for the next free turn.
      const capacity = slot.concurrency + (slot.queuesAhead ? 1 : 0);
      while (active.size < capacity) {
        const next = this.#jobs.find((r) => r.isQueued && !this.#isActive(r) && slot.accepts(r.job));
        if (!next) break;
        active.add(next);
        void this.#process(next, slot).finally(() => {
          active.delete(next);
          this.reschedule();
        });
      }
    }
  }

  #track(job: JobRecord): QueuedJob {
    const run: QueuedJob = new QueuedJob(job, () => this.#waitReasonFor(run.job));
    return run;
  }

  /** Why a queued job cannot start now, or '' when some answering slot can run it. */
  #waitReasonFor(job: JobRecord): string {
    const slots = this.#deps.slots();
    if (slots.some((s) => s.isAvailable && s.accepts(job))) return '';
    const away = slots.find((s) => s.accepts(job));
    return away ? `Waiting for a model: ${away.engine.label} does not answer yet…` : `Waiting for a model: no server offers ${job.model}…`;
  }

  #activeOn(slot: EngineSlot): Set<QueuedJob> {
    let active = this.#active.get(slot);
    if (!active) this.#active.set(slot, (active = new Set()));
    return active;
  }

  #isActive(run: QueuedJob): boolean {
    for (const active of this.#active.values()) if (active.has(run)) return true;
    return false;
  }

  #prepareDeps(): PrepareDeps {
    const { store, encoder, library, originals } = this.#deps;
    return {
      readImage: async (sha256) => originals?.take(sha256) ?? store.getImageBlob(sha256),
      encoder,
      needsViews: (sha256) => library.needsViews?.(sha256) ?? false,
      saveViews: async (sha256, views) => library.saveViews?.(sha256, views),
      onViewsDue: (sha256, saved) => {
        this.#viewsDue.add(sha256);
        void saved.finally(() => this.#viewsDue.delete(sha256));
      },
    };
  }

  /** The requests sent to this slot's server, in order, for a server that queues them. */
  #lineFor(slot: EngineSlot): ServerLine | undefined {
    if (!slot.queuesAhead) return undefined;
    let line = this.#lines.get(slot);
    if (!line) this.#lines.set(slot, (line = new ServerLine(() => slot.concurrency)));
    return line;
  }

  /** Close a request the server has not taken up yet; its job goes back in the queue (the user paused). */
  #sendBack(run: QueuedJob): void {
    run.controller?.abort(SENT_BACK);
  }

  /** Prepare the job this slot will take next, while its current one is answered. */
  #prefetchFor(slot: EngineSlot): void {
    if (this.#prefetched.has(slot)) return;
    const run = this.#jobs.find((r) => r.isQueued && !this.#isActive(r) && !this.#isPrefetched(r) && slot.accepts(r.job));
    if (!run) return;
    const controller = new AbortController();
    const image = prepareImage(run.job, this.#prepareDeps(), controller.signal);
    // Its job meets any failure when it runs; until then nobody awaits it.
    image.catch(() => {});
    this.#prefetched.set(slot, { run, image, controller });
  }

  #isPrefetched(run: QueuedJob): boolean {
    for (const prefetch of this.#prefetched.values()) if (prefetch.run === run) return true;
    return false;
  }

  /** The image prepared ahead for this job, handed over (and forgotten here), if any. */
  #takePrefetched(run: QueuedJob): Prefetch | undefined {
    for (const [slot, prefetch] of this.#prefetched) {
      if (prefetch.run !== run) continue;
      this.#prefetched.delete(slot);
      return prefetch;
    }
    return undefined;
  }

  #watch(slot: EngineSlot): void {
    if (this.#watched.has(slot)) return;
    this.#watched.add(slot);
    // The slot stays watched until it answers; a removed server's slot simply never resolves.
    void slot
      .waitUntilAvailable(new AbortController().signal)
      .catch(() => {})
      .finally(() => {
        this.#watched.delete(slot);
        this.reschedule();
      });
  }

  /**
   * Run one job to a saved result on this slot. A busy engine is asked again after a pause; a
   * vanished one is marked away and the job goes back in line for any slot that answers.
   */
  async #process(run: QueuedJob, slot: EngineSlot): Promise<void> {
    const controller = new AbortController();
    const { signal } = controller;
    run.controller = controller;
    run.slotId = slot.id;
    const prefetched = this.#takePrefetched(run) ?? this.#takeAhead(run);
    if (prefetched) signal.addEventListener('abort', () => prefetched.controller.abort(), { once: true });
    let image = prefetched?.image;
    let busyTries = 0;
    for (;;) {
      try {
        run.text = '';
        const result = await runJob(
          run.job,
          { ...this.#prepareDeps(), engine: slot.engine },
          {
            signal,
            image,
            line: this.#lineFor(slot),
            onPhase: (phase) => {
              run.moveTo(phase);
              // Paused while its image was prepared: the server has not taken it up, so it goes back.
              if (phase === 'lined-up' && this.#isPaused) this.#sendBack(run);
              // The request is on its way: the worker is free to prepare this slot's next image,
              // which goes out the moment a place frees (at a server that queues, while the
              // request ahead of it is still being answered).
              if (phase === 'waiting' || phase === 'lined-up') this.#prefetchFor(slot);
            },
            onText: (text) => (run.text = text),
            onProgress: (progress) => (run.progress = progress),
            limits: this.#deps.limits?.(),
          },
        );
        if (!signal.aborted) await this.#save(run, result, slot);
        return;
      } catch (error) {
        if (signal.aborted) {
          // Never answered: back in line as it was, nothing failed.
          if (signal.reason === SENT_BACK) this.#requeue(run);
          return;
        }
        const response = classifyFailure(error);
        if (response === 'stopped') return;
        if (response === 'wait-for-engine' && run.losses++ < MAX_ENGINE_LOSSES) {
          // The server went away: nothing was saved, so the job goes back in line for any server
          // that answers (this one rejoins when it answers again).
          slot.reportUnavailable();
          this.#requeue(run);
          return;
        }
        // A retry prepares the image afresh (the prepared one may be what failed).
        image = undefined;
        // A stalled reply is asked once more at once; a second stall fails the job, and the batch moves on.
        if (response === 'retry-once' && run.stalls++ < 1) continue;
        if (response === 'retry-later' && busyTries < BUSY_RETRY_MS.length) {
          run.moveTo('paused');
          await sleep(BUSY_RETRY_MS[busyTries++] ?? 0, signal);
          if (signal.aborted) return;
          continue;
        }
        await this.#fail(run, error, slot);
        return;
      }
    }
  }

  /** Put a job that was not answered back in line for any slot. */
  #requeue(run: QueuedJob): void {
    run.text = '';
    run.slotId = undefined;
    run.moveTo('queued');
  }

  async #save(run: QueuedJob, result: ResultRecord, slot: EngineSlot): Promise<void> {
    const digest = slot.modelDigest?.(result.model);
    const stamped = digest ? { ...result, modelDigest: digest } : result;
    const stored = await this.#deps.store.saveResult(this.#deps.review?.(stamped) ?? stamped);
    // The result is on disk, so the job is done: its slot takes the next image now, and its record
    // is deleted behind that request. A reload before the delete lands finds the job answered
    // (resume drops it), so nothing is asked twice and the request does not wait for a second write.
    this.#deps.library.putResult(stored);
    this.#jobs = this.#jobs.filter((r) => r !== run);
    this.#countFinished(slot.id, stored);
    void this.#deps.store.deleteJob(run.job.key).catch(() => {});
  }

  #countFinished(slotId: string, result: ResultRecord): void {
    const batch = this.#batch;
    this.#batch = {
      done: batch.done + 1,
      needsReview: batch.needsReview + (result.needsReview ? 1 : 0),
      finishedAt: [...batch.finishedAt, Date.now()].slice(-RATE_WINDOW),
    };
    const previous = this.#stats.get(slotId) ?? { done: 0, finishedAt: [] };
    const next = new Map(this.#stats);
    next.set(slotId, { done: previous.done + 1, finishedAt: [...previous.finishedAt, Date.now()].slice(-RATE_WINDOW) });
    this.#stats = next;
  }

  async #fail(run: QueuedJob, error: unknown, slot: EngineSlot): Promise<void> {
    const { engine } = slot;
    run.fail(
      error instanceof StorageFullError
        ? `${error.message} The text below was not saved: copy it now.`
        : describeJobFailure(error, { model: run.job.model, flavour: engine instanceof OpenAiEngine ? engine.flavour : undefined }),
    );
    await this.#deps.store.saveJob({ ...run.job, error: run.error }).catch(() => {});
  }
}
