// The one place that talks HTTP to Ollama. The UI and state reach Ollama only through this
// interface, so a fake or another backend can slot in.
import { toJsonBody } from './body.ts';
import {
  NotOllamaError,
  OllamaStreamError,
  OllamaTruncatedError,
  OllamaUnreachableError,
  describeBody,
  isAbortError,
  toHttpError,
} from './errors.ts';
import { NdjsonSyntaxError, readNdjson } from './ndjson.ts';
import type { ChatChunk, ChatMetrics, ChatRequest, PullProgress, ShowResponse, TagModel } from './wire.ts';

export const DEFAULT_OLLAMA_URL = 'http://localhost:11434';

/** True for a value shaped like one line of Ollama's /api/chat stream. */
function isChatChunk(value: unknown): value is ChatChunk {
  return typeof value === 'object' && value !== null && ('message' in value || 'done' in value || 'error' in value);
}

/** True for a value shaped like one line of Ollama's /api/pull stream. */
function isPullProgress(value: unknown): value is PullProgress {
  return typeof value === 'object' && value !== null && ('status' in value || 'error' in value);
}

/** What the app needs from a model server. */
export interface OllamaApi {
  readonly baseUrl: string;
  version(signal?: AbortSignal): Promise<string>;
  listModels(signal?: AbortSignal): Promise<TagModel[]>;
  showModel(name: string, signal?: AbortSignal): Promise<ShowResponse>;
  streamChat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk, ChatMetrics>;
  warmUp(model: string, keepAlive: string, signal?: AbortSignal): Promise<void>;
  pullModel(name: string, signal?: AbortSignal): AsyncGenerator<PullProgress>;
  isServerAnswering(signal?: AbortSignal): Promise<boolean>;
}

/** Strip trailing slashes so paths join cleanly. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** An OllamaApi over the browser's fetch. */
export class OllamaClient implements OllamaApi {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(baseUrl = DEFAULT_OLLAMA_URL, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
    this.#fetch = fetchImpl;
  }

  async version(signal?: AbortSignal): Promise<string> {
    const body = (await this.#json('/api/version', undefined, signal)) as { version?: string };
    return body.version ?? 'unknown';
  }

  async listModels(signal?: AbortSignal): Promise<TagModel[]> {
    const body = (await this.#json('/api/tags', undefined, signal)) as { models?: TagModel[] | null };
    return body.models ?? [];
  }

  async showModel(name: string, signal?: AbortSignal): Promise<ShowResponse> {
    return (await this.#json('/api/show', { model: name }, signal)) as ShowResponse;
  }

  /** Stream a chat reply; yields content chunks and returns the final metrics. */
  async *streamChat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk, ChatMetrics> {
    // Ollama sends status and headers only with the first chunk, after the model has loaded and
    // read the image, so this await can take many seconds.
    const response = await this.#request('/api/chat', { ...request, stream: true }, signal);
    if (!response.body) throw new OllamaTruncatedError();
    try {
      for await (const chunk of readNdjson<unknown>(response.body, signal)) {
        if (!isChatChunk(chunk)) throw this.#notOllama(JSON.stringify(chunk), response);
        // After the first chunk an error is one more line on the 200 stream, with no done:true.
        if (chunk.error) throw new OllamaStreamError(chunk.error);
        if (chunk.done) {
          const { total_duration, load_duration, prompt_eval_count, prompt_eval_duration, eval_count, eval_duration, done_reason } = chunk;
          if (chunk.message?.content) yield chunk;
          return { total_duration, load_duration, prompt_eval_count, prompt_eval_duration, eval_count, eval_duration, done_reason };
        }
        yield chunk;
      }
    } catch (error) {
      // A dropped connection mid-stream surfaces as a TypeError from the body reader.
      if (error instanceof TypeError) throw new OllamaUnreachableError(this.baseUrl, { cause: error });
      if (error instanceof NdjsonSyntaxError) throw this.#notOllama(error.excerpt, response);
      throw error;
    }
    throw new OllamaTruncatedError();
  }

  /** Load a model without generating (`messages: []` answers done_reason "load"). */
  async warmUp(model: string, keepAlive: string, signal?: AbortSignal): Promise<void> {
    await this.#json('/api/chat', { model, messages: [], keep_alive: keepAlive, stream: false }, signal);
  }

  /** Stream /api/pull progress; an unknown model arrives as an error line on a 200 stream. */
  async *pullModel(name: string, signal?: AbortSignal): AsyncGenerator<PullProgress> {
    const response = await this.#request('/api/pull', { model: name, stream: true }, signal);
    if (!response.body) throw new OllamaTruncatedError();
    try {
      for await (const progress of readNdjson<unknown>(response.body, signal)) {
        if (!isPullProgress(progress)) throw this.#notOllama(JSON.stringify(progress), response);
        if (progress.error) throw new OllamaStreamError(progress.error);
        yield progress;
        if (progress.status === 'success') return;
      }
    } catch (error) {
      // Ollama quitting mid-download surfaces as a TypeError from the body reader.
      if (error instanceof TypeError) throw new OllamaUnreachableError(this.baseUrl, { cause: error });
      if (error instanceof NdjsonSyntaxError) throw this.#notOllama(error.excerpt, response);
      throw error;
    }
    throw new OllamaTruncatedError();
  }

  /**
   * True when something answers at the address, even if CORS hides the answer from us: an opaque
   * `no-cors` response resolves, while a refused connection rejects.
   */
  async isServerAnswering(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#fetch(`${this.baseUrl}/`, { mode: 'no-cors', cache: 'no-store', signal });
      return true;
    } catch (error) {
      if (isAbortError(error)) throw error;
      return false;
    }
  }

  async #json(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const response = await this.#request(path, body, signal);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.#notOllama(text, response);
    }
    if (typeof parsed !== 'object' || parsed === null) throw this.#notOllama(text, response);
    return parsed;
  }

  /** A 200 whose body is not what Ollama sends: the address points at some other server. */
  #notOllama(body: string, response: Response): NotOllamaError {
    return new NotOllamaError(this.baseUrl, describeBody(body, response.headers.get('content-type') ?? ''));
  }

  async #request(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      // No custom headers and a type-less Blob body: a CORS "simple" request, so no preflight.
      response = await this.#fetch(`${this.baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        body: body === undefined ? undefined : toJsonBody(body),
        cache: 'no-store',
        signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new OllamaUnreachableError(this.baseUrl, { cause: error });
    }
    if (!response.ok) throw await toHttpError(response);
    return response;
  }
}
