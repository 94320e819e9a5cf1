// The page's handle on the PDF reader's worker. The worker (and pdf.js inside it, about 2 MB) is
// only fetched when the first PDF arrives.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import type { PdfWorkerApi } from './pdf-render.worker.ts';
import type { OpenedPdf, RenderedPage } from './pdf-page.ts';
import { UnreadablePdfError } from './pdf-errors.ts';

/** What the app needs from a PDF reader (a fake can stand in for tests). */
export interface PdfReader {
  /** Open a PDF, closing any other; an unreadable one rejects with UnreadablePdfError. */
  open(file: Blob, signal?: AbortSignal): Promise<OpenedPdf>;
  /** Render one page (1-based) of the open PDF, with its text layer. */
  renderPage(pageNumber: number, signal?: AbortSignal): Promise<RenderedPage>;
  /** Close the open PDF. */
  close(): Promise<void>;
}

/** A PdfReader backed by pdf-render.worker.ts. */
export function createPdfReader(): PdfReader {
  const worker = createWorkerClient<PdfWorkerApi>(() => new Worker(new URL('./pdf-render.worker.ts', import.meta.url), { type: 'module', name: 'pdf-reader' }));
  const mapError = (error: unknown): never => {
    if (error instanceof WorkerError && error.name === 'UnreadablePdfError') throw new UnreadablePdfError(error.message);
    throw error;
  };
  return {
    open: (file, signal) => worker.open(file, { signal }).catch(mapError),
    renderPage: (pageNumber, signal) => worker.renderPage(pageNumber, { signal }),
    close: () => worker.close({}).catch(() => undefined),
  };
}
