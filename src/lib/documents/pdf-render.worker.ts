/// <reference types="vite/client" />
// Opens PDFs and renders their pages with pdf.js, off the main thread. pdf.js's own "worker" part is
// imported here and runs in this same worker (pdf.js finds it on globalThis.pdfjsWorker and skips
// starting another), drawing to OffscreenCanvas. The legacy build carries the polyfills that keep
// it working in browsers a year or two old. No eval: isEvalSupported is off (our CSP forbids it).
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { sha256HexOfBlob } from '../image/hash.ts';
import { exposeWorkerApi } from '../worker/protocol.ts';
import { isNearlyBlank } from './blank-page.ts';
import { pdfjsFolder } from './pdf-assets.ts';
import { EMPTY_PDF_MESSAGE, UnreadablePdfError, describePdfFailure } from './pdf-errors.ts';
import { pageScale, pdfDocumentOptions, type OpenedPdf, type RenderedPage } from './pdf-page.ts';
import { joinTextItems, type TextLayerItem } from './text-layer.ts';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker;

const JPEG_QUALITY = 0.92;
/** The blank check looks at the page fitted within this many pixels: enough to keep a line of print. */
const BLANK_CHECK_SIDE = 600;

interface CanvasEntry {
  canvas: OffscreenCanvas | null;
  context: OffscreenCanvasRenderingContext2D | null;
}

/** pdf.js's canvas factory, on OffscreenCanvas: its default one asks a `document` for canvases. */
class OffscreenCanvasFactory {
  create(width: number, height: number): CanvasEntry {
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) };
  }

  reset(entry: CanvasEntry, width: number, height: number): void {
    if (!entry.canvas) throw new Error('Canvas is not specified');
    entry.canvas.width = width;
    entry.canvas.height = height;
  }

  destroy(entry: CanvasEntry): void {
    if (entry.canvas) entry.canvas.width = entry.canvas.height = 0;
    entry.canvas = null;
    entry.context = null;
  }
}

/** pdf.js's filter factory without SVG filters (they need a document; pages render without them). */
class NoFilterFactory {
  addFilter() { return 'none'; }
  addHCMFilter() { return 'none'; }
  addAlphaFilter() { return 'none'; }
  addLuminosityFilter() { return 'none'; }
  addHighlightHCMFilter() { return 'none'; }
  destroy() {}
}

let current: PDFDocumentProxy | undefined;

async function closeCurrent(): Promise<void> {
  const document = current;
  current = undefined;
  await document?.destroy().catch(() => undefined);
}

function dataUrl(folder: string): string {
  return new URL(`${import.meta.env.BASE_URL}${pdfjsFolder()}${folder}/`, self.location.href).href;
}

function context2d(canvas: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  return canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
}

/** Whether the rendered page is all background, judged on a small copy. */
function isCanvasBlank(canvas: OffscreenCanvas): boolean {
  const factor = Math.min(1, BLANK_CHECK_SIDE / Math.max(canvas.width, canvas.height));
  const width = Math.max(1, Math.round(canvas.width * factor));
  const height = Math.max(1, Math.round(canvas.height * factor));
  const small = new OffscreenCanvas(width, height);
  const context = context2d(small);
  context.drawImage(canvas, 0, 0, width, height);
  return isNearlyBlank(context.getImageData(0, 0, width, height).data);
}

const api = {
  /** Open a PDF (closing any open one); encrypted, damaged and empty files are refused with a reason. */
  async open(blob: Blob): Promise<OpenedPdf> {
    await closeCurrent();
    const [sha256, data] = await Promise.all([sha256HexOfBlob(blob), blob.arrayBuffer()]);
    const urls = { standardFontDataUrl: dataUrl('standard_fonts'), cMapUrl: dataUrl('cmaps'), iccUrl: dataUrl('iccs'), wasmUrl: dataUrl('wasm') };
    const task = getDocument({ ...pdfDocumentOptions(new Uint8Array(data), urls), CanvasFactory: OffscreenCanvasFactory, FilterFactory: NoFilterFactory });
    // With no onPassword callback set, an encrypted PDF rejects with a PasswordException at once.
    let document: PDFDocumentProxy;
    try {
      document = await task.promise;
    } catch (error) {
      await task.destroy().catch(() => undefined);
      throw new UnreadablePdfError(describePdfFailure(error));
    }
    if (document.numPages === 0) {
      await document.destroy();
      throw new UnreadablePdfError(EMPTY_PDF_MESSAGE);
    }
    current = document;
    return { sha256, pageCount: document.numPages };
  },

  /** Render one page of the open PDF for reading, with its text layer. */
  async renderPage(pageNumber: number): Promise<RenderedPage> {
    if (!current) throw new Error('No PDF is open.');
    const page = await current.getPage(pageNumber);
    try {
      const content = await page.getTextContent();
      const text = joinTextItems(content.items as TextLayerItem[]);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: pageScale(base.width, base.height) });
      const canvas = new OffscreenCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
      const context = context2d(canvas);
      // pdf.js types the canvas as a page's <canvas>; an OffscreenCanvas draws the same.
      const parameters = { canvas, canvasContext: context, viewport, background: '#ffffff' } as unknown as Parameters<PDFPageProxy['render']>[0];
      await page.render(parameters).promise;
      const isBlank = text === '' && isCanvasBlank(canvas);
      // A page that carries its text is type and drawings: PNG keeps its edges; a scan is a photo.
      const type = text !== '' || isBlank ? 'image/png' : 'image/jpeg';
      const blob = await canvas.convertToBlob({ type, quality: JPEG_QUALITY });
      const { width, height } = canvas;
      canvas.width = canvas.height = 0;
      return { pageNumber, sha256: await sha256HexOfBlob(blob), blob, type, width, height, text, isBlank };
    } finally {
      page.cleanup();
    }
  },

  /** Close the open PDF, freeing its memory. */
  async close(): Promise<void> {
    await closeCurrent();
  },
};

/** The worker's API, for the bridge's types. */
export type PdfWorkerApi = typeof api;

exposeWorkerApi(self, api);
