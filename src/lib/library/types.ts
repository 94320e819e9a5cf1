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
}

/** One model (or person) text for one image, with how it was made. */
export interface ResultRecord extends JobSpec {
  /** jobKey(sha256, model, prompt, options): the same image asked the same way is found again. */
  key: string;
  text: string;
  author: Author;
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
  /** Epoch milliseconds when a person checked this text and accepted it as right. */
  verifiedAt?: number;
  /** Epoch milliseconds when the model finished (or the person last saved). */
  createdAt: number;
}

/** A job waiting to happen, kept so a reload mid-batch resumes where it stopped. */
export interface JobRecord extends JobSpec {
  /** jobKey(…): the key its result will be saved under. */
  key: string;
  queuedAt: number;
  /** Why the last attempt failed; a failed job waits for the user to retry it. */
  error?: string;
}
