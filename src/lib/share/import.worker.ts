// Reads and checks an import zip off the main thread: inflating, CRC and SHA-256 checks and the
// results.json parse never stall the page, and a zip bomb costs only this worker.
import { jobKey } from '../library/keys.ts';
import { exposeWorkerApi, type ReportProgress } from '../worker/protocol.ts';
import { importLenscribeZip, type ImportedLibrary, type ImportProgress } from './import.ts';

const api = {
  /** Everything the zip would add, all checked (Blobs come back by reference, not copied). */
  async readLenscribeZip(zip: Blob, report: ReportProgress<ImportProgress>): Promise<ImportedLibrary> {
    return importLenscribeZip(zip, jobKey, { onProgress: report });
  },
};

/** The worker's API, for the client's types. */
export type ImportWorkerApi = typeof api;

exposeWorkerApi(self, api);
