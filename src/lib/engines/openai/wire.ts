// The parts of OpenAI-compatible wire formats this app reads (docs/openai-compatible.md §1, §2).
// Every field is optional: servers differ, and a reply is untrusted input.

/** One entry of GET /v1/models. */
export interface WireModel {
  id?: string;
  object?: string;
  owned_by?: string;
  /** Newest llama-server: what the model takes in. */
  architecture?: { input_modalities?: string[] };
  [key: string]: unknown;
}

/** GET /v1/models; llama-server adds `models` with `capabilities` ("multimodal"). */
export interface WireModelList {
  data?: WireModel[];
  models?: { name?: string; model?: string; capabilities?: string[] }[];
}

/** One token's log-probability as vLLM, llama.cpp and Ollama send it. */
export interface WireLogprob {
  token?: string;
  logprob?: number;
}

/** One `choices[]` entry of a chat.completion.chunk. */
export interface WireChoice {
  index?: number;
  delta?: { role?: string; content?: string | null; reasoning?: string | null; reasoning_content?: string | null };
  finish_reason?: string | null;
  logprobs?: { content?: WireLogprob[] | null } | null;
}

/** A chat.completion.chunk, or an error object sent in its place. */
export interface WireChunk {
  choices?: WireChoice[] | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  /** llama-server, on the last chunk. */
  timings?: { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number } | null;
  error?: unknown;
}
