// The page's handle on zip.worker.ts: one worker per export, gone as soon as the zip is built.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import type { ZipWorkerApi } from './zip.worker.ts';
import { ZipTooLargeError } from './errors.ts';
import { checkZipLimits, type ZipEntryInput, type ZipProgress } from './zip-core.ts';

export type { ZipEntryInput, ZipProgress } from './zip-core.ts';

/** Options of buildExportZip. */
export interface BuildExportZipOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ZipProgress) => void;
}

/** Build the export zip in a worker; abort terminates it and rejects with an AbortError. */
export async function buildExportZip(files: ZipEntryInput[], { signal, onProgress }: BuildExportZipOptions = {}): Promise<Blob> {
  if (signal?.aborted) throw abortError();
  // Fail before starting a worker when the zip format cannot hold this export.
  checkZipLimits(files);
  const worker = createWorkerClient<ZipWorkerApi>(() => new Worker(new URL('./zip.worker.ts', import.meta.url), { type: 'module', name: 'zip-export' }));
  try {
    return await worker.buildZip(files, Date.now(), { signal, onProgress });
  } catch (error) {
    if (signal?.aborted) throw abortError();
    if (error instanceof WorkerError && error.name === 'ZipTooLargeError') throw new ZipTooLargeError(error.message);
    throw error;
  } finally {
    // The worker held the archive's parts; end it now rather than after the bridge's idle delay.
    worker.terminate();
  }
}

function abortError(): DOMException {
  return new DOMException('The export was cancelled', 'AbortError');
}
