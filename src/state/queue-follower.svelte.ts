// A tab that does not hold the leader's lock shows the leader's queue and hands its intents on:
// it writes the job table (so nothing is lost if the leader's tab closes) and tells the leader,
// which alone sends images to a model. That is what keeps an image from being sent twice.
import type { LibraryStore } from '../lib/library/store.ts';
import type { JobRecord } from '../lib/library/types.ts';
import type { JobSnapshot, QueueSnapshot, TabMessage } from '../lib/tabs/messages.ts';
import type { BatchProgress, SlotStats } from '../lib/jobs/batch-progress.ts';
import { PAUSED_SETTING, QueuedJob } from './queue.svelte.ts';

/** More missing job records than this are read in one pass over the table rather than one by one. */
const FETCH_ONE_BY_ONE = 50;

const NO_PROGRESS: BatchProgress = { done: 0, failed: 0, needsReview: 0, remaining: 0, perMinute: undefined, etaMs: undefined };

/** What a follower works with; tests pass fakes. */
export interface FollowerDeps {
  store: Pick<LibraryStore, 'saveJob' | 'saveJobs' | 'deleteJob' | 'getJob' | 'listJobs' | 'setSetting'>;
  /** Tell the leader's tab. */
  post: (message: TabMessage) => void;
}

interface Mirrored {
  run: QueuedJob;
  /** Why it waits, as the leader says; read through QueuedJob.waitReason. */
  wait: { reason: string };
}

/** The leader's queue as this tab shows it, and this tab's intents passed on to the leader. */
export class QueueFollower {
  #jobs = $state.raw<QueuedJob[]>([]);
  #isPaused = $state(false);
  #progress = $state.raw<BatchProgress>(NO_PROGRESS);
  #slots = $state.raw<QueueSnapshot['slots']>({});
  readonly #mirrored = new Map<string, Mirrored>();
  /** Job records read from the table, for jobs the leader listed before this tab knew them. */
  readonly #records = new Map<string, JobRecord>();
  /** Keys the leader listed whose records were not in the table (finished meanwhile): not asked again. */
  readonly #unreadable = new Set<string>();
  #latest: QueueSnapshot | undefined;
  #isFetching = false;
  readonly #deps: FollowerDeps;

  constructor(deps: FollowerDeps) {
    this.#deps = deps;
  }

  get jobs(): QueuedJob[] { return this.#jobs; }
  get isPaused() { return this.#isPaused; }
  get progress() { return this.#progress; }

  statsFor(slotId: string): SlotStats {
    return this.#slots[slotId] ?? { running: 0, done: 0, perMinute: undefined };
  }

  /** Show the leader's queue as it is now. */
  apply(snapshot: QueueSnapshot): void {
    this.#latest = snapshot;
    this.#isPaused = snapshot.isPaused;
    this.#progress = snapshot.progress;
    this.#slots = snapshot.slots;
    const next: QueuedJob[] = [];
    const missing: string[] = [];
    for (const entry of snapshot.jobs) {
      const mirrored = this.#mirrored.get(entry.key) ?? this.#mirror(entry);
      if (!mirrored) {
        if (!this.#unreadable.has(entry.key)) missing.push(entry.key);
        continue;
      }
      update(mirrored, entry);
      next.push(mirrored.run);
    }
    const listed = new Set(snapshot.jobs.map((entry) => entry.key));
    for (const key of this.#mirrored.keys()) if (!listed.has(key)) this.#forget(key);
    for (const key of this.#unreadable) if (!listed.has(key)) this.#unreadable.delete(key);
    if (next.length !== this.#jobs.length || next.some((run, i) => run !== this.#jobs[i])) this.#jobs = next;
    if (missing.length > 0) void this.#fetch(missing);
  }

  /** Save new jobs to the table and ask the leader to run them. */
  async enqueue(jobs: JobRecord[]): Promise<void> {
    const pending = new Set(this.#jobs.filter((r) => !r.isFailed).map((r) => r.job.key));
    const fresh = jobs.filter((job) => !pending.has(job.key));
    if (fresh.length === 0) return;
    // One write for the lot: a large drop in this tab must not cost a transaction per file.
    await this.#deps.store.saveJobs(fresh);
    for (const job of fresh) this.#records.set(job.key, job);
    this.#deps.post({ type: 'jobs-added', keys: fresh.map((job) => job.key) });
  }

  /** Forget these jobs in the table; the leader stops any it is running. */
  async cancel(keys: string[]): Promise<void> {
    for (const key of keys) await this.#deps.store.deleteJob(key);
    this.#jobs = this.#jobs.filter((r) => !keys.includes(r.job.key));
    if (keys.length > 0) this.#deps.post({ type: 'jobs-cancelled', keys });
  }

  /** Cancel every job for these images, shown or only saved so far; returns the keys cancelled. */
  async cancelFor(sha256s: Set<string>): Promise<string[]> {
    const saved = (await this.#deps.store.listJobs()).filter((job) => sha256s.has(job.sha256)).map((job) => job.key);
    const shown = this.#jobs.filter((r) => sha256s.has(r.job.sha256)).map((r) => r.job.key);
    const keys = [...new Set([...saved, ...shown])];
    await this.cancel(keys);
    return keys;
  }

  async cancelAll(): Promise<void> {
    await this.cancel([...new Set([...(await this.#deps.store.listJobs()).map((job) => job.key), ...this.#jobs.map((r) => r.job.key)])]);
  }

  /** Put failed jobs back in line: saved without their error, and the leader told. */
  async retry(keys: string[]): Promise<void> {
    const runs = this.#jobs.filter((r) => keys.includes(r.job.key) && r.phase === 'failed');
    for (const run of runs) await this.#deps.store.saveJob({ ...run.job, error: undefined }).catch(() => {});
    if (runs.length > 0) this.#deps.post({ type: 'jobs-retried', keys: runs.map((r) => r.job.key) });
  }

  retryFailed(): Promise<void> {
    return this.retry(this.#jobs.filter((r) => r.phase === 'failed').map((r) => r.job.key));
  }

  /** Pause or resume the leader's batch (kept across reloads, as in the leader's own tab). */
  setPaused(isPaused: boolean): void {
    this.#isPaused = isPaused;
    void this.#deps.store.setSetting(PAUSED_SETTING, isPaused).catch(() => {});
    this.#deps.post({ type: 'queue-paused', isPaused });
  }

  #mirror(entry: JobSnapshot): Mirrored | undefined {
    const record = this.#records.get(entry.key);
    if (!record) return undefined;
    const wait = $state({ reason: '' });
    const mirrored = { run: new QueuedJob(record, () => wait.reason), wait };
    this.#mirrored.set(entry.key, mirrored);
    return mirrored;
  }

  #forget(key: string): void {
    this.#mirrored.delete(key);
    this.#records.delete(key);
  }

  /** Read the records of jobs the leader lists and this tab has not seen, then show them. */
  async #fetch(keys: string[]): Promise<void> {
    if (this.#isFetching) return;
    this.#isFetching = true;
    try {
      const records =
        keys.length > FETCH_ONE_BY_ONE
          ? await this.#deps.store.listJobs()
          : (await Promise.all(keys.map((key) => this.#deps.store.getJob(key)))).filter((job) => job !== undefined);
      for (const record of records) this.#records.set(record.key, record);
      for (const key of keys) if (!this.#records.has(key)) this.#unreadable.add(key);
    } finally {
      this.#isFetching = false;
    }
    if (this.#latest) this.apply(this.#latest);
  }
}

/** Bring a mirrored job up to the leader's word. */
function update({ run, wait }: Mirrored, entry: JobSnapshot): void {
  // QueuedJob shows a queued job with a reason as 'paused', with that reason: the same as the leader.
  wait.reason = entry.phase === 'paused' ? (entry.waitReason ?? '') : '';
  run.moveTo(entry.phase === 'paused' ? 'queued' : entry.phase);
  run.text = entry.text ?? '';
  run.error = entry.error ?? '';
  run.slotId = entry.slotId;
}
