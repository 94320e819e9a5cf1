// The names of the files the built-in OCR loads, all served from the app's own origin (never a
// CDN). scripts/vite-plugin-ocr-assets.ts copies them out of node_modules into one folder whose name
// carries the package versions (so an upgrade gets new URLs, and the service worker's cache-first
// copies of old files are never mixed with new ones) and hands that name to the page.

/** The folder, below the app's base URL, that holds every OCR file ("ocr/tesseract-7.0.0-…/"). */
export function ocrFolder(): string {
  return import.meta.env.LENSCRIBE_OCR_FOLDER;
}

/** The Cache Storage cache the service worker keeps the OCR files in (cache-first, from their first use). */
export const OCR_CACHE_NAME = 'lenscribe-ocr';

/** tesseract.js's classic worker script; the core's .wasm is found next to it. */
export const OCR_WORKER_FILE = 'worker.min.js';

/** English LSTM data ("best_int": integer weights, the size tesseract.js itself defaults to). */
export const OCR_LANGUAGE_FILE = 'eng.traineddata.gz';

/** The LSTM-only cores, fastest first; the page picks the first one this browser's WebAssembly runs. */
export const OCR_CORE_FILES = {
  relaxedSimd: 'tesseract-core-relaxedsimd-lstm.js',
  simd: 'tesseract-core-simd-lstm.js',
  plain: 'tesseract-core-lstm.js',
} as const;

/** The WebAssembly a core script loads, from the same folder. */
export function wasmOf(coreFile: string): string {
  return coreFile.replace(/\.js$/, '.wasm');
}

/** Every file in the OCR folder. */
export const OCR_FILES: readonly string[] = [OCR_WORKER_FILE, OCR_LANGUAGE_FILE, ...Object.values(OCR_CORE_FILES).flatMap((js) => [js, wasmOf(js)])];

/** The Content-Type each kind of OCR file must be served with (.wasm must be application/wasm to compile while streaming). */
export function ocrContentType(fileName: string): string {
  if (fileName.endsWith('.wasm')) return 'application/wasm';
  if (fileName.endsWith('.js')) return 'text/javascript';
  if (fileName.endsWith('.gz')) return 'application/gzip';
  return 'application/octet-stream';
}
