// Which tab works the queue: the one holding a Web Lock. The others wait in line for it, and the
// browser hands it to the next one when the holder's tab closes (or crashes), so a takeover needs
// no timers and never leaves two leaders.

/** The part of `navigator.locks` the election uses; tests pass a fake. */
export interface LockRequester {
  request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown>;
}

/**
 * Try to become the leader now; resolves true if this tab is, false if another tab holds the lock.
 * A follower keeps waiting in line, and `onPromoted` runs when the lock comes to it. The lock is
 * held until `signal` aborts (or the tab goes away).
 */
export function electLeader(name: string, onPromoted: () => void, signal: AbortSignal, locks: LockRequester): Promise<boolean> {
  const holdUntilAborted = () =>
    new Promise<void>((release) => {
      if (signal.aborted) release();
      else signal.addEventListener('abort', () => release(), { once: true });
    });
  return new Promise<boolean>((resolve, reject) => {
    // `ifAvailable` answers at once; it cannot be combined with a signal (the spec forbids it).
    locks
      .request(name, { mode: 'exclusive', ifAvailable: true }, (lock) => {
        if (lock) {
          resolve(true);
          return holdUntilAborted();
        }
        resolve(false);
        locks
          .request(name, { mode: 'exclusive', signal }, () => {
            onPromoted();
            return holdUntilAborted();
          })
          .catch(() => {}); // Aborted while waiting in line: this tab is going away.
        return undefined;
      })
      .catch(reject);
  });
}
