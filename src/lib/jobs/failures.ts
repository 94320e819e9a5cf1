// How the queue should answer a failed job, whichever engine failed. Each engine's errors are
// recognised here, so the queue itself stays engine-neutral.
import { isConnectionLost } from '../ollama/describe-error.ts';
import { OllamaHttpError, isAbortError } from '../ollama/errors.ts';

/** Wait and try again (the engine is busy), wait for the engine to come back, stop, or give up. */
export type FailureResponse = 'retry-later' | 'wait-for-engine' | 'stopped' | 'fail';

/** What to do about an error thrown by runJob. */
export function classifyFailure(error: unknown): FailureResponse {
  if (isAbortError(error)) return 'stopped';
  if (isConnectionLost(error)) return 'wait-for-engine';
  // Ollama's queue is full (503 "server busy"): asking again a little later is the documented answer.
  if (error instanceof OllamaHttpError && error.isBusy) return 'retry-later';
  return 'fail';
}
