// Notices a reply that never starts or stops mid-way. A cold model load can take minutes before
// the first token (Ollama sends nothing, not even headers, until then), so the first wait is long;
// once text flows, a long silence between pieces means the server or the model is stuck.

/** How long to wait for a reply to start, and for each next piece once it has. */
export interface StallLimits {
  /** Milliseconds from the request to the first piece of the reply. */
  firstTextMs: number;
  /** Milliseconds between one piece and the next. */
  idleMs: number;
}

/** Generous by default: a model loading from disk, or a big image's prompt, takes a while. */
export const DEFAULT_STALL_LIMITS: StallLimits = { firstTextMs: 5 * 60_000, idleMs: 60_000 };

/** The timer functions the watchdog uses; tests may pass their own. */
export interface WatchdogTimers {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (id: never) => void;
}

/** A limit of StallLimits passed: the request was aborted. */
export class StallError extends Error {
  override readonly name = 'StallError';
  /** Which wait ran out: before the first piece, or between two pieces. */
  readonly kind: 'first-text' | 'idle';
  readonly limitMs: number;

  constructor(kind: 'first-text' | 'idle', limitMs: number) {
    super(kind === 'first-text' ? `No reply within ${describeDuration(limitMs)}` : `The model stopped sending text for ${describeDuration(limitMs)}`);
    this.kind = kind;
    this.limitMs = limitMs;
  }
}

/** "5 minutes", "90 s", "1 minute": how people say a limit. */
export function describeDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds >= 60 && seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}

/**
 * Calls `onStall` once when no sign of life came within the current limit. `start` arms the
 * first-text wait; each `touch` (a piece of reply, or progress) re-arms the idle wait.
 */
export class StallWatchdog {
  readonly #limits: StallLimits;
  readonly #onStall: (error: StallError) => void;
  readonly #timers: WatchdogTimers;
  #timer: unknown;
  #hasText = false;
  #error: StallError | undefined;

  constructor(limits: StallLimits, onStall: (error: StallError) => void, timers: WatchdogTimers = globalThis) {
    this.#limits = limits;
    this.#onStall = onStall;
    this.#timers = timers;
  }

  /** The stall that fired, if one did. */
  get error(): StallError | undefined {
    return this.#error;
  }

  /** Begin waiting for the first piece. */
  start(): void {
    this.#arm('first-text', this.#limits.firstTextMs);
  }

  /** Progress before the first piece: the engine is working, so the first-text wait starts over. */
  touchProgress(): void {
    if (this.#timer === undefined || this.#hasText) return;
    this.start();
  }

  /** A piece of reply arrived: wait for the next one. */
  touch(): void {
    if (this.#error) return;
    this.#hasText = true;
    this.#arm('idle', this.#limits.idleMs);
  }

  /** The reply ended (or failed): no more waiting. */
  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer as never);
    this.#timer = undefined;
  }

  #arm(kind: StallError['kind'], ms: number): void {
    this.stop();
    // A limit of 0 or less (or not a number) means no limit.
    if (!(ms > 0)) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#error = new StallError(kind, ms);
      this.#onStall(this.#error);
    }, ms);
  }
}
