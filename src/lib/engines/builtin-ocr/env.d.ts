// Set by scripts/vite-plugin-ocr-assets.ts through Vite's `define`.
interface ImportMetaEnv {
  /** Where the OCR files are, below the base URL: "ocr/tesseract-7.0.0-core-7.0.0-eng-1.0.0/". */
  readonly LENSCRIBE_OCR_FOLDER: string;
}
