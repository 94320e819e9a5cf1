// Builds export zips off the main thread, so a large export never stalls the page.
import { exposeWorkerApi, type ReportProgress } from '../worker/protocol.ts';
import { buildZip, type ZipEntryInput, type ZipProgress } from './zip-core.ts';

// One message per file would flood the page on exports of thousands of small texts.
const PROGRESS_INTERVAL_MS = 100;

const api = {
  /** The zip of `entries` (Blobs arrive by reference, read here one at a time) as one Blob. */
  async buildZip(entries: ZipEntryInput[], modifiedAt: number, report: ReportProgress<ZipProgress>): Promise<Blob> {
    let lastReport = 0;
    return buildZip(entries, {
      modifiedAt,
      onProgress(progress) {
        const now = performance.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
        lastReport = now;
        report(progress);
      },
    });
  },
};

/** The worker's API, for the bridge's types. */
export type ZipWorkerApi = typeof api;

exposeWorkerApi(self, api);
