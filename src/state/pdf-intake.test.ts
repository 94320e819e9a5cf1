import { describe, expect, it } from 'vitest';
import { UnreadablePdfError } from '../lib/documents/pdf-errors.ts';
import type { PdfReader } from '../lib/documents/pdf-reader.ts';
import type { RenderedPage } from '../lib/documents/pdf-page.ts';
import type { DocumentKind } from '../lib/documents/types.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord, ResultRecord } from '../lib/library/types.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { PdfIntakeState } from './pdf-intake.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

type FakePage = Pick<RenderedPage, 'text' | 'isBlank'>;

/** A reader that knows PDFs by file name: their pages, or the reason they cannot be opened. */
function fakeReader(pdfs: Record<string, FakePage[] | string>, log: string[]): PdfReader {
  let open: { name: string; pages: FakePage[] } | undefined;
  return {
    async open(file) {
      const name = (file as File).name;
      const pages = pdfs[name];
      log.push(`open ${name}`);
      if (typeof pages === 'string' || !pages) throw new UnreadablePdfError(pages ?? 'unknown');
      open = { name, pages };
      return { sha256: `doc-${name}`, pageCount: pages.length };
    },
    async renderPage(pageNumber) {
      const page = open?.pages[pageNumber - 1];
      if (!open || !page) throw new Error('no such page');
      log.push(`render ${pageNumber}`);
      return { ...page, pageNumber, sha256: `${open.name}-p${pageNumber}`, blob: new Blob(['png']), type: 'image/png', width: 1700, height: 2200 };
    },
    async close() {
      log.push('close');
    },
  };
}

function setup(pdfs: Record<string, FakePage[] | string>) {
  const log: string[] = [];
  const stored: ImageRecord[] = [];
  const savedResults: ResultRecord[] = [];
  const ran: string[][] = [];
  /** Jobs queued and pages told to the idle-time views pass, in order. */
  const events: string[] = [];
  const store = { saveDocument: async () => {} } as unknown as LibraryStore;
  const library = new LibraryState(store, queueMicrotask);
  let readersMade = 0;
  const pdfIntake = new PdfIntakeState({
    reader: () => {
      readersMade++;
      return fakeReader(pdfs, log);
    },
    library,
    store: {
      async saveNewImages(images) {
        stored.push(...images.map((i) => i.record));
      },
      async saveResults(results) {
        savedResults.push(...results);
        return results;
      },
    },
    run: async (sha256s) => {
      ran.push(sha256s);
      events.push(`queued ${sha256s.join()}`);
    },
    onStored: (sha256s) => void events.push(`views ${sha256s.join()}`),
  });
  return { pdfIntake, library, log, stored, savedResults, ran, events, readers: () => readersMade };
}

const pdfFile = (name: string): NamedFile => ({ name, file: new File(['%PDF'], name) });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PdfIntakeState', () => {
  it('stores each page as an image of its document, keeps text layers, and sends all but blank pages to the model', async () => {
    const { pdfIntake, library, stored, savedResults, ran, log } = setup({
      'report.pdf': [{ text: '', isBlank: false }, { text: 'Quarterly report', isBlank: false }, { text: '', isBlank: true }],
    });
    await pdfIntake.open(pdfFile('report.pdf'));
    expect(stored.map((i) => [i.name, i.source])).toEqual([
      ['report.pdf — page 1', { documentId: 'doc-report.pdf', part: 1 }],
      ['report.pdf — page 2', { documentId: 'doc-report.pdf', part: 2 }],
      ['report.pdf — page 3', { documentId: 'doc-report.pdf', part: 3 }],
    ]);
    expect(library.documentById('doc-report.pdf')).toMatchObject({ name: 'report.pdf', kind: 'pdf', partCount: 3 });
    expect(savedResults.map((r) => [r.sha256, r.model, r.text])).toEqual([
      ['report.pdf-p2', 'pdf-text-layer', 'Quarterly report'],
      ['report.pdf-p3', 'pdf-blank-page', '(blank page)'],
    ]);
    expect(ran).toEqual([['report.pdf-p1'], ['report.pdf-p2']]);
    expect(log.at(-1)).toBe('close');
    await flush();
    expect(pdfIntake.documentText('doc-report.pdf')).toBe('=== Page 1 ===\n\n(no text yet)\n\n=== Page 2 ===\n\nQuarterly report\n\n=== Page 3 ===\n\n(blank page)\n');
    expect(pdfIntake.isBusy).toBe(false);
  });

  it('tells the idle-time views pass of a new page only once its job is queued, and of a blank page with none', async () => {
    const { pdfIntake, events } = setup({ 'a.pdf': [{ text: '', isBlank: false }, { text: '', isBlank: true }] });
    await pdfIntake.open(pdfFile('a.pdf'));
    expect(events).toEqual(['queued a.pdf-p1', 'views a.pdf-p1', 'views a.pdf-p2']);
  });

  it('lists a PDF it cannot open with the reason, and reads the next one', async () => {
    const { pdfIntake, library, stored, readers } = setup({ 'locked.pdf': 'This PDF is protected by a password.', 'ok.pdf': [{ text: 'Hi', isBlank: false }] });
    const first = pdfIntake.open(pdfFile('locked.pdf'));
    const second = pdfIntake.open(pdfFile('ok.pdf'));
    expect(pdfIntake.isBusy).toBe(true);
    await Promise.all([first, second]);
    expect(library.rejected.map((r) => [r.name, r.reason, r.isNotImage])).toEqual([['locked.pdf', 'This PDF is protected by a password.', undefined]]);
    expect(stored.map((i) => i.name)).toEqual(['ok.pdf — page 1']);
    // One reader (one worker) for every PDF.
    expect(readers()).toBe(1);
  });

  it('renders nothing when the same PDF is dropped again: its pages, blank ones aside, are asked again', async () => {
    const { pdfIntake, log, ran, stored } = setup({ 'report.pdf': [{ text: 'One', isBlank: false }, { text: '', isBlank: true }] });
    await pdfIntake.open(pdfFile('report.pdf'));
    await flush();
    log.length = 0;
    ran.length = 0;
    await pdfIntake.open(pdfFile('report.pdf'));
    expect(log).toEqual(['open report.pdf', 'close']);
    expect(ran).toEqual([['report.pdf-p1']]);
    expect(stored).toHaveLength(2);
  });

  it('stops at Stop: the PDF being read and those waiting, not one dropped later', async () => {
    const { pdfIntake, stored, library } = setup({ 'a.pdf': [{ text: 'A', isBlank: false }], 'b.pdf': [{ text: 'B', isBlank: false }], 'c.pdf': [{ text: 'C', isBlank: false }] });
    const waiting = [pdfIntake.open(pdfFile('a.pdf')), pdfIntake.open(pdfFile('b.pdf'))];
    pdfIntake.cancel();
    await Promise.all([...waiting, pdfIntake.open(pdfFile('c.pdf'))]);
    expect(stored.map((i) => i.name)).toEqual(['c.pdf — page 1']);
    expect(library.rejected).toEqual([]);
  });

  it('does not read until a PDF arrives', () => {
    const { readers } = setup({});
    expect(readers()).toBe(0);
  });
});

describe('IntakeState with documents', () => {
  it('hands a PDF (known by its bytes, whatever its name) to the document reader, and images to the library', async () => {
    const settings = new SettingsState({ getSetting: async () => undefined, setSetting: async () => {} } as unknown as LibraryStore);
    settings.set('model', 'gemma3:4b');
    const library = new LibraryState({} as LibraryStore, queueMicrotask);
    const documents: [string, DocumentKind][] = [];
    const enqueued: JobRecord[] = [];
    const intake = new IntakeState({
      library,
      settings,
      encoder: {
        identify: async (blobs) => blobs.map((blob) => (blob as File).name === 'scan.jpg'
          ? { isImage: false, reason: 'This is a PDF document, not an image.', isNotImage: true, document: 'pdf' }
          : { isImage: true, image: { sha256: 'sha-photo', type: 'image/png', width: 1, height: 1 } }),
      },
      store: { saveNewImages: async () => {} },
      queue: { enqueue: async (jobs) => void enqueued.push(...jobs) },
      onDocument: ({ name }, kind) => void documents.push([name, kind]),
    });
    await intake.add([{ name: 'scan.jpg', file: new File(['%PDF'], 'scan.jpg') }, { name: 'photo.png', file: new File(['x'], 'photo.png') }]);
    expect(documents).toEqual([['scan.jpg', 'pdf']]);
    expect(library.rejected).toEqual([]);
    expect(enqueued.map((j) => j.sha256)).toEqual(['sha-photo']);
  });
});
