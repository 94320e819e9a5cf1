// The page's handle on the image worker. The main thread never decodes, resizes or base64-encodes.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import type { EncodeWorkerApi } from './encode.worker.ts';
import { type DecodedViews, type EncodedImage, type IdentifyOutcome, UnreadableImageError } from './types.ts';

/** What the app needs from an image encoder (a fake can stand in for tests). */
export interface ImageEncoder {
  /** Hash, type and header size of each file, without decoding; refusals come back per file. */
  identify(blobs: Blob[], signal?: AbortSignal): Promise<IdentifyOutcome[]>;
  /** Thumbnail, preview and upright size of a stored image that no job has decoded yet. */
  makeViews(blob: Blob, signal?: AbortSignal): Promise<DecodedViews>;
  /**
   * The image as sent to a model; `withViews` also returns its views from the same decode, and
   * `canTile` lets a long image come back in tiles.
   */
  encode(blob: Blob, maxSide: number, signal?: AbortSignal, withViews?: boolean, canTile?: boolean): Promise<EncodedImage>;
}

/** An ImageEncoder backed by encode.worker.ts. */
export function createImageEncoder(): ImageEncoder {
  const start = (name: string) => () => new Worker(new URL('./encode.worker.ts', import.meta.url), { type: 'module', name });
  const worker = createWorkerClient<EncodeWorkerApi>(start('image-encoder'));
  // Intake has its own worker: hashing a large drop never waits behind a job's decode, nor the
  // reverse, and aborting a job's encode (which ends its worker) cannot cut a drop short.
  const intake = createWorkerClient<EncodeWorkerApi>(start('image-intake'));
  const mapError = (error: unknown): never => {
    if (error instanceof WorkerError && error.name === 'UnreadableImageError') throw new UnreadableImageError(error.message);
    throw error;
  };
  return {
    identify: (blobs, signal) => intake.identify(blobs, { signal }),
    makeViews: (blob, signal) => worker.makeViews(blob, { signal }).catch(mapError),
    encode: async (blob, maxSide, signal, withViews = false, canTile = false) => {
      const { viewsToken, ...image } = await worker.encode(blob, maxSide, withViews, canTile, { signal }).catch(mapError);
      if (viewsToken === undefined) return image;
      // Asked right away: the bridge runs calls in order, so nothing else slips in before it.
      return { ...image, views: worker.takeViews(viewsToken, {}) };
    },
  };
}
