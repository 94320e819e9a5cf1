// How the queue should answer a failed job, whichever engine failed, and what to tell the user.
// Each engine's errors are recognised here, so the queue itself stays engine-neutral.
import { OpenAiHttpError, OpenAiStreamError, OpenAiTruncatedError, OpenAiUnreachableError } from '../engines/openai/errors.ts';
import { describeOpenAiFailure, isConnectionLost as isOpenAiConnectionLost } from '../engines/openai/doctor.ts';
import type { OpenAiFlavour } from '../engines/openai/flavours.ts';
import { describeFailure, isConnectionLost as isOllamaConnectionLost } from '../ollama/describe-error.ts';
import { OllamaHttpError, isAbortError } from '../ollama/errors.ts';
import { StallError } from './stall-watchdog.ts';

/**
 * Wait and try again (the engine is busy), try once more at once (the reply stalled), hand the job
 * to another engine or wait, stop, or give up.
 */
export type FailureResponse = 'retry-later' | 'retry-once' | 'wait-for-engine' | 'stopped' | 'fail';

/** What to do about an error thrown by runJob. */
export function classifyFailure(error: unknown): FailureResponse {
  if (error instanceof StallError) return 'retry-once';
  if (isAbortError(error)) return 'stopped';
  if (isOllamaConnectionLost(error) || isOpenAiConnectionLost(error)) return 'wait-for-engine';
  // A full queue (Ollama's 503 "server busy") or a server still loading: ask again a little later.
  if ((error instanceof OllamaHttpError || error instanceof OpenAiHttpError) && error.isBusy) return 'retry-later';
  return 'fail';
}

/** Which engine failed, so the sentence names it. */
export interface FailureContext {
  model: string;
  /** The OpenAI-compatible server's flavour, when the job ran on one. */
  flavour?: OpenAiFlavour;
}

const isOpenAiError = (error: unknown) =>
  error instanceof OpenAiHttpError || error instanceof OpenAiStreamError || error instanceof OpenAiTruncatedError || error instanceof OpenAiUnreachableError;

/** A sentence that says why a job failed and what to do. */
export function describeJobFailure(error: unknown, context: FailureContext): string {
  if (error instanceof StallError) {
    return `${error.message} (tried twice). The model may be stuck or still loading: try again, or allow more time under Connection & models → Advanced.`;
  }
  return isOpenAiError(error) ? describeOpenAiFailure(error, context) : describeFailure(error, context.model);
}
