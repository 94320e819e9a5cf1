// The page's handle on the image worker. The main thread never decodes, resizes or base64-encodes.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import type { EncodeWorkerApi } from './encode.worker.ts';
import { type EncodedImage, type InspectedImage, UnreadableImageError } from './types.ts';

/** What the app needs from an image encoder (a fake can stand in for tests). */
export interface ImageEncoder {
  inspect(blob: Blob, signal?: AbortSignal): Promise<InspectedImage>;
  encode(blob: Blob, maxSide: number, signal?: AbortSignal): Promise<EncodedImage>;
}

/** An ImageEncoder backed by encode.worker.ts. */
export function createImageEncoder(): ImageEncoder {
  const worker = createWorkerClient<EncodeWorkerApi>(
    () => new Worker(new URL('./encode.worker.ts', import.meta.url), { type: 'module', name: 'image-encoder' }),
  );
  const mapError = (error: unknown): never => {
    if (error instanceof WorkerError && error.name === 'UnreadableImageError') throw new UnreadableImageError(error.message);
    throw error;
  };
  return {
    inspect: (blob, signal) => worker.inspect(blob, { signal }).catch(mapError),
    encode: (blob, maxSide, signal) => worker.encode(blob, maxSide, { signal }).catch(mapError),
  };
}
