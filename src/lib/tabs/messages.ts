// What tabs tell each other. Messages name records (keys, hashes), never carry their content: a
// tab reads what changed from IndexedDB, the one source of truth, so a late or lost message can
// at worst delay a change, never bring back an old one.

import type { BatchProgress, SlotStats } from '../jobs/batch-progress.ts';

/** How one job looks in the leader's queue, for a follower's list and detail view. */
export interface JobSnapshot {
  key: string;
  sha256: string;
  /** As QueuedJob.phase shows it ('paused' for a job that waits, with `waitReason` saying why). */
  phase: 'queued' | 'encoding' | 'lined-up' | 'waiting' | 'streaming' | 'paused' | 'failed';
  text?: string;
  error?: string;
  waitReason?: string;
  slotId?: string;
}

/** The leader's queue at one moment: every job, the batch's figures, each server's pace. */
export interface QueueSnapshot {
  jobs: JobSnapshot[];
  isPaused: boolean;
  progress: BatchProgress;
  slots: Record<string, SlotStats>;
}

/** Every message on the channel. */
export type TabMessage =
  | { type: 'images-changed'; sha256s: string[] }
  | { type: 'results-changed'; keys: string[] }
  | { type: 'library-replaced' }
  | { type: 'jobs-added'; keys: string[] }
  | { type: 'jobs-cancelled'; keys: string[] }
  | { type: 'jobs-retried'; keys: string[] }
  | { type: 'queue-paused'; isPaused: boolean }
  | { type: 'snapshot-wanted' }
  | { type: 'queue-snapshot'; snapshot: QueueSnapshot };

const TYPES = new Set<TabMessage['type']>([
  'images-changed', 'results-changed', 'library-replaced', 'jobs-added', 'jobs-cancelled',
  'jobs-retried', 'queue-paused', 'snapshot-wanted', 'queue-snapshot',
]);

/** True for a message this version understands (another version of the app may be open too). */
export function isTabMessage(data: unknown): data is TabMessage {
  return typeof data === 'object' && data !== null && TYPES.has((data as { type?: unknown }).type as TabMessage['type']);
}
