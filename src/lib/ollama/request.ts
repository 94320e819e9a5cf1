// Turns an engine-neutral ReadRequest into the body of Ollama's POST /api/chat.
import type { ModelCapabilities, ReadOptions, ReadRequest } from '../engines/types.ts';
import type { ChatRequest, ModelOptions } from './wire.ts';

/** Ollama keeps a model loaded this long after each request, so the next image skips the load. */
export const KEEP_ALIVE = '10m';

/** Ollama's option names for the neutral ones; options left unset are not sent. */
export function toModelOptions(options: ReadOptions): ModelOptions {
  const mapped: ModelOptions = {};
  if (options.temperature !== undefined) mapped.temperature = options.temperature;
  if (options.maxTokens !== undefined) mapped.num_predict = options.maxTokens;
  if (options.seed !== undefined) mapped.seed = options.seed;
  return mapped;
}

/** The /api/chat body for a read; `capabilities` of the model decide whether `think` and `logprobs` are sent. */
export function buildChatRequest(
  request: ReadRequest,
  capabilities: Partial<Pick<ModelCapabilities, 'thinking' | 'logprobs'>> | undefined,
  keepAlive: string = KEEP_ALIVE,
): ChatRequest {
  const body: ChatRequest = {
    model: request.model,
    // Base64 bytes, not strings: toJsonBody splices them into the body without a copy.
    messages: [{ role: 'user', content: request.prompt, images: request.images.map((image) => image.base64) }],
    options: toModelOptions(request.options),
    keep_alive: keepAlive,
  };
  // Thinking models think by default and may leave `content` empty; some Ollama versions reject
  // `think` (even false) on models that cannot think, so it goes only to thinking models.
  if (capabilities?.thinking) body.think = false;
  if (request.format) body.format = request.format;
  // Ollama before 0.12.11 ignores the field (Go drops unknown JSON fields), so it goes only where it works.
  if (request.logprobs && capabilities?.logprobs) body.logprobs = true;
  return body;
}
