// Errors of the built-in OCR, apart from the worker code so the pipeline can name them without loading it.

/** The OCR engine could not start (a file missing, WebAssembly refused) or stopped unexpectedly. */
export class OcrEngineError extends Error {
  override name = 'OcrEngineError';
}
