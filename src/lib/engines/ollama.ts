// Ollama as an Engine: models with what they can do, and reads streamed from /api/chat.
import { describeModel } from '../ollama/capabilities.ts';
import type { OllamaApi } from '../ollama/client.ts';
import { isAbortError } from '../ollama/errors.ts';
import { findModelName } from '../ollama/models.ts';
import { KEEP_ALIVE, buildChatRequest } from '../ollama/request.ts';
import type { ChatMetrics, ShowResponse, TagModel } from '../ollama/wire.ts';
import type { Engine, EngineModel, ModelCapabilities, ReadCallOptions, ReadChunk, ReadMetrics, ReadOutcome, ReadRequest } from './types.ts';

/** First Ollama version that returns token log-probabilities (docs/ollama-api.md). */
const LOGPROBS_SINCE = [0, 12, 11] as const;
/** First Ollama version that holds replies to a JSON Schema in `format`. */
const STRUCTURED_SINCE = [0, 5, 0] as const;

const METRIC_KEYS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;

/** True when `version` ("0.12.11", "0.13.0-rc1") is known and at least `least`; "unknown" is not. */
export function isVersionAtLeast(version: string | undefined, least: readonly number[]): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const parts = match.slice(1).map(Number);
  for (let i = 0; i < least.length; i++) {
    const have = parts[i] ?? 0;
    const want = least[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

/** An EngineModel from a /api/tags entry, its /api/show answer and the server's version. */
export function toEngineModel(tag: TagModel, show: ShowResponse | undefined, version: string | undefined): EngineModel {
  const info = describeModel(tag, show);
  const capabilities: ModelCapabilities = {
    vision: info.isVision,
    thinking: info.isThinking,
    structuredOutput: isVersionAtLeast(version, STRUCTURED_SINCE),
    logprobs: isVersionAtLeast(version, LOGPROBS_SINCE),
  };
  const model: EngineModel = { name: tag.name, capabilities };
  if (info.size !== undefined) model.size = info.size;
  if (info.parameterSize !== undefined) model.parameterSize = info.parameterSize;
  if (info.quantization !== undefined) model.quantization = info.quantization;
  if (info.family !== undefined) model.family = info.family;
  if (tag.digest !== undefined) model.digest = tag.digest;
  return model;
}

/** Ollama's nanosecond metrics with what it did not send left out. */
function toReadMetrics(metrics: ChatMetrics): ReadMetrics {
  const picked: ReadMetrics = {};
  for (const key of METRIC_KEYS) if (metrics[key] !== undefined) picked[key] = metrics[key];
  return picked;
}

/** "localhost:11434" from "http://localhost:11434". */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** An Engine over one Ollama server. */
export class OllamaEngine implements Engine {
  readonly id: string;
  readonly kind = 'ollama' as const;
  readonly label: string;
  readonly #api: OllamaApi;
  readonly #keepAlive: string;
  /** Learned by listModels (or one /api/show on first read), so reads know which models think. */
  readonly #models = new Map<string, EngineModel>();
  #version: string | undefined;

  constructor(api: OllamaApi, { keepAlive = KEEP_ALIVE }: { keepAlive?: string } = {}) {
    this.#api = api;
    this.#keepAlive = keepAlive;
    this.id = `ollama ${api.baseUrl}`;
    this.label = `Ollama at ${hostOf(api.baseUrl)}`;
  }

  /** The OllamaApi underneath (pulls and warm-ups are Ollama's own, not the Engine's). */
  get api(): OllamaApi { return this.#api; }
  /** The server's version as last read by listModels. */
  get version(): string | undefined { return this.#version; }

  /** Installed models with capabilities from /api/show (a model whose show fails is still listed). */
  async listModels(signal?: AbortSignal): Promise<EngineModel[]> {
    const version = await this.#api.version(signal);
    const tags = await this.#api.listModels(signal);
    const shows = await Promise.all(tags.map((tag) => this.#api.showModel(tag.name, signal).catch(() => undefined)));
    signal?.throwIfAborted();
    const models = tags.map((tag, i) => toEngineModel(tag, shows[i], version));
    this.#version = version;
    this.#models.clear();
    for (const model of models) this.#models.set(model.name, model);
    return models;
  }

  /** Stream the reply's text; returns why it ended (`length`: cut by num_predict) and the metrics. */
  async *read(request: ReadRequest, { signal }: ReadCallOptions = {}): AsyncGenerator<ReadChunk, ReadOutcome> {
    const capabilities = await this.#capabilitiesOf(request.model, signal);
    const stream = this.#api.streamChat(buildChatRequest(request, capabilities, this.#keepAlive), signal);
    let step = await stream.next();
    while (!step.done) {
      const { message, logprobs } = step.value;
      // Thinking text (when a model thinks anyway) is not part of the answer.
      if (message?.content) yield logprobs ? { text: message.content, logprobs } : { text: message.content };
      step = await stream.next();
    }
    return { doneReason: step.value.done_reason ?? 'stop', metrics: toReadMetrics(step.value) };
  }

  async #capabilitiesOf(name: string, signal: AbortSignal | undefined): Promise<ModelCapabilities | undefined> {
    const known = this.#models.get(findModelName([...this.#models.keys()], name) ?? name);
    if (known) return known.capabilities;
    try {
      // An engine that never listed its models learns the version once: logprobs and format depend on it.
      this.#version ??= await this.#api.version(signal);
      const model = toEngineModel({ name }, await this.#api.showModel(name, signal), this.#version);
      this.#models.set(name, model);
      return model.capabilities;
    } catch (error) {
      if (isAbortError(error)) throw error;
      // Not listed (a 404) or Ollama gone: the chat itself will say so in Ollama's words.
      return undefined;
    }
  }
}
