// Fakes for the tabs' tests: a Web Locks manager and a BroadcastChannel bus, both in memory.
import type { ChannelPort } from './channel.ts';
import type { LockRequester } from './election.ts';

interface Waiter {
  grant: () => void;
  signal?: AbortSignal;
}

/** Exclusive locks as the browser grants them: one holder per name, the rest wait in order. */
export class FakeLocks implements LockRequester {
  readonly #held = new Set<string>();
  readonly #waiting = new Map<string, Waiter[]>();

  request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    if (options.ifAvailable && this.#held.has(name)) return Promise.resolve(callback(null));
    return new Promise((resolve, reject) => {
      const grant = () => {
        this.#held.add(name);
        Promise.resolve(callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => this.#release(name));
      };
      if (!this.#held.has(name)) return grant();
      const waiter: Waiter = { grant, signal: options.signal };
      this.#queue(name).push(waiter);
      options.signal?.addEventListener('abort', () => {
        this.#waiting.set(name, this.#queue(name).filter((w) => w !== waiter));
        reject(options.signal?.reason);
      }, { once: true });
    });
  }

  /** True while some holder has the lock. */
  isHeld(name: string): boolean {
    return this.#held.has(name);
  }

  #queue(name: string): Waiter[] {
    let queue = this.#waiting.get(name);
    if (!queue) this.#waiting.set(name, (queue = []));
    return queue;
  }

  #release(name: string): void {
    this.#held.delete(name);
    const next = this.#queue(name).shift();
    next?.grant();
  }
}

/** A BroadcastChannel between fake tabs: each message, cloned, reaches every other open port. */
export class FakeChannelBus {
  readonly #ports = new Set<FakePort>();

  /** A new tab's end of the channel. */
  open(): FakePort {
    const port = new FakePort(this.#ports);
    this.#ports.add(port);
    return port;
  }
}

/** One tab's end of a FakeChannelBus. */
export class FakePort implements ChannelPort {
  readonly #ports: Set<FakePort>;
  readonly #listeners: ((event: MessageEvent) => void)[] = [];
  readonly sent: unknown[] = [];

  constructor(ports: Set<FakePort>) {
    this.#ports = ports;
  }

  postMessage(message: unknown): void {
    if (!this.#ports.has(this)) throw new DOMException('BroadcastChannel is closed', 'InvalidStateError');
    this.sent.push(message);
    for (const port of this.#ports) {
      if (port === this) continue;
      const data = structuredClone(message);
      // Like the browser: delivered later, as a task.
      setTimeout(() => port.#deliver(data), 0);
    }
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.#ports.delete(this);
  }

  #deliver(data: unknown): void {
    if (!this.#ports.has(this)) return;
    for (const listener of this.#listeners) listener({ data } as MessageEvent);
  }
}
