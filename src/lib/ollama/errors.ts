// Typed failures of talking to Ollama, so the UI can say what happened and what to do.

/** Nothing answered: Ollama is not running, or the page's origin was refused by CORS. */
export class OllamaUnreachableError extends Error {
  override readonly name = 'OllamaUnreachableError';
  constructor(readonly baseUrl: string, options?: ErrorOptions) {
    super(`Could not reach Ollama at ${baseUrl}`, options);
  }
}

/** Ollama answered with an HTTP error status; `message` is Ollama's own error text. */
export class OllamaHttpError extends Error {
  override readonly name = 'OllamaHttpError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
  /** Ollama's queue is full: retrying later is the right response. */
  get isBusy(): boolean {
    return this.status === 503;
  }
}

/** The stream started fine but Ollama reported an error on a later line (no done:true follows). */
export class OllamaStreamError extends Error {
  override readonly name = 'OllamaStreamError';
}

/** The stream ended without Ollama's final done:true line. */
export class OllamaTruncatedError extends Error {
  override readonly name = 'OllamaTruncatedError';
  constructor() {
    super('Ollama closed the response before it finished');
  }
}

/** True for the DOMException fetch and our own code throw when an AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Turn a non-OK response into an OllamaHttpError carrying Ollama's `{"error": "…"}` text. */
export async function toHttpError(response: Response): Promise<OllamaHttpError> {
  const body = await response.text().catch(() => '');
  let message = body.trim() || response.statusText || `HTTP ${response.status}`;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') {
      message = (parsed as { error: string }).error;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the raw text.
  }
  return new OllamaHttpError(response.status, message);
}
