// Shared pieces of the fake: its options as the handlers see them, the hold/release gate and the
// one-shot failures a test queues.
import type { ServerResponse } from 'node:http';
import type { FakeImageInfo } from '../fake-ollama/images.ts';

/** A model the fake serves; `vision` undefined means the server cannot say (LiteLLM without supports_vision). */
export interface FakeOpenAiModel {
  id: string;
  vision?: boolean;
  /** An embedding model (LM Studio lists it as type "embeddings"). */
  isEmbedding?: boolean;
}

/** What a chat request asked, tidied for reply functions and assertions. */
export interface FakeChatRequest {
  /** The model that answers (llama-server and a one-model LM Studio ignore the requested one). */
  model: string;
  /** The text parts of every message, joined. */
  prompt: string;
  images: FakeImageInfo[];
  /** The parsed JSON body exactly as sent. */
  body: Record<string, unknown>;
}

/**
 * A reply: text (split into word pieces), exact pieces, or reasoning and content apart; `logprobs`
 * gives each content piece's token log-probability (sent only when asked, by flavours that have them).
 */
export type ReplySpec = string | string[] | { content?: string | string[]; reasoning?: string | string[]; logprobs?: number[] };
export type ReplyFn = (request: FakeChatRequest) => ReplySpec | Promise<ReplySpec>;

export interface Tuning {
  /** Before the first token: prompt processing (headers wait for it on late-header servers). */
  firstTokenDelayMs: number;
  chunkDelayMs: number;
  /** Cut every write in two, inside a UTF-8 character when there is one, this far apart. */
  splitDelayMs: number;
  isSplit: boolean;
  /** Send the role chunk with the first token, and the last token with finish, usage and [DONE], in one write. */
  isPacked: boolean;
  /** End lines with CRLF instead of LF. */
  isCrlf: boolean;
  /** Send `: ping` comment lines (llama-server --sse-ping-interval) before and between tokens. */
  hasPings: boolean;
}

/** A one-shot failure of the next chat request, before any token. */
export interface FailNextSpec {
  /** `empty-stream`: a 200 event stream with nothing in it (LM Studio on context overflow, #2339). */
  kind?: 'server' | 'bad-request' | 'model-not-found' | 'no-vision' | 'empty-stream';
  /** Overrides the flavour's status and body. */
  status?: number;
  body?: unknown;
  message?: string;
}

/** One request as the route handlers see it. */
export interface RequestContext {
  res: ServerResponse;
  method: string;
  path: string;
  body: string;
  /** Aborted when the client closes the connection before the answer ended. */
  signal: AbortSignal;
  /** Destroy the socket mid-response (an injected drop, not a client cancel). */
  drop(): void;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A JSON answer with a real status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Holds each token until released, so a test can look at a stream mid-flight. */
export class Gate {
  #isHeld = false;
  #permits = 0;
  #waiters: (() => void)[] = [];
  #listeners = new Set<() => void>();

  get waiting(): number {
    return this.#waiters.length;
  }

  hold(): void {
    this.#isHeld = true;
  }

  release(n: number): void {
    this.#permits += n;
    while (this.#permits > 0 && this.#waiters.length > 0) {
      this.#permits--;
      this.#waiters.shift()!();
    }
  }

  releaseAll(): void {
    this.#isHeld = false;
    this.#permits = 0;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves true to go on, false when the client went away while waiting. */
  pass(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (!this.#isHeld) return Promise.resolve(true);
    if (this.#permits > 0) {
      this.#permits--;
      return Promise.resolve(!signal.aborted);
    }
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        this.#notify();
        resolve(true);
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        this.#notify();
        resolve(false);
      };
      this.#waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#notify();
    });
  }

  /** Resolves once at least n streams wait for a release. */
  whenWaiting(n: number): Promise<void> {
    if (this.waiting >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.waiting < n) return;
        this.#listeners.delete(check);
        resolve();
      };
      this.#listeners.add(check);
    });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
