// Images stored but never decoded (dropped with no model chosen, or waiting far down the queue)
// still need a thumbnail. This pass decodes them one at a time when nothing more urgent needs the
// image worker: queued and running jobs go first, since their decode makes the views anyway.

/** What the backlog needs from the app; tests pass fakes. */
export interface ViewBacklogDeps {
  /** Decode one image and keep its views; resolves when done (or when there was nothing to do). */
  makeViews: (sha256: string, signal: AbortSignal) => Promise<void>;
  /** True while jobs are being prepared or wait for a free slot: the backlog waits then. */
  isBusy: () => boolean;
  /** How long to wait before looking again while busy. */
  retryMs?: number;
  /** Waits; tests pass a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Newest first (the top of the list), one at a time, after queued work. */
export class ViewBacklog {
  /** A stack: the image added last is decoded first. O(1) to add and to take. */
  #waiting: string[] = [];
  readonly #isWaiting = new Set<string>();
  #isRunning = false;
  readonly #controller = new AbortController();
  readonly #deps: ViewBacklogDeps;

  constructor(deps: ViewBacklogDeps) {
    this.#deps = deps;
  }

  /** Images still waiting for their views. */
  get size() { return this.#isWaiting.size; }

  /** Decode these images' views when the worker is free. */
  add(sha256s: Iterable<string>): void {
    for (const sha256 of sha256s) {
      if (this.#isWaiting.has(sha256)) continue;
      this.#isWaiting.add(sha256);
      this.#waiting.push(sha256);
    }
    if (this.#isWaiting.size > 0 && !this.#isRunning) void this.#drain();
  }

  /** Stop for good (the app is closing). */
  stop(): void {
    this.#controller.abort();
  }

  async #drain(): Promise<void> {
    this.#isRunning = true;
    const { signal } = this.#controller;
    const { makeViews, isBusy, retryMs = 1000, sleep = sleepFor } = this.#deps;
    try {
      while (!signal.aborted) {
        const sha256 = this.#waiting.pop();
        if (sha256 === undefined) return;
        if (isBusy()) {
          this.#waiting.push(sha256);
          await sleep(retryMs);
          continue;
        }
        this.#isWaiting.delete(sha256);
        // A file that cannot be decoded keeps its placeholder: its job, if any, says why.
        await makeViews(sha256, signal).catch(() => {});
      }
    } finally {
      this.#isRunning = false;
    }
  }
}
