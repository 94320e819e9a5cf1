// Turns a failure into a sentence that says what happened and what to do.
import { OllamaHttpError, OllamaStreamError, OllamaTruncatedError, OllamaUnreachableError } from './errors.ts';

/** True when Ollama vanished (stopped, restarted, connection dropped): worth waiting and retrying. */
export function isConnectionLost(error: unknown): boolean {
  return error instanceof OllamaUnreachableError || error instanceof OllamaTruncatedError;
}

/** A user-facing explanation of why a run failed. */
export function describeFailure(error: unknown, model: string): string {
  if (error instanceof OllamaHttpError) {
    // A proxy's error page is not Ollama speaking: its summary already says what happened.
    if (error.isWebPage) return error.message;
    if (error.status === 404) return `Ollama does not have the model "${model}" (${error.message}). Pull it with: ollama pull ${model}`;
    if (/unknown format|failed to process inputs/i.test(error.message)) {
      return `The model could not read this image (Ollama said: ${error.message}).`;
    }
    if (/only supports one image/i.test(error.message)) return `This model takes one image at a time (Ollama said: ${error.message}).`;
    return `Ollama answered with an error (${error.status}): ${error.message}`;
  }
  if (error instanceof OllamaStreamError) return `The model stopped with an error: ${error.message}`;
  if (error instanceof OllamaUnreachableError || error instanceof OllamaTruncatedError) {
    return 'Lost the connection to Ollama several times. Check that it is running, then retry.';
  }
  return error instanceof Error ? error.message : String(error);
}

/** A user-facing explanation of why pulling `name` failed, with Ollama's own words. */
export function describePullFailure(error: unknown, name: string): string {
  // An unknown name arrives as an {"error"} line on a 200 stream; a malformed one as a 400.
  if (error instanceof OllamaHttpError && error.isWebPage) return `Could not pull "${name}": ${error.message}`;
  if (error instanceof OllamaStreamError || error instanceof OllamaHttpError) return `Ollama could not pull "${name}": ${error.message}`;
  if (error instanceof OllamaUnreachableError || error instanceof OllamaTruncatedError) {
    return `Lost the connection to Ollama while pulling "${name}". Pull it again when Ollama is back.`;
  }
  return error instanceof Error ? error.message : String(error);
}
