// Feeds items to an async consumer one call at a time: items pushed while a call runs wait and go
// together in the next one. A step whose cost grows with what is already there (queueing a drop's
// jobs updates a list of every job) then runs a few times per drop, not once per batch.

/** A consumer fed in order, at most one call at a time. */
export interface CoalescedCalls<T> {
  /** Hand items over: at once when no call runs, else with the next call. */
  push(items: readonly T[]): void;
  /** Resolves once every item pushed so far has been handled. */
  settled(): Promise<void>;
}

/** Coalesce pushes into calls of `consume`, which must not reject (it handles its own failures). */
export function coalesceCalls<T>(consume: (items: T[]) => Promise<void>): CoalescedCalls<T> {
  let waiting: T[] = [];
  let running: Promise<void> | undefined;
  const drain = async () => {
    while (waiting.length > 0) {
      const items = waiting;
      waiting = [];
      await consume(items);
    }
    running = undefined;
  };
  return {
    push(items) {
      if (items.length === 0) return;
      waiting.push(...items);
      running ??= drain();
    },
    settled: () => running ?? Promise.resolve(),
  };
}
