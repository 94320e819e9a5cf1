// Takes PDFs in: each is opened in the PDF reader's worker, and each page is rendered, stored as an
// image of its own (pointing back to its document) and queued like any dropped image, while the
// next page renders. A page's text layer is kept as a result of its own; a blank page gets a note
// instead of a model's reading. A PDF that cannot be read is listed with the reason; others carry on.
import { PDF_BLANK_PAGE_MODEL, buildPageTextResult } from '../lib/documents/assemble.ts';
import type { PdfReader } from '../lib/documents/pdf-reader.ts';
import { describePdfFailure } from '../lib/documents/pdf-errors.ts';
import type { DocumentRecord } from '../lib/documents/types.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import { downloadBlob } from '../lib/share/download.ts';
import { buildDocumentText, documentTextName, pagesOfDocument } from '../lib/share/document-text.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, ResultRecord } from '../lib/library/types.ts';
import type { LibraryState } from './library.svelte.ts';

/** What PdfIntakeState works with. */
export interface PdfIntakeDeps {
  /** Started on the first PDF only: pdf.js is fetched then, not before. */
  reader: () => PdfReader;
  store: Pick<LibraryStore, 'saveNewImages' | 'saveResults'>;
  library: LibraryState;
  /** Queue the chosen task for these pages, as for any dropped image. */
  run: (sha256s: string[]) => Promise<void>;
  /** Told of pages stored undecoded, so they get thumbnails even if no job decodes them. */
  onStored?: (sha256s: string[]) => void;
}

/** The page's name in the list: "report.pdf — page 3". */
export function pageName(documentName: string, pageNumber: number): string {
  return `${documentName} — page ${pageNumber}`;
}

/** Reading dropped PDFs, one at a time, page by page. */
export class PdfIntakeState {
  #waiting = $state(0);
  #progress = $state('');
  #tail: Promise<void> = Promise.resolve();
  #controller = new AbortController();
  #reader: PdfReader | undefined;
  readonly #deps: PdfIntakeDeps;

  constructor(deps: PdfIntakeDeps) {
    this.#deps = deps;
  }

  /** PDFs are being read: leaving now would lose the pages not yet stored. */
  get isBusy() { return this.#waiting > 0; }
  /** "Reading report.pdf: page 3 of 12…" while a PDF is read, else empty. */
  get progressText() { return this.#progress; }

  /** Read a dropped PDF after any already waiting; resolves when its pages are stored and queued. */
  open(file: NamedFile): Promise<void> {
    this.#waiting++;
    // Taken now: Stop ends this PDF and every one waiting behind it, not those dropped after.
    const { signal } = this.#controller;
    const run = this.#tail.then(() => this.#read(file, signal)).finally(() => {
      this.#waiting--;
      if (this.#waiting === 0) this.#progress = '';
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Stop reading the PDFs dropped so far: the page being rendered is dropped, pages already stored stay. */
  cancel(): void {
    this.#controller.abort();
    this.#controller = new AbortController();
  }

  /** The document's text: each page's preferred text under "=== Page N ===", in page order. */
  documentText(documentId: string): string {
    const { library } = this.#deps;
    const document = library.documentById(documentId);
    if (!document) return '';
    return buildDocumentText(document, pagesOfDocument(documentId, library.images), (sha256) => library.resultsByImage.get(sha256) ?? []);
  }

  /** Save the document's text as "<document>.md". */
  downloadDocumentText(documentId: string): void {
    const document = this.#deps.library.documentById(documentId);
    if (!document) return;
    downloadBlob(new Blob([this.documentText(documentId)], { type: 'text/markdown' }), documentTextName(document, 'md'));
  }

  async #read({ file, name }: NamedFile, signal: AbortSignal): Promise<void> {
    const { library } = this.#deps;
    if (signal.aborted) return;
    const reader = (this.#reader ??= this.#deps.reader());
    this.#progress = `Opening ${name}…`;
    let pageCount: number;
    let documentId: string;
    try {
      ({ sha256: documentId, pageCount } = await reader.open(file, signal));
    } catch (error) {
      if (signal.aborted) return;
      library.reject({ id: crypto.randomUUID(), name, reason: describePdfFailure(error) });
      return;
    }
    try {
      const document: DocumentRecord = { id: documentId, name, kind: 'pdf', size: file.size, partCount: pageCount, addedAt: Date.now() };
      if (!library.documentById(documentId)) await library.addDocument(document);
      if (await this.#runKnownPages(documentId, pageCount)) return;
      for (let pageNumber = 1; pageNumber <= pageCount; pageNumber++) {
        signal.throwIfAborted();
        this.#progress = `Reading ${name}: page ${pageNumber} of ${pageCount}…`;
        await this.#readPage(reader, document, pageNumber, signal);
      }
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      library.reject({ id: crypto.randomUUID(), name, reason: `Reading this PDF stopped: ${reason}` });
    } finally {
      // An abort already ended the worker; closing would only start a new one.
      if (!signal.aborted) await reader.close();
    }
  }

  /** The same PDF dropped again: its stored pages are asked again (a stored result shows at once), none rendered. */
  async #runKnownPages(documentId: string, pageCount: number): Promise<boolean> {
    const { library, run } = this.#deps;
    const pages = pagesOfDocument(documentId, library.images);
    if (pages.length !== pageCount) return false;
    const isBlank = (sha256: string) => (library.resultsByImage.get(sha256) ?? []).some((r) => r.model === PDF_BLANK_PAGE_MODEL);
    await run(pages.map((p) => p.sha256).filter((sha256) => !isBlank(sha256)));
    return true;
  }

  async #readPage(reader: PdfReader, document: DocumentRecord, pageNumber: number, signal: AbortSignal): Promise<void> {
    const { library, store, run, onStored } = this.#deps;
    const page = await reader.renderPage(pageNumber, signal);
    const { sha256 } = page;
    const addedAt = Date.now();
    const isNew = !library.imageBySha(sha256);
    if (isNew) {
      const record: ImageRecord = {
        sha256, name: pageName(document.name, pageNumber), type: page.type, size: page.blob.size,
        width: page.width, height: page.height, addedAt, isDecoded: false,
        source: { documentId: document.id, part: pageNumber },
      };
      await store.saveNewImages([{ record, blob: page.blob }]);
      library.addImages([record]);
    }
    const own: ResultRecord[] = [];
    if (page.text) own.push(buildPageTextResult(sha256, 'text-layer', page.text, addedAt));
    if (page.isBlank) own.push(buildPageTextResult(sha256, 'blank', '', addedAt));
    if (own.length > 0) library.putResults(await store.saveResults(own));
    try {
      // A blank page has nothing for a model to read: asking would cost a model call for "(empty)".
      if (!page.isBlank) await run([sha256]);
    } finally {
      // Told only once its job is queued: else the idle-time views pass, finding the queue idle,
      // would decode the page first, a second decode on its request's path.
      if (isNew) onStored?.([sha256]);
    }
  }
}
