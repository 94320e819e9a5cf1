// One job from stored image to result record: read the image, encode it, ask the engine, keep the
// text. Scheduling, retries and saving belong to the caller (state/queue.svelte.ts).
import { measureTokenConfidence } from '../confidence/logprobs.ts';
import type { Engine, EngineProgress, ReadOptions, ReadRequest } from '../engines/types.ts';
import type { ImageEncoder } from '../image/encoder.ts';
import type { DecodedViews, EncodedImage } from '../image/types.ts';
import { versionKey } from '../library/keys.ts';
import type { JobOptions, JobSpec, ResultRecord, TileText } from '../library/types.ts';
import { readsText } from '../tasks/presets.ts';
import { type Reply, readReply } from './read-reply.ts';
import { readTiles } from './read-tiles.ts';
import { readStructuredReply } from '../tasks/structured.ts';
import type { ServerLine } from './server-line.ts';
import type { StallLimits } from './stall-watchdog.ts';

/** Why a result stopped by the loop detector needs a person to check it. */
export const LOOP_REVIEW_REASON = 'The model repeated itself; the text stops where the loop began.';

/** What a job needs from the outside; tests pass fakes. */
export interface JobDeps {
  /** The stored original image, or undefined when it is no longer in the library. */
  readImage: (sha256: string) => Promise<Blob | undefined>;
  encoder: Pick<ImageEncoder, 'encode'>;
  engine: Engine;
  /** Epoch milliseconds for the result's createdAt. */
  now?: () => number;
  /** Whether the stored image was never decoded, so its thumbnail and preview come from this job's decode. */
  needsViews?: (sha256: string) => boolean;
  /** Keep the thumbnail, preview and upright size made by this job's decode. */
  saveViews?: (sha256: string, views: DecodedViews) => Promise<void>;
  /** Told that this image's views are on their way; `saved` settles once they are kept (or failed). */
  onViewsDue?: (sha256: string, saved: Promise<unknown>) => void;
}

/** What preparing a job's image needs (no engine): the queue prepares the next job's ahead. */
export type PrepareDeps = Pick<JobDeps, 'readImage' | 'encoder' | 'needsViews' | 'saveViews' | 'onViewsDue'>;

/**
 * Where a running job stands: preparing the image, sent but queued behind another request at the
 * server, waiting for the first words of a server working on it, writing.
 */
export type RunPhase = 'encoding' | 'lined-up' | 'waiting' | 'streaming';

/** How the caller follows and stops a job. */
export interface RunJobOptions {
  signal: AbortSignal;
  onPhase?: (phase: RunPhase) => void;
  /** The whole reply so far, after each streamed piece. */
  onText?: (text: string) => void;
  /** The engine's preparation progress (model load, OCR start-up). */
  onProgress?: (progress: EngineProgress) => void;
  /** How long a reply may take to start and pause between pieces; DEFAULT_STALL_LIMITS if absent. */
  limits?: StallLimits;
  /** The image already being prepared (by prepareImage, while the previous job was answered). */
  image?: Promise<EncodedImage>;
  /** The server's line, when the request may wait there behind others (see server-line.ts). */
  line?: ServerLine;
}

/** A job as the runner takes it: what to ask, and the key its result is saved under. */
export type RunnableJob = JobSpec & { key: string };

/** The model finished without writing any text. */
export class EmptyReplyError extends Error {
  override readonly name = 'EmptyReplyError';
}

/** The image is gone from the library (deleted while its job waited). */
export class MissingImageError extends Error {
  override readonly name = 'MissingImageError';
  constructor() {
    super('The image is no longer in the library.');
  }
}

/** The engine-neutral sampling options of a job (maxSide is the encoder's, not the model's). */
export function toReadOptions(options: JobOptions): ReadOptions {
  const read: ReadOptions = {};
  if (options.temperature !== undefined) read.temperature = options.temperature;
  if (options.num_predict !== undefined) read.maxTokens = options.num_predict;
  if (options.seed !== undefined) read.seed = options.seed;
  return read;
}

/**
 * Read the stored image and encode it as this job sends it. A never-decoded image gets its
 * thumbnail, preview and upright size from the same decode, saved without holding up the request.
 */
export async function prepareImage(job: JobSpec, deps: PrepareDeps, signal: AbortSignal): Promise<EncodedImage> {
  const original = await deps.readImage(job.sha256);
  signal.throwIfAborted();
  if (!original) throw new MissingImageError();
  const withViews = deps.needsViews?.(job.sha256) ?? false;
  // A task that copies out text reads a long image in tiles rather than shrink its print away.
  const image = await deps.encoder.encode(original, job.options.maxSide, signal, withViews, readsText(job.taskId));
  signal.throwIfAborted();
  return keepViews(job.sha256, image, deps);
}

/**
 * Save the thumbnail, preview and upright size an encode made alongside (without holding up the
 * request), where the stored image still needs them; returns the image.
 */
export function keepViews(sha256: string, image: EncodedImage, deps: Pick<PrepareDeps, 'needsViews' | 'saveViews' | 'onViewsDue'>): EncodedImage {
  if (!image.views || !(deps.needsViews?.(sha256) ?? false)) return image;
  // A failed save costs only the thumbnail for now: the image stays undecoded and the idle pass retries.
  const saved = image.views.then((views) => deps.saveViews?.(sha256, views));
  saved.catch(() => {});
  deps.onViewsDue?.(sha256, saved);
  return image;
}

/**
 * Run one job to its result record; throws the engine's own errors, EmptyReplyError, StallError or
 * an abort. A reply caught in a repetition loop is kept up to the loop and marked needsReview.
 */
export async function runJob(job: RunnableJob, deps: JobDeps, options: RunJobOptions): Promise<ResultRecord> {
  const { signal, onPhase, onText, onProgress } = options;
  onPhase?.('encoding');
  const image = await (options.image ?? prepareImage(job, deps, signal));
  signal.throwIfAborted();

  onPhase?.('waiting');
  // Log-probabilities are asked of every engine; each sends the request only where its model has them.
  const request: ReadRequest = { model: job.model, prompt: job.prompt, images: [image], options: toReadOptions(job.options), logprobs: true };
  if (job.format) request.format = job.format;
  const replyOptions = {
    signal,
    limits: options.limits,
    // The built-in OCR copies what is on the page, where repeated lines are real.
    shouldCheckLoops: deps.engine.kind !== 'builtin-ocr',
    line: options.line,
    onInLine: (isWaiting: boolean) => onPhase?.(isWaiting ? 'lined-up' : 'waiting'),
    onStart: () => onPhase?.('streaming'),
    onText,
    onProgress,
  };
  const reply: Reply & { tiles?: TileText[] } = image.tiles
    ? await readTiles(deps.engine, request, image.tiles, replyOptions)
    : await readReply(deps.engine, request, replyOptions);
  const { text } = reply;
  const { doneReason, metrics } = reply.outcome ?? {};
  // Scored against the text kept, so a reply cut at a loop is judged by what is left of it.
  const confidence = reply.outcome?.confidence ?? measureTokenConfidence(text, reply.tokens);
  const isTruncated = doneReason === 'length';
  if (!text.trim()) {
    throw new EmptyReplyError(
      isTruncated
        ? 'The model reached its token limit before writing any text. Try another model or task.'
        : 'The model answered with no text. Try another model or task.',
    );
  }
  const createdAt = (deps.now ?? Date.now)();
  // Each run is a version of its own: a re-run of the same ask is kept beside the earlier ones.
  const result: ResultRecord = {
    key: versionKey(job.key, createdAt),
    jobKey: job.key,
    sha256: job.sha256,
    model: job.model,
    taskId: job.taskId,
    prompt: job.prompt,
    context: job.context,
    options: job.options,
    ...(job.format && { format: job.format }),
    text,
    author: 'model',
    engine: deps.engine.label,
    createdAt,
  };
  // A loop's reply has no outcome: the request was stopped before the engine said how it ended.
  if (reply.outcome) result.metrics = { ...metrics, done_reason: doneReason };
  if (confidence) result.confidence = confidence;
  // A cut-off reply is still worth keeping, marked so nobody takes it for the whole text.
  if (isTruncated) result.isTruncated = true;
  if (reply.tiles) result.tiles = reply.tiles;
  if (reply.loop) {
    result.needsReview = true;
    result.reviewReason = LOOP_REVIEW_REASON;
  }
  if (job.format) readFields(result, job.format);
  return result;
}

/** Parse a structured reply into its fields; one that does not match its schema needs review, saying why. */
function readFields(result: ResultRecord, schema: Record<string, unknown>): void {
  const structured = readStructuredReply(result.text, schema);
  if (structured.fields) {
    result.fields = structured.fields;
    return;
  }
  result.schemaError = structured.error;
  result.needsReview = true;
  // A loop's reason explains the mismatch too; it is the one a person needs first.
  result.reviewReason ??= structured.error;
}
