// The page's handle on export.worker.ts: one worker per export, gone as soon as the zip is built.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import { ZipTooLargeError } from '../zip/errors.ts';
import { checkZipLimits, type ZipProgress } from '../zip/zip-core.ts';
import type { ExportWorkerApi } from './export.worker.ts';
import { toZipEntries, type ExportEntry } from './plan.ts';

/** Options of buildExportZip. */
export interface BuildExportZipOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ZipProgress) => void;
}

/** Build the planned export's zip in a worker; abort terminates it and rejects with an AbortError. */
export async function buildExportZip(entries: ExportEntry[], { signal, onProgress }: BuildExportZipOptions = {}): Promise<Blob> {
  if (signal?.aborted) throw abortError();
  // Fail before starting a worker when the zip format cannot hold this export (images by their recorded size).
  checkZipLimits(toZipEntries(entries));
  const worker = createWorkerClient<ExportWorkerApi>(() => new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module', name: 'zip-export' }));
  try {
    return await worker.buildExportZip(entries, Date.now(), { signal, onProgress });
  } catch (error) {
    if (signal?.aborted) throw abortError();
    if (error instanceof WorkerError && error.name === 'ZipTooLargeError') throw new ZipTooLargeError(error.message);
    throw error;
  } finally {
    // End the worker now rather than after the bridge's idle delay.
    worker.terminate();
  }
}

function abortError(): DOMException {
  return new DOMException('The export was cancelled', 'AbortError');
}
