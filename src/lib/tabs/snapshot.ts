// The leader's queue as followers see it: built from what the queue shows, and posted only when it
// changed, a few times a second at most, so a streaming reply does not flood the channel.
import type { JobSnapshot, QueueSnapshot } from './messages.ts';

/** A streaming text longer than this reaches followers cut to its end (the detail view shows it). */
const MAX_TEXT = 20_000;

/** What the snapshot is built from: QueueState's public face. */
export interface QueueView {
  readonly jobs: readonly {
    readonly job: { readonly key: string; readonly sha256: string };
    readonly phase: JobSnapshot['phase'];
    readonly text: string;
    readonly error: string;
    readonly waitReason: string;
    readonly slotId: string | undefined;
  }[];
  readonly isPaused: boolean;
  readonly progress: QueueSnapshot['progress'];
  statsFor(slotId: string): QueueSnapshot['slots'][string];
}

/** The queue now, as plain data; empty fields are left out to keep a 9,000-job snapshot small. */
export function buildQueueSnapshot(queue: QueueView, slotIds: readonly string[]): QueueSnapshot {
  const jobs = queue.jobs.map(({ job, phase, text, error, waitReason, slotId }): JobSnapshot => {
    const entry: JobSnapshot = { key: job.key, sha256: job.sha256, phase };
    if (text) entry.text = text.length > MAX_TEXT ? text.slice(-MAX_TEXT) : text;
    if (error) entry.error = error;
    if (waitReason) entry.waitReason = waitReason;
    if (slotId) entry.slotId = slotId;
    return entry;
  });
  const slots = Object.fromEntries(slotIds.map((id) => [id, queue.statsFor(id)]));
  return { jobs, isPaused: queue.isPaused, progress: { ...queue.progress }, slots };
}

/** Posts the snapshot when it changed since the last post; the caller says how often to check. */
export class SnapshotPublisher {
  readonly #build: () => QueueSnapshot;
  readonly #post: (snapshot: QueueSnapshot) => void;
  #last = '';

  constructor(build: () => QueueSnapshot, post: (snapshot: QueueSnapshot) => void) {
    this.#build = build;
    this.#post = post;
  }

  /** Post now if anything changed. */
  publish(): void {
    const snapshot = this.#build();
    const serialized = JSON.stringify(snapshot);
    if (serialized === this.#last) return;
    this.#last = serialized;
    this.#post(snapshot);
  }

  /** Post the next snapshot even if unchanged (a tab just opened and has none). */
  republish(): void {
    this.#last = '';
    this.publish();
  }
}
