// One engine read, guarded: a reply that never starts or stops mid-way is aborted as a StallError,
// and one caught in a repetition loop is stopped where the loop began.
import { placeTokens, type PlacedToken } from '../confidence/logprobs.ts';
import type { Engine, EngineProgress, ReadOutcome, ReadRequest } from '../engines/types.ts';
import { LoopWatcher, type RepetitionLoop } from './loop-detector.ts';
import type { ServerLine } from './server-line.ts';
import { DEFAULT_STALL_LIMITS, StallWatchdog, type StallError, type StallLimits } from './stall-watchdog.ts';

/** How the caller follows and stops a read. */
export interface ReadReplyOptions {
  signal: AbortSignal;
  /** DEFAULT_STALL_LIMITS if absent. */
  limits?: StallLimits;
  /** False for an engine that copies the page (the built-in OCR), where repeated lines are real. */
  shouldCheckLoops: boolean;
  /**
   * The server's line, for a server that queues requests: the request joins it as it is sent and
   * its first-text clock runs only while the server works on it, not while it waits behind another.
   */
  line?: ServerLine;
  /** Before the first piece: whether the request waits behind others at the server (told at each change). */
  onInLine?: (isWaiting: boolean) => void;
  /** The first piece of text arrived. */
  onStart?: () => void;
  /** The whole reply so far, after each streamed piece (cut back to the loop's start when one is found). */
  onText?: (text: string) => void;
  onProgress?: (progress: EngineProgress) => void;
}

/**
 * The text, its tokens' log-probabilities placed in it (where the engine sent them), and how the
 * reply ended: the engine's outcome, or the loop it was stopped in.
 */
export type Reply = { text: string; tokens: PlacedToken[] } & ({ outcome: ReadOutcome; loop?: undefined } | { outcome?: undefined; loop: RepetitionLoop });

/** Read a reply to its end; throws the engine's errors, a StallError or the abort. */
export async function readReply(engine: Engine, request: ReadRequest, options: ReadReplyOptions): Promise<Reply> {
  const { signal, onStart, onText, onProgress, onInLine } = options;
  // The request gets its own controller, so a stall or a loop can stop it without stopping the job.
  const attempt = new AbortController();
  const stopAttempt = () => attempt.abort(signal.reason);
  signal.addEventListener('abort', stopAttempt, { once: true });
  let rejectStalled: (error: StallError) => void = () => {};
  // Raced against each read, so a stall ends the read even if an engine ignores the abort.
  const stalled = new Promise<never>((_, reject) => (rejectStalled = reject));
  stalled.catch(() => {});
  const watchdog = new StallWatchdog(options.limits ?? DEFAULT_STALL_LIMITS, (error) => {
    attempt.abort(error);
    rejectStalled(error);
  });
  const loops = options.shouldCheckLoops ? new LoopWatcher() : undefined;
  const stream = engine.read(request, {
    signal: attempt.signal,
    onProgress: (progress) => {
      watchdog.touchProgress();
      onProgress?.(progress);
    },
  });
  let text = '';
  const tokens: PlacedToken[] = [];
  let isDone = false;
  let hasPiece = false;
  // The request is sent at the stream's first step; it joins its server's line just before.
  const place = options.line?.join();
  const stopFollowingLine = place?.onChange(() => {
    if (hasPiece) return;
    // The clock for the first piece starts afresh when the server takes the request up.
    const isServed = place?.isServed ?? true;
    if (isServed) watchdog.start();
    else watchdog.stop();
    onInLine?.(!isServed);
  });
  try {
    if (!place || place.isServed) watchdog.start();
    if (place) onInLine?.(!place.isServed);
    for (;;) {
      const step = await Promise.race([stream.next(), stalled]);
      signal.throwIfAborted();
      if (step.done) {
        isDone = true;
        return { text, tokens, outcome: step.value };
      }
      if (!hasPiece) {
        hasPiece = true;
        place?.markAnswering();
      }
      watchdog.touch();
      if (!step.value.text) continue;
      if (text === '') onStart?.();
      if (step.value.logprobs) tokens.push(...placeTokens(step.value.text, text.length, step.value.logprobs));
      text += step.value.text;
      const loop = loops?.check(text);
      if (!loop) {
        onText?.(text);
        continue;
      }
      // Stop generating now (closing the request cancels it on the server); keep the text before the loop.
      attempt.abort(new DOMException('The model repeated itself.', 'AbortError'));
      onText?.(loop.kept);
      return { text: loop.kept, tokens, loop };
    }
  } finally {
    watchdog.stop();
    stopFollowingLine?.();
    place?.leave();
    signal.removeEventListener('abort', stopAttempt);
    // Stopped early (abort, loop, or an error of ours): let the engine close its request. After
    // a stall the engine may never answer, so nobody waits for it.
    if (!isDone) {
      const closing = stream.return(undefined as never).catch(() => {});
      if (!watchdog.error) await closing;
    }
  }
}
