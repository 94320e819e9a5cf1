// Mutable state shared by the route handlers, plus the small async tools they need: abortable
// sleeps, the generation queue (Ollama's default parallelism of 1), the hold/release gate and
// the failure injections.
import type { ServerResponse } from 'node:http';
import type { FakeImageInfo } from './images.ts';
import { DEFAULT_PULLABLE, modelKey, toRecord } from './models.ts';
import type { FakeModel, ModelRecord } from './models.ts';

/** The body of POST /api/chat as the handlers read it (any field may be missing or null). */
export interface ChatBody {
  model?: unknown;
  messages?: { role?: string; content?: string; images?: (string | null)[] | null; thinking?: string }[] | null;
  stream?: boolean | null;
  think?: boolean | string | null;
  options?: Record<string, unknown> | null;
  keep_alive?: string | number | null;
  format?: unknown;
  [key: string]: unknown;
}

export interface FakeChatMessage {
  role: string;
  content: string;
  images?: string[];
  thinking?: string;
}

/** A chat request as the reply function sees it: the body, tidied, plus the raw body. */
export interface FakeChatRequest {
  model: string;
  /** Always an array; content always a string. */
  messages: FakeChatMessage[];
  stream?: boolean;
  think?: boolean | string;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
  format?: unknown;
  /** The parsed JSON body exactly as sent (the same value as RecordedRequest.body). */
  body: unknown;
}

/**
 * A reply: text split into chunks for you, exact chunks, or thinking and content separately.
 * `stallAfter` makes the model go silent after that many chunks until the client gives up: 0 sends
 * nothing at all, not even headers (Ollama sends them with the first chunk), like a model that
 * never starts; more sends the headers and some text, then nothing, like a stuck runner.
 */
export type ReplySpec =
  | string
  | string[]
  | {
      thinking?: string | string[];
      content?: string | string[];
      stallAfter?: number;
      /**
       * Each content chunk's token log-probability (one token per chunk), sent only when the request
       * asks for `logprobs` and the server is 0.12.11 or later; chunks past the list get DEFAULT_LOGPROB.
       */
      logprobs?: number[];
    };

export interface ReplyContext {
  /** Decoded images of a vision model (empty for a text-only model: Ollama drops them). */
  images: FakeImageInfo[];
  model: ModelRecord;
  /** True when the reply will be sent as message.thinking (thinking model, think not false). */
  thinking: boolean;
}

export type ReplyFn = (request: FakeChatRequest, context: ReplyContext) => ReplySpec | Promise<ReplySpec>;

export interface FailNextSpec {
  status: number;
  error: string;
  /** Route it applies to (default '/api/chat'; chat warm-ups with `messages: []` don't consume it). */
  path?: string;
  /** Wait this long before answering, e.g. to mimic a model load that ends in an error. */
  afterMs?: number;
}

export interface Tuning {
  chunkDelayMs: number;
  firstChunkDelayMs: number;
  loadDelayMs: number;
  pullDelayMs: number;
  splitDelayMs: number;
  splitLines: boolean;
  parallel: number;
  maxQueue: number;
  keepAliveMs: number;
  thinkCheck: 'any' | 'truthy';
  imageFormats: string[];
}

/** One request as the route handlers see it. */
export interface RequestContext {
  res: ServerResponse;
  /** The whole body as text (Ollama parses it as JSON whatever the Content-Type). */
  body: string;
  /** Aborted when the connection closes before the response is finished. */
  signal: AbortSignal;
  /** Destroy the socket mid-response (an injected drop; not a client cancel). */
  drop(): void;
  /** The chat got the model's generation slot: it is being answered, no longer queued. */
  served(): void;
  /** Count a client abort of a chat or pull (unless the fake itself closed the connection). */
  cancelled(kind?: 'chat' | 'pull'): void;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Wait for `register` to call its callback, or for the signal; returns false when aborted. */
function waitFor(signal: AbortSignal, register: (wake: () => void) => () => void): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      unregister();
      resolve(false);
    };
    const unregister = register(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class FakeState {
  tuning: Tuning;
  models = new Map<string, ModelRecord>();
  pullable = new Map<string, FakeModel>();
  /** Loaded model key → expiry (ms since epoch, Infinity for keep_alive < 0). */
  loaded = new Map<string, number>();
  reply: ReplyFn | undefined;
  /** Ollama 0.12.11+ knows `logprobs` and `top_logprobs`; an older one ignores both (Go drops unknown fields). */
  hasLogprobs = false;
  failNextQueue: FailNextSpec[] = [];
  midStreamQueue: { error: string; afterChunks: number }[] = [];
  dropQueue: number[] = [];
  cancelled = 0;
  pullsCancelled = 0;

  #running = 0;
  #slotWaiters: (() => void)[] = [];
  #held = false;
  #permits = 0;
  #gateWaiters: (() => void)[] = [];
  #listeners = new Set<() => void>();

  constructor(tuning: Tuning, models: readonly FakeModel[], pullable: readonly (string | FakeModel)[] = DEFAULT_PULLABLE) {
    this.tuning = tuning;
    this.setModels(models);
    for (const p of pullable) {
      const spec: FakeModel = typeof p === 'string' ? { name: p, capabilities: ['completion', 'vision'] } : p;
      this.pullable.set(modelKey(spec.name), spec);
    }
  }

  /** Replace the installed models; the first is the newest, as /api/tags lists them. */
  setModels(models: readonly FakeModel[]): void {
    const now = Date.now();
    this.models.clear();
    models.forEach((m, i) => {
      const r = toRecord(m, new Date(now - (i + 1) * 3_600_000));
      this.models.set(r.key, r);
    });
    for (const key of this.loaded.keys()) if (!this.models.has(key)) this.loaded.delete(key);
  }

  findModel(name: string): ModelRecord | undefined {
    return this.models.get(modelKey(name));
  }

  /** Models in /api/tags order: most recently modified first. */
  listModels(): ModelRecord[] {
    return [...this.models.values()].sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
  }

  isLoaded(key: string): boolean {
    const until = this.loaded.get(key);
    return until !== undefined && until > Date.now();
  }

  // ---- change notification (for whenIdle/whenHeld) ----
  changed(): void {
    for (const l of [...this.#listeners]) l();
  }

  waitUntil(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.#listeners.delete(check);
        resolve();
      };
      this.#listeners.add(check);
    });
  }

  // ---- generation queue: Ollama's runner semaphore (OLLAMA_NUM_PARALLEL, default 1) ----
  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#slotWaiters.length;
  }

  async acquireSlot(signal: AbortSignal): Promise<boolean> {
    if (this.#running < this.tuning.parallel) {
      this.#running++;
      this.changed();
      return true;
    }
    const got = await waitFor(signal, (wake) => {
      this.#slotWaiters.push(wake);
      this.changed();
      return () => {
        this.#slotWaiters = this.#slotWaiters.filter((w) => w !== wake);
        this.changed();
      };
    });
    return got;
  }

  releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    // The slot passes straight to the next waiter; otherwise it is freed.
    if (next) next();
    else this.#running--;
    this.changed();
  }

  // ---- hold/release gate before each chat chunk ----
  get heldStreams(): number {
    return this.#gateWaiters.length;
  }

  hold(): void {
    this.#held = true;
  }

  release(n: number): void {
    this.#permits += n;
    while (this.#permits > 0 && this.#gateWaiters.length > 0) {
      this.#permits--;
      this.#gateWaiters.shift()!();
    }
    this.changed();
  }

  releaseAll(): void {
    this.#held = false;
    this.#permits = 0;
    for (const wake of this.#gateWaiters.splice(0)) wake();
    this.changed();
  }

  async gate(signal: AbortSignal): Promise<boolean> {
    if (!this.#held) return !signal.aborted;
    if (this.#permits > 0) {
      this.#permits--;
      return !signal.aborted;
    }
    return waitFor(signal, (wake) => {
      this.#gateWaiters.push(wake);
      this.changed();
      return () => {
        this.#gateWaiters = this.#gateWaiters.filter((w) => w !== wake);
        this.changed();
      };
    });
  }

  takeFailNext(path: string): FailNextSpec | undefined {
    const i = this.failNextQueue.findIndex((f) => (f.path ?? '/api/chat') === path);
    return i < 0 ? undefined : this.failNextQueue.splice(i, 1)[0];
  }
}

/** Where to cut a line in two: inside the first multi-byte UTF-8 character if any, else midway. */
function cutPoint(buf: Buffer): number {
  const multi = buf.findIndex((b) => b >= 0xc0);
  return multi >= 0 ? multi + 1 : Math.max(1, buf.length >> 1);
}

/**
 * Write NDJSON text to the socket. With `split`, the bytes go out in two writes a few ms apart,
 * cut inside a UTF-8 character when there is one: a network read can end mid-line and
 * mid-character, and a client must buffer partial lines and decode with {stream: true}.
 */
export async function writeOut(
  res: ServerResponse,
  text: string,
  split: boolean,
  tuning: Tuning,
  signal: AbortSignal,
): Promise<void> {
  if (res.destroyed) return;
  const buf = Buffer.from(text, 'utf8');
  if (!split || !tuning.splitLines || buf.length < 2) {
    res.write(buf);
    return;
  }
  const cut = cutPoint(buf);
  res.write(buf.subarray(0, cut));
  await sleep(tuning.splitDelayMs, signal);
  if (!signal.aborted && !res.destroyed) res.write(buf.subarray(cut));
}

/** A JSON answer with a real status, as gin's c.JSON writes it. */
export function sendJson(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
