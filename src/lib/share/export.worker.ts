// Builds the export zip off the main thread. The worker reads the images itself, a batch of Blobs
// per IndexedDB transaction while the previous batch is checksummed, so the page never holds them.
import { readImageBlobs } from '../library/image-blobs.ts';
import { exposeWorkerApi, type ReportProgress } from '../worker/protocol.ts';
import { buildZip, type ZipProgress } from '../zip/zip-core.ts';
import { readPlannedImages, toZipEntries, type ExportEntry } from './plan.ts';

// One message per file would flood the page on exports of thousands of small texts.
const PROGRESS_INTERVAL_MS = 100;

const api = {
  /** The zip of the planned `entries` as one Blob whose images are the stored Blobs themselves. */
  async buildExportZip(entries: ExportEntry[], modifiedAt: number, report: ReportProgress<ZipProgress>): Promise<Blob> {
    let lastReport = 0;
    return buildZip(toZipEntries(entries), {
      modifiedAt,
      readBlobs: readPlannedImages(entries, readImageBlobs),
      onProgress(progress) {
        const now = performance.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
        lastReport = now;
        report(progress);
      },
    });
  },
};

/** The worker's API, for the client's types. */
export type ExportWorkerApi = typeof api;

exposeWorkerApi(self, api);
