// Typed failures of talking to an OpenAI-compatible server, with the server's own words pulled out
// of whichever error shape it uses (docs/openai-compatible.md §4, §6).

/** What went wrong, in terms the doctor can explain. */
export type OpenAiProblem =
  | 'key-missing'
  | 'key-refused'
  | 'model-not-found'
  | 'no-vision'
  | 'context-overflow'
  | 'not-found'
  | 'busy'
  | 'server'
  | 'bad-request'
  | 'redirected';

/** Nothing answered readably: the server is down, or CORS hid its answer (the page cannot tell which). */
export class OpenAiUnreachableError extends Error {
  override readonly name = 'OpenAiUnreachableError';
  constructor(readonly baseUrl: string, options?: ErrorOptions) {
    super(`Could not reach the server at ${baseUrl}`, options);
  }
}

/** The server answered with an HTTP error status; `message` is its own error text. */
export class OpenAiHttpError extends Error {
  override readonly name = 'OpenAiHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly problem: OpenAiProblem,
    /** The error's `code` as sent: a number (vLLM, llama-server), a string (LiteLLM, LM Studio) or absent. */
    readonly code?: string | number,
  ) {
    super(message);
  }
  /** Busy or loading: retrying later is the right response. */
  get isBusy(): boolean {
    return this.problem === 'busy';
  }
}

/** The stream started (200) but the server sent an error object in it. */
export class OpenAiStreamError extends Error {
  override readonly name = 'OpenAiStreamError';
  constructor(message: string, readonly code?: string | number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The stream ended without `data: [DONE]`, or the connection dropped mid-reply. */
export class OpenAiTruncatedError extends Error {
  override readonly name = 'OpenAiTruncatedError';
  constructor(options?: ErrorOptions) {
    super('The server closed the reply before it finished', options);
  }
}

/** True for the DOMException fetch and our own code throw when an AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** An error's message and code from any server's shape. */
export interface ErrorDetails {
  message: string;
  code?: string | number;
  type?: string;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const asCode = (v: unknown): string | number | undefined => (typeof v === 'number' || (typeof v === 'string' && v !== 'None') ? v : undefined);

/**
 * Read `{"error":"…"}` (vLLM 401, LM Studio), `{"error":{"message","code","type"}}` (most),
 * `{"object":"error","message"}` (vLLM before 0.10.1), `{"detail":…}` (FastAPI) or `{"message"}`.
 */
export function readErrorDetails(value: unknown): ErrorDetails | undefined {
  const body = asRecord(value);
  if (!body) return typeof value === 'string' && value.trim() ? { message: value.trim() } : undefined;
  if (typeof body.error === 'string') return { message: body.error };
  const inner = asRecord(body.error);
  if (inner) {
    const message = typeof inner.message === 'string' ? inner.message : JSON.stringify(inner);
    return { message, code: asCode(inner.code), type: typeof inner.type === 'string' ? inner.type : undefined };
  }
  if (typeof body.message === 'string') return { message: body.message, code: asCode(body.code), type: typeof body.type === 'string' ? body.type : undefined };
  if (typeof body.detail === 'string') return { message: body.detail };
  if (Array.isArray(body.detail)) {
    const first = asRecord(body.detail[0]);
    if (first && typeof first.msg === 'string') return { message: first.msg };
  }
  return undefined;
}

// Each server's words for these cases (docs/openai-compatible.md §3, §4).
const MODEL_MISSING = /model .*(not found|does not exist)|invalid model (name|identifier)|model_not_found|no models loaded/i;
const NO_VISION = /not a multimodal model|image input is not supported|does not support images/i;
const OVERFLOW = /context (size|length)|maximum context|n_keep|tokens when context|exceed_context_size/i;

/** Name the problem behind a status and message; `hadKey` tells a missing key from a refused one. */
export function classifyProblem(status: number, details: ErrorDetails, hadKey: boolean): OpenAiProblem {
  const text = `${details.message} ${details.type ?? ''} ${details.code ?? ''}`;
  if (status === 401) return hadKey ? 'key-refused' : 'key-missing';
  if (status === 403) return hadKey ? 'key-refused' : 'key-missing';
  if (NO_VISION.test(text)) return 'no-vision';
  if (MODEL_MISSING.test(text)) return 'model-not-found';
  if (OVERFLOW.test(text)) return 'context-overflow';
  if (status === 404) return 'not-found';
  if (status === 429 || status === 503) return 'busy';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/** Turn a non-OK response into an OpenAiHttpError with the server's own message. */
export async function toHttpError(response: Response, hadKey: boolean): Promise<OpenAiHttpError> {
  const text = await response.text().catch(() => '');
  let details: ErrorDetails | undefined;
  try {
    details = readErrorDetails(JSON.parse(text));
  } catch {
    // Not JSON (a proxy's HTML page, "Invalid API Key" as text): keep the raw text.
  }
  details ??= { message: text.trim().slice(0, 500) || response.statusText || `HTTP ${response.status}` };
  return new OpenAiHttpError(response.status, details.message, classifyProblem(response.status, details, hadKey), details.code);
}
