// The data files pdf.js fetches on demand (standard fonts for PDFs that do not embed theirs, CMaps
// for CJK text, ICC profiles, its WebAssembly image decoders), all from the app's own origin.
// scripts/vite-plugin-pdf-assets.ts copies them into one folder whose name carries pdfjs-dist's
// version, so the service worker's cache-first copies never mix two versions.

/** The folder, below the app's base URL, holding pdf.js's data files ("pdfjs/5.6.205/"). */
export function pdfjsFolder(): string {
  return import.meta.env.LENSCRIBE_PDFJS_FOLDER;
}

/** The Cache Storage cache the service worker keeps the PDF reader's files in, from their first use. */
export const PDF_CACHE_NAME = 'lenscribe-pdf';

/** pdf.js's data folders, each copied as a subfolder of the pdfjs folder. */
export const PDFJS_DATA_FOLDERS = ['standard_fonts', 'cmaps', 'iccs', 'wasm'] as const;

/** The name the PDF reader's worker chunk starts with in assets/ (Vite names it after its file). */
export const PDF_WORKER_CHUNK_PREFIX = 'pdf-render.worker-';
