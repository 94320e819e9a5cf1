// Set by scripts/vite-plugin-pdf-assets.ts through Vite's `define`.
interface ImportMetaEnv {
  /** Where pdf.js's data files are, below the base URL: "pdfjs/5.6.205/". */
  readonly LENSCRIBE_PDFJS_FOLDER: string;
}
