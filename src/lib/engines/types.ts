// The one interface every engine (Ollama, an OpenAI-compatible server, the built-in OCR) offers
// the job pipeline. State and UI know an engine by its id, kind, label and models' capabilities.
import type { Confidence } from '../confidence/types.ts';

/** Which protocol an engine speaks. */
export type EngineKind = 'ollama' | 'openai' | 'builtin-ocr';

/** What a model can do, as far as its engine can tell. */
export interface ModelCapabilities {
  /** It reads images (a text-only model silently ignores them). */
  vision: boolean;
  /** It thinks before answering (Ollama then needs `think: false`). */
  thinking: boolean;
  /** It can be held to a JSON Schema. */
  structuredOutput: boolean;
  /** It can return token log-probabilities. */
  logprobs: boolean;
  /**
   * It only copies out the text it sees and ignores the prompt (the built-in OCR): plain text
   * extraction works, tasks that need a vision model to follow a prompt do not.
   */
  ocrOnly?: boolean;
}

/** One model an engine offers. */
export interface EngineModel {
  /** The name the engine knows it by ("gemma3:4b"). */
  name: string;
  capabilities: ModelCapabilities;
  /** Extra facts for the model table: size in bytes, parameters, quantisation, family. */
  size?: number;
  parameterSize?: string;
  quantization?: string;
  family?: string;
  digest?: string;
  /**
   * Where `capabilities.vision` comes from when an engine cannot always tell: the server said so,
   * the user marked the model as seeing images, or nobody knows (vision is then false until marked).
   */
  visionSource?: 'server' | 'user' | 'unknown';
}

/** An image as the model gets it: upright, fitted, JPEG or PNG. */
export interface EngineImage {
  /** The encoded JPEG/PNG bytes (what the built-in OCR reads). */
  blob: Blob;
  /** The same bytes as standard base64, as ASCII bytes (what HTTP engines send). */
  base64: Uint8Array;
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/** Sampling options an engine maps onto its own names. */
export interface ReadOptions {
  temperature?: number;
  /** The most tokens to write (Ollama `num_predict`, OpenAI `max_tokens`). */
  maxTokens?: number;
  seed?: number;
}

/** What to read, and how. */
export interface ReadRequest {
  model: string;
  prompt: string;
  images: EngineImage[];
  options: ReadOptions;
  /** A JSON Schema the reply must match, for models with structured output. */
  format?: Record<string, unknown>;
  /** Ask for token log-probabilities where the model offers them. */
  logprobs?: boolean;
}

/** One token's log-probability, where the engine sends them. */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

/** A piece of streamed reply. */
export interface ReadChunk {
  text: string;
  logprobs?: TokenLogprob[];
}

/** Why a reply ended: finished, cut by the token limit, or something else the engine named. */
export type DoneReason = 'stop' | 'length' | (string & {});

/** Counts and integer-nanosecond durations; an engine leaves out what it does not know. */
export interface ReadMetrics {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** How a reply ended. */
export interface ReadOutcome {
  doneReason: DoneReason;
  metrics: ReadMetrics;
  /** An engine that scores its own text as a whole (the built-in OCR's word confidence). */
  confidence?: Confidence;
}

/** Progress of a long preparation (the built-in OCR downloading and starting). */
export interface EngineProgress {
  /** "Downloading language data", "Starting"… */
  status: string;
  /** 0..1 when known. */
  fraction?: number;
}

/** Options of Engine.read. */
export interface ReadCallOptions {
  signal?: AbortSignal;
  /** Preparation progress before the first chunk (model load, OCR start-up). */
  onProgress?: (progress: EngineProgress) => void;
}

/** A source of text from images. */
export interface Engine {
  /** Stable across reloads: kind plus address ("ollama http://localhost:11434", "builtin-ocr"). */
  readonly id: string;
  readonly kind: EngineKind;
  /** Shown to people: "Ollama at localhost:11434", "Built-in OCR (text only)". */
  readonly label: string;
  /** The models this engine offers, with what each can do. */
  listModels(signal?: AbortSignal): Promise<EngineModel[]>;
  /** Read images with a prompt: yields text as it comes, returns how it ended. */
  read(request: ReadRequest, options?: ReadCallOptions): AsyncGenerator<ReadChunk, ReadOutcome>;
}
