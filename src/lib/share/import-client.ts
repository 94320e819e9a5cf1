// The page's handle on import.worker.ts: one worker per import, gone as soon as the zip is checked.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import { ImportError } from './errors.ts';
import type { ImportedLibrary, ImportOptions } from './import.ts';
import type { ImportWorkerApi } from './import.worker.ts';

/** Read and check a Lenscribe zip in a worker; ImportError says why it was refused. */
export async function readImportZip(zip: Blob, { signal, onProgress }: ImportOptions = {}): Promise<ImportedLibrary> {
  const worker = createWorkerClient<ImportWorkerApi>(() => new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'zip-import' }));
  try {
    return await worker.readLenscribeZip(zip, { signal, onProgress });
  } catch (error) {
    if (error instanceof WorkerError && error.name === 'ImportError') throw new ImportError(error.message);
    throw error;
  } finally {
    // The worker may hold inflated images; end it now rather than after an idle delay.
    worker.terminate();
  }
}
