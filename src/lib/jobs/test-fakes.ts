// Fakes for the job pipeline's tests (runner and queue): an engine that replies from a script,
// an encoder that does no image work, and a job.
import type { Engine, EngineModel, ReadCallOptions, ReadChunk, ReadOutcome, ReadRequest } from '../engines/types.ts';
import type { ImageEncoder } from '../image/encoder.ts';
import type { EncodedImage } from '../image/types.ts';
import type { JobRecord } from '../library/types.ts';

/** One scripted reply: text pieces then an outcome, or an error thrown before/after some pieces. */
export interface ScriptedReply {
  pieces?: string[];
  outcome?: Partial<ReadOutcome>;
  error?: unknown;
  /** Wait for this promise before the first piece (a slow model), aborting with the signal. */
  hold?: Promise<void>;
  /** Go silent after this many pieces (0: before the first), until aborted: a stalled model. */
  stallAfter?: number;
  /** While stalled, ignore the abort too (a stuck engine that never settles). */
  ignoresAbort?: boolean;
  /** Each piece's probability, sent as one token's log-probability with it (as Ollama does). */
  probabilities?: number[];
  /** Wait this long (setTimeout, so fake timers drive it) before each piece after the first. */
  pieceDelayMs?: number;
}

/** How the fake engine serves requests. */
export interface FakeEngineOptions {
  /**
   * Answer this many requests at once and queue the rest in arrival order, as Ollama does
   * (OLLAMA_NUM_PARALLEL); unlimited if absent.
   */
  parallel?: 1;
}

/** An Engine whose replies come from a list (the last one repeats); records each request. */
export class FakeEngine implements Engine {
  readonly id = 'fake';
  readonly kind = 'ollama' as const;
  readonly label = 'Fake engine';
  readonly requests: ReadRequest[] = [];
  readonly signals: AbortSignal[] = [];
  /** Pieces handed out so far, over all replies. */
  piecesSent = 0;
  /** The requests (indexes into `requests`) the engine took up, in order; a queued one closed before its turn is not here. */
  readonly served: number[] = [];
  replies: ScriptedReply[];
  readonly #parallel: number | undefined;
  /** Settles once every request taken so far has ended (with parallel 1). */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(replies: ScriptedReply[] = [{ pieces: ['Hello', ' world'] }], options: FakeEngineOptions = {}) {
    this.replies = replies;
    this.#parallel = options.parallel;
  }

  async listModels(): Promise<EngineModel[]> {
    return [];
  }

  async *read(request: ReadRequest, { signal }: ReadCallOptions = {}): AsyncGenerator<ReadChunk, ReadOutcome> {
    const index = this.requests.push(request) - 1;
    if (signal) this.signals.push(signal);
    const reply = (this.replies.length > 1 ? this.replies.shift() : this.replies[0]) ?? {};
    let end = () => {};
    const previous = this.#turn;
    // The next request waits for this one and every one before it, even if this one is closed early.
    this.#turn = Promise.all([previous, new Promise<void>((resolve) => (end = resolve))]);
    try {
      if (this.#parallel) await abortable(previous.then(() => {}), signal);
      this.served.push(index);
      return yield* this.#answer(reply, signal);
    } finally {
      end();
    }
  }

  async *#answer(reply: ScriptedReply, signal: AbortSignal | undefined): AsyncGenerator<ReadChunk, ReadOutcome> {
    if (reply.hold) await abortable(reply.hold, signal);
    if (reply.error && !reply.pieces) throw reply.error;
    for (const [index, text] of (reply.pieces ?? []).entries()) {
      if (index === reply.stallAfter) await abortable(new Promise(() => {}), reply.ignoresAbort ? undefined : signal);
      if (index > 0 && reply.pieceDelayMs) await abortable(new Promise<void>((resolve) => setTimeout(resolve, reply.pieceDelayMs)), signal);
      signal?.throwIfAborted();
      this.piecesSent++;
      const probability = reply.probabilities?.[index];
      yield probability === undefined ? { text } : { text, logprobs: [{ token: text, logprob: Math.log(probability) }] };
    }
    if (reply.error) throw reply.error;
    return { doneReason: 'stop', metrics: { eval_count: reply.pieces?.length ?? 0 }, ...reply.outcome };
  }
}

/** Resolve with `promise`, or reject with the abort when the signal fires first. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}

/** An encoder that returns a 1×1 PNG's worth of bytes and records the sizes asked for. */
export function fakeEncoder(): ImageEncoder & { sides: number[] } {
  const sides: number[] = [];
  return {
    sides,
    identify: () => Promise.reject(new Error('not used')),
    makeViews: () => Promise.reject(new Error('not used')),
    async encode(blob, maxSide, signal): Promise<EncodedImage> {
      signal?.throwIfAborted();
      sides.push(maxSide);
      return { blob, base64: new TextEncoder().encode('aW1n'), type: 'image/png', width: 1, height: 1 };
    },
  };
}

/** A job for image `sha256` with the extract task's options. */
export function makeJob(sha256 = 'aa', over: Partial<JobRecord> = {}): JobRecord {
  return {
    key: `${sha256}:gemma3:4b:1`,
    sha256,
    model: 'gemma3:4b',
    taskId: 'extract-markdown',
    prompt: 'Extract all text',
    options: { temperature: 0, num_predict: 4096, maxSide: 1536 },
    queuedAt: 1,
    ...over,
  };
}
