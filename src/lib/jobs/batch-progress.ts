// How far a batch has got, in one shape for the queue that works it and the tabs that show it.

/** One server's share of the batch. */
export interface SlotStats {
  running: number;
  done: number;
  /** Images finished per minute lately; undefined until two have finished. */
  perMinute: number | undefined;
}

/** Where the current batch stands: since the queue was last empty. */
export interface BatchProgress {
  done: number;
  failed: number;
  needsReview: number;
  /** Queued or running. */
  remaining: number;
  /** Images finished per minute lately; undefined until two have finished. */
  perMinute: number | undefined;
  /** Milliseconds until the rest is done at that pace; undefined when unknown. */
  etaMs: number | undefined;
}
