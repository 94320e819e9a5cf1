// What the PDF reader's worker hands back. Shared by the worker and the page.

/** A PDF the worker has opened. */
export interface OpenedPdf {
  /** Hex SHA-256 of the file's bytes: the DocumentRecord's id. */
  sha256: string;
  pageCount: number;
}

/** One page, rendered for reading, with the text the PDF itself carries for it. */
export interface RenderedPage {
  /** 1-based. */
  pageNumber: number;
  /** Hex SHA-256 of the rendered image: its identity as an image in the library. */
  sha256: string;
  /** PNG for pages with a text layer or nothing on them, JPEG for pages that are pictures (scans). */
  blob: Blob;
  type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** The page's text layer in reading order; empty when it has none (a scan). */
  text: string;
  /** No text layer and nothing drawn: nothing for a model to read. */
  isBlank: boolean;
}

/** Pages are rendered at about this many dots per inch: small print stays legible to a model. */
export const PAGE_DPI = 200;

/** …but never more than this many pixels on the long side (the built-in OCR's own limit). */
export const PAGE_MAX_SIDE = 3072;

/** The scale (CSS px per PDF point) a page of this size in points is rendered at. */
export function pageScale(widthPt: number, heightPt: number): number {
  const longSide = Math.max(widthPt, heightPt, 1);
  return Math.min(PAGE_DPI / 72, PAGE_MAX_SIDE / longSide);
}

/** Where pdf.js finds its data files: absolute URLs of folders on this origin, each ending in "/". */
export interface PdfDataUrls {
  standardFontDataUrl: string;
  cMapUrl: string;
  iccUrl: string;
  wasmUrl: string;
}

/**
 * pdf.js's getDocument options for a worker with no document: no eval (the CSP forbids it, and
 * pdf.js would otherwise compile PostScript functions with it), no font faces (glyphs are drawn as
 * paths), data files fetched by pdf.js itself from this origin.
 */
export function pdfDocumentOptions(data: Uint8Array, urls: PdfDataUrls) {
  return {
    data,
    ...urls,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: true,
    isOffscreenCanvasSupported: true,
    stopAtErrors: false,
    verbosity: 0,
  } as const;
}
