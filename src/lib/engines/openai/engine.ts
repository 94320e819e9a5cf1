// An Engine over an OpenAI-compatible server (vLLM, llama-server, LM Studio, LiteLLM, Ollama /v1):
// models from /v1/models plus each server's vision hints, reads as streamed chat completions.
import type { Engine, EngineModel, ReadCallOptions, ReadChunk, ReadOutcome, ReadRequest } from '../types.ts';
import { buildChatBody } from './body.ts';
import { OpenAiTruncatedError } from './errors.ts';
import { FLAVOURS } from './flavours.ts';
import type { OpenAiFlavour } from './flavours.ts';
import { OpenAiHttp } from './http.ts';
import { listOpenAiModels } from './models.ts';
import { readSseData } from './sse.ts';
import { readChatStream } from './stream.ts';

/** How to reach one server and what the user has told us about it. */
export interface OpenAiEngineOptions {
  /** Sent to this server only: `Authorization: Bearer`, or `X-Api-Key` to llama-server. */
  apiKey?: string;
  /** What detectServer found; `generic` (no vision hints) when unknown. */
  flavour?: OpenAiFlavour;
  /** Model names the user marked as vision-capable where the server does not say. */
  visionModels?: Iterable<string>;
  fetch?: typeof fetch;
}

/** "host:port" of an address, for labels. */
function hostOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** An OpenAI-compatible server as an Engine. */
export class OpenAiEngine implements Engine {
  readonly kind = 'openai' as const;
  readonly id: string;
  readonly label: string;
  readonly flavour: OpenAiFlavour;
  readonly #http: OpenAiHttp;
  readonly #visionModels: ReadonlySet<string>;

  constructor(baseUrl: string, options: OpenAiEngineOptions = {}) {
    this.flavour = options.flavour ?? 'generic';
    this.#http = new OpenAiHttp(baseUrl, { ...options, keyHeader: this.flavour === 'llama-server' ? 'x-api-key' : 'authorization' });
    this.#visionModels = new Set(options.visionModels ?? []);
    this.id = `openai ${this.#http.baseUrl}`;
    this.label = `${FLAVOURS[this.flavour].label} at ${hostOf(this.#http.baseUrl)}`;
  }

  /** The normalised address, without `/v1`. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** How many reads to run at once by default for this kind of server. */
  get defaultConcurrency(): number {
    return FLAVOURS[this.flavour].concurrency;
  }

  listModels(signal?: AbortSignal): Promise<EngineModel[]> {
    return listOpenAiModels(this.#http, this.flavour, this.#visionModels, signal);
  }

  async *read(request: ReadRequest, options: ReadCallOptions = {}): AsyncGenerator<ReadChunk, ReadOutcome> {
    const { signal } = options;
    // llama-server, LiteLLM and Ollama send headers only with the first token (docs §9.2), so this
    // await lasts through prompt processing; errors before the first token get a real status.
    const response = await this.#http.postJson('/v1/chat/completions', buildChatBody(this.#withLogprobsIfKnown(request)), signal);
    if (!response.body) throw new OpenAiTruncatedError();
    try {
      return yield* readChatStream(readSseData(response.body, signal));
    } catch (error) {
      // A connection dropped mid-reply surfaces as a TypeError from the body reader.
      if (error instanceof TypeError) throw new OpenAiTruncatedError({ cause: error });
      throw error;
    }
  }

  /**
   * The request with `logprobs` kept only for servers known to stream them (vLLM, llama-server,
   * Ollama /v1; docs/openai-compatible.md §2): what LM Studio or a LiteLLM upstream does with it is unknown.
   */
  #withLogprobsIfKnown(request: ReadRequest): ReadRequest {
    return request.logprobs && !FLAVOURS[this.flavour].hasLogprobs ? { ...request, logprobs: false } : request;
  }

  /** True when something answers at the address, even if CORS hides what it says. */
  isServerAnswering(signal?: AbortSignal): Promise<boolean> {
    return this.#http.isServerAnswering(signal);
  }
}
