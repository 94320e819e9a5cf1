// The one place that talks HTTP to an OpenAI-compatible server: URLs, the API key, and turning
// failures into typed errors.
import { OpenAiHttpError, OpenAiUnreachableError, isAbortError, toHttpError } from './errors.ts';

/** A JSON value as an object to read fields from; anything else reads as empty. */
export const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Trim, add `http://` when no scheme was typed, and drop trailing slashes and a trailing `/v1`. */
export function normaliseOpenAiBaseUrl(url: string): string {
  const trimmed = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return withScheme.replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
}

/** How the key travels: `Authorization: Bearer`, or llama-server's `X-Api-Key` (docs §6). */
export type KeyHeader = 'authorization' | 'x-api-key';

/** How to reach one server. */
export interface OpenAiHttpOptions {
  apiKey?: string;
  /**
   * llama-server answers preflights with `Access-Control-Allow-Headers: *`, which by the Fetch spec
   * never covers Authorization (docs §5; Chromium 156 still lets it), so the key goes as X-Api-Key.
   */
  keyHeader?: KeyHeader;
  fetch?: typeof fetch;
}

/** HTTP to one server; the API key is sent only to that server's own origin. */
export class OpenAiHttp {
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #apiKey: string;
  readonly #keyHeader: KeyHeader;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, options: OpenAiHttpOptions = {}) {
    this.baseUrl = normaliseOpenAiBaseUrl(baseUrl);
    this.#origin = new URL(this.baseUrl).origin;
    this.#apiKey = options.apiKey?.trim() ?? '';
    this.#keyHeader = options.keyHeader ?? 'authorization';
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** True when an API key is set for this server. */
  get hasKey(): boolean {
    return this.#apiKey !== '';
  }

  /** GET a path and parse its JSON; throws OpenAiUnreachableError or OpenAiHttpError. */
  async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.request(path, { method: 'GET' }, signal);
    return response.json();
  }

  /** GET a path's JSON, or undefined when it fails: for optional hints. Only an abort throws. */
  async getJsonIfAny(path: string, signal?: AbortSignal): Promise<unknown> {
    try {
      return await this.getJson(path, signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      signal?.throwIfAborted();
      return undefined;
    }
  }

  /** POST a JSON body (a Blob, so image bytes stay out of JS strings). */
  async postJson(path: string, body: Blob, signal?: AbortSignal): Promise<Response> {
    return this.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }, signal);
  }

  /** Fetch `path` on this server; a non-OK status becomes an OpenAiHttpError with the server's words. */
  async request(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    const hasKey = this.#apiKey !== '' && new URL(url).origin === this.#origin;
    if (hasKey && this.#keyHeader === 'x-api-key') headers.set('X-Api-Key', this.#apiKey);
    else if (hasKey) headers.set('Authorization', `Bearer ${this.#apiKey}`);
    let response: Response;
    try {
      // With a key, redirects are not followed, so the key never travels anywhere but this address.
      response = await this.#fetch(url, { ...init, headers, cache: 'no-store', redirect: hasKey ? 'manual' : 'follow', signal });
    } catch (error) {
      if (isAbortError(error)) throw error;
      signal?.throwIfAborted();
      throw new OpenAiUnreachableError(this.baseUrl, { cause: error });
    }
    // Browsers hide a manual redirect as an opaque status-0 response; Node shows the 3xx itself.
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new OpenAiHttpError(response.status, `The server redirected ${url} elsewhere; enter the address it redirects to`, 'redirected');
    }
    if (!response.ok) throw await toHttpError(response, this.hasKey);
    return response;
  }

  /**
   * True when something answers at the address even if CORS hides the answer: an opaque `no-cors`
   * response resolves, a refused connection rejects (as lib/ollama/client.ts isServerAnswering).
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
}
