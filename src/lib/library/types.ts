// What Lenscribe keeps in IndexedDB. Image bytes live in their own stores, keyed by SHA-256, so
// listing the library never reads them.
import type { ImageSource } from '../documents/types.ts';
import type { Confidence } from '../confidence/types.ts';
import type { ChatMetrics, ModelOptions } from '../ollama/wire.ts';

/** Who wrote a result's text: a person's text is never replaced by a model's. */
export type Author = 'model' | 'person';

/** One image in the library (metadata only; the Blob and thumbnail are stored apart). */
export interface ImageRecord {
  /** Hex SHA-256 of the original file bytes: the image's identity. */
  sha256: string;
  /** File name as dropped, or its path inside a dropped folder. */
  name: string;
  /** MIME type sniffed from the bytes. */
  type: string;
  /** Size of the original file in bytes. */
  size: number;
  /** Upright size once decoded; until then the size the file's header gives. */
  width: number;
  height: number;
  /** Epoch milliseconds. */
  addedAt: number;
  /**
   * False while the image is stored but not yet decoded (no thumbnail or preview yet): its job's
   * decode, or the idle-time pass, makes them. Absent on images stored decoded.
   */
  isDecoded?: boolean;
  /** A page or picture of a document, or an image fetched by URL; absent for a dropped image file. */
  source?: ImageSource;
  /** Facts about this image alone the model cannot see; added to the prompt after the batch context. */
  context?: string;
  /** A person marked the image as decoration: its alt text is exported empty (alt=""). */
  isDecorative?: boolean;
}

/** The options a run was made with: the model's sampling options plus how the image was sized. */
export interface JobOptions extends ModelOptions {
  maxSide: number;
}

/** What a run asks: which image, of which model, how. */
export interface JobSpec {
  sha256: string;
  model: string;
  taskId: string;
  /** The prompt exactly as sent, context included. */
  prompt: string;
  /** The user's extra context ("Location: Glencoe, Scotland"), if any. */
  context?: string;
  options: JobOptions;
  /** The JSON Schema the reply is held to (Ollama `format`), for a preset with structured output. */
  format?: Record<string, unknown>;
}

/**
 * One version of one image's text for one task, with who wrote it and how: every model run, edit
 * and import adds a version, and none replaces another.
 */
export interface ResultRecord extends JobSpec {
  /** The version's own key in the store (versionKey(jobKey, …); the jobKey itself on records from before versions). */
  key: string;
  /** jobKey(sha256, model, prompt, options) of the ask: the same image asked the same way is found again. */
  jobKey: string;
  text: string;
  author: Author;
  /** The key of the version a person's text was edited from. */
  editedFrom?: string;
  /** The model's digest as its server listed it (Ollama /api/tags), when known. */
  modelDigest?: string;
  /** Epoch milliseconds when a person chose this version (picked, edited or verified it) as the one to use. */
  preferredAt?: number;
  /** Ollama's counts and nanosecond durations from the final chunk. */
  metrics?: ChatMetrics;
  /** Which engine wrote it ("Ollama at localhost:11434", "Built-in OCR"), for models' texts. */
  engine?: string;
  /** How sure the engine was (token log-probabilities or OCR word confidence); absent when it did not say. */
  confidence?: Confidence;
  /** The model's reply stopped at the token limit (done_reason "length"): the text may be incomplete. */
  isTruncated?: boolean;
  /** Flagged for a person's check (a repetition loop, low confidence); the reason says why. */
  needsReview?: boolean;
  reviewReason?: string;
  /** A structured reply's top-level fields, parsed and matching the job's schema. */
  fields?: Record<string, unknown>;
  /** Why a structured reply did not parse or match its schema (the result then needs review). */
  schemaError?: string;
  /** Epoch milliseconds when a person checked this text and accepted it as right. */
  verifiedAt?: number;
  /** A long image read in tiles: each tile's own text, top to bottom (`text` is them joined). */
  tiles?: TileText[];
  /** Epoch milliseconds when the model finished (or the person last saved). */
  createdAt: number;
}

/** What one tile of a long image read: source rows [top, bottom) of the upright original. */
export interface TileText {
  top: number;
  bottom: number;
  text: string;
}

/** A job waiting to happen, kept so a reload mid-batch resumes where it stopped. */
export interface JobRecord extends JobSpec {
  /** jobKey(…): the ask; its result is saved as a new version of it. */
  key: string;
  queuedAt: number;
  /** Why the last attempt failed; a failed job waits for the user to retry it. */
  error?: string;
}
