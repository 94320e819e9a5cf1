// A document's text, page after page, from each page's preferred text; and the text layer as a result.
import { jobKey, versionKey } from '../library/keys.ts';
import type { JobOptions, ResultRecord } from '../library/types.ts';

/** The model id of a page's own text layer: read from the PDF, no model involved. */
export const PDF_TEXT_LAYER_MODEL = 'pdf-text-layer';

/** The model id of the note a blank page gets instead of a model's reading. */
export const PDF_BLANK_PAGE_MODEL = 'pdf-blank-page';

/** What a blank page's note says (and what the document text shows for it). */
export const BLANK_PAGE_TEXT = '(blank page)';

/** A page's text as it goes into the document: its number and its chosen text, if any. */
export interface DocumentPageText {
  part: number;
  text: string | undefined;
}

/** "=== Page N ===" blocks in page order; a page with no text yet says so. */
export function assembleDocumentText(pages: readonly DocumentPageText[], unit = 'Page'): string {
  return [...pages]
    .sort((a, b) => a.part - b.part)
    .map(({ part, text }) => `=== ${unit} ${part} ===\n\n${text?.trim() || '(no text yet)'}`)
    .join('\n\n')
    .concat('\n');
}

// Keyed like a model's result, so the same page read again finds its text layer stored.
const NO_PROMPT = '';
const NO_OPTIONS: JobOptions = { maxSide: 0 };

/** The result holding a page's text read without a model: its text layer, or the blank page's note. */
export function buildPageTextResult(sha256: string, kind: 'text-layer' | 'blank', text: string, createdAt: number): ResultRecord {
  const model = kind === 'text-layer' ? PDF_TEXT_LAYER_MODEL : PDF_BLANK_PAGE_MODEL;
  const ask = jobKey(sha256, model, NO_PROMPT, NO_OPTIONS);
  return {
    key: versionKey(ask, createdAt),
    jobKey: ask,
    sha256,
    model,
    taskId: 'extract-markdown',
    prompt: NO_PROMPT,
    options: NO_OPTIONS,
    text: kind === 'text-layer' ? text : BLANK_PAGE_TEXT,
    author: 'model',
    engine: kind === 'text-layer' ? 'PDF text layer' : 'Blank page check',
    createdAt,
  };
}

/** True for texts read from the PDF itself rather than by a model. */
export function isPdfOwnText(model: string): boolean {
  return model === PDF_TEXT_LAYER_MODEL || model === PDF_BLANK_PAGE_MODEL;
}
