// One job from stored image to result record: read the image, encode it, ask the engine, keep the
// text. Scheduling, retries and saving belong to the caller (state/queue.svelte.ts).
import type { Engine, EngineProgress, ReadOptions, ReadOutcome, ReadRequest } from '../engines/types.ts';
import type { ImageEncoder } from '../image/encoder.ts';
import type { JobOptions, JobSpec, ResultRecord } from '../library/types.ts';
import { LoopWatcher } from './loop-detector.ts';
import { DEFAULT_STALL_LIMITS, StallWatchdog, type StallError, type StallLimits } from './stall-watchdog.ts';

/** Why a result stopped by the loop detector needs a person to check it. */
export const LOOP_REVIEW_REASON = 'The model repeated itself; the text stops where the loop began.';

/** What a job needs from the outside; tests pass fakes. */
export interface JobDeps {
  /** The stored original image, or undefined when it is no longer in the library. */
  readImage: (sha256: string) => Promise<Blob | undefined>;
  encoder: Pick<ImageEncoder, 'encode'>;
  engine: Engine;
  /** Epoch milliseconds for the result's createdAt. */
  now?: () => number;
}

/** Where a running job stands: preparing the image, waiting for the first words, writing. */
export type RunPhase = 'encoding' | 'waiting' | 'streaming';

/** How the caller follows and stops a job. */
export interface RunJobOptions {
  signal: AbortSignal;
  onPhase?: (phase: RunPhase) => void;
  /** The whole reply so far, after each streamed piece. */
  onText?: (text: string) => void;
  /** The engine's preparation progress (model load, OCR start-up). */
  onProgress?: (progress: EngineProgress) => void;
  /** How long a reply may take to start and pause between pieces; DEFAULT_STALL_LIMITS if absent. */
  limits?: StallLimits;
}

/** A job as the runner takes it: what to ask, and the key its result is saved under. */
export type RunnableJob = JobSpec & { key: string };

/** The model finished without writing any text. */
export class EmptyReplyError extends Error {
  override readonly name = 'EmptyReplyError';
}

/** The image is gone from the library (deleted while its job waited). */
export class MissingImageError extends Error {
  override readonly name = 'MissingImageError';
  constructor() {
    super('The image is no longer in the library.');
  }
}

/** The engine-neutral sampling options of a job (maxSide is the encoder's, not the model's). */
export function toReadOptions(options: JobOptions): ReadOptions {
  const read: ReadOptions = {};
  if (options.temperature !== undefined) read.temperature = options.temperature;
  if (options.num_predict !== undefined) read.maxTokens = options.num_predict;
  if (options.seed !== undefined) read.seed = options.seed;
  return read;
}

/**
 * Run one job to its result record; throws the engine's own errors, EmptyReplyError, StallError
 * or an abort. A reply caught in a repetition loop is stopped and kept up to the loop, marked needsReview.
 */
export async function runJob(job: RunnableJob, deps: JobDeps, options: RunJobOptions): Promise<ResultRecord> {
  const { signal, onPhase, onText, onProgress } = options;
  onPhase?.('encoding');
  const original = await deps.readImage(job.sha256);
  signal.throwIfAborted();
  if (!original) throw new MissingImageError();
  const image = await deps.encoder.encode(original, job.options.maxSide, signal);
  signal.throwIfAborted();

  onPhase?.('waiting');
  const request: ReadRequest = { model: job.model, prompt: job.prompt, images: [image], options: toReadOptions(job.options) };
  // The request gets its own controller, so a stall or a loop can stop it without stopping the job.
  const attempt = new AbortController();
  const stopAttempt = () => attempt.abort(signal.reason);
  signal.addEventListener('abort', stopAttempt, { once: true });
  let rejectStalled: (error: StallError) => void = () => {};
  // Races each read, so a stall ends the job even if an engine ignores the abort.
  const stalled = new Promise<never>((_, reject) => (rejectStalled = reject));
  stalled.catch(() => {});
  const watchdog = new StallWatchdog(options.limits ?? DEFAULT_STALL_LIMITS, (error) => {
    attempt.abort(error);
    rejectStalled(error);
  });
  // The built-in OCR copies what is on the page, where repeated lines are real.
  const loops = deps.engine.kind === 'builtin-ocr' ? undefined : new LoopWatcher();
  const stream = deps.engine.read(request, {
    signal: attempt.signal,
    onProgress: (progress) => {
      watchdog.touchProgress();
      onProgress?.(progress);
    },
  });
  let text = '';
  let outcome: ReadOutcome | undefined;
  try {
    watchdog.start();
    for (;;) {
      const step = await Promise.race([stream.next(), stalled]);
      signal.throwIfAborted();
      if (step.done) {
        outcome = step.value;
        break;
      }
      watchdog.touch();
      if (!step.value.text) continue;
      if (text === '') onPhase?.('streaming');
      text += step.value.text;
      const loop = loops?.check(text);
      if (loop) {
        // Stop generating now (closing the request cancels it on the server) and keep the text before the loop.
        attempt.abort(new DOMException('The model repeated itself.', 'AbortError'));
        text = loop.kept;
      }
      onText?.(text);
      if (loop) break;
    }
  } finally {
    watchdog.stop();
    signal.removeEventListener('abort', stopAttempt);
    // Stopped early (abort, loop, or an error of ours): let the engine close its request. After
    // a stall the engine may never answer, so nobody waits for it.
    if (!outcome) {
      const closing = stream.return(undefined as never).catch(() => {});
      if (!watchdog.error) await closing;
    }
  }
  // No outcome without an error: the loop detector stopped the reply.
  if (!outcome) return { ...baseResult(job, deps, text), needsReview: true, reviewReason: LOOP_REVIEW_REASON };
  const { doneReason, metrics, confidence } = outcome;
  const isTruncated = doneReason === 'length';
  if (!text.trim()) {
    throw new EmptyReplyError(
      isTruncated
        ? 'The model reached its token limit before writing any text. Try another model or task.'
        : 'The model answered with no text. Try another model or task.',
    );
  }
  const result: ResultRecord = { ...baseResult(job, deps, text), metrics: { ...metrics, done_reason: doneReason } };
  if (confidence) result.confidence = confidence;
  // A cut-off reply is still worth keeping, marked so nobody takes it for the whole text.
  if (isTruncated) result.isTruncated = true;
  return result;
}

/** A model's result for the job with this text; the caller adds how the reply ended. */
function baseResult(job: RunnableJob, deps: JobDeps, text: string): ResultRecord {
  return {
    key: job.key,
    sha256: job.sha256,
    model: job.model,
    taskId: job.taskId,
    prompt: job.prompt,
    context: job.context,
    options: job.options,
    text,
    author: 'model',
    engine: deps.engine.label,
    createdAt: (deps.now ?? Date.now)(),
  };
}
