// Shapes of Ollama's HTTP API as read from its source (api/types.go). Every metric is optional:
// Ollama omits zero-valued fields.

/** A model as listed by GET /api/tags. */
export interface TagModel {
  name: string;
  model?: string;
  size?: number;
  digest?: string;
  modified_at?: string;
  capabilities?: string[];
  details?: {
    family?: string;
    families?: string[] | null;
    parameter_size?: string;
    quantization_level?: string;
    format?: string;
  };
}

/** Response of POST /api/show. */
export interface ShowResponse {
  capabilities?: string[];
  details?: TagModel['details'];
  projector_info?: Record<string, unknown>;
  model_info?: Record<string, unknown>;
}

/** Sampling options we set per task. */
export interface ModelOptions {
  temperature?: number;
  num_predict?: number;
  num_ctx?: number;
  seed?: number;
  top_p?: number;
  top_k?: number;
}

/** A chat message; images may be base64 strings or ASCII base64 bytes spliced in unchanged. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  images?: (string | Uint8Array)[];
}

/** Body of POST /api/chat. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  options?: ModelOptions;
  keep_alive?: string | number;
  think?: boolean;
  stream?: boolean;
  format?: 'json' | Record<string, unknown>;
  /** Token log-probabilities on every chunk (Ollama 0.12.11+). */
  logprobs?: boolean;
}

/** Ollama's timings (integer nanoseconds) and counts from the final chunk. */
export interface ChatMetrics {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
  done_reason?: string;
}

/** One NDJSON line of a /api/chat stream. */
export interface ChatChunk extends ChatMetrics {
  model?: string;
  created_at?: string;
  message?: { role: string; content: string; thinking?: string };
  /** Present when the request asked for `logprobs`. */
  logprobs?: { token: string; logprob: number }[];
  done?: boolean;
  error?: string;
}

/** One NDJSON line of a /api/pull stream. */
export interface PullProgress {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
  error?: string;
}
