// Taking results elsewhere (a zip, the share sheet, the clipboard) and bringing a zip back in.
import { canShareFiles, downloadBlob, shareFile } from '../lib/share/download.ts';
import { ImportError } from '../lib/share/errors.ts';
import { ZipTooLargeError } from '../lib/zip/errors.ts';
import type { ImportedLibrary, ImportOptions } from '../lib/share/import.ts';
import { readImportZip } from '../lib/share/import-client.ts';
import { pickPreferredResult } from '../lib/share/manifest.ts';
import { formatForClipboard } from '../lib/share/markdown-copy.ts';
import { blankDecorativeAltTexts } from '../lib/tasks/alt-text.ts';
import { findTask } from '../lib/tasks/presets.ts';
import { mergeImported } from '../lib/share/merge.ts';
import { planDocumentEntries } from '../lib/share/document-text.ts';
import { planExport } from '../lib/share/plan.ts';
import { decksToExport, planDeckNotes } from '../lib/share/deck-notes.ts';
import { buildExportZip } from '../lib/share/export-client.ts';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import { isAbortError } from '../lib/ollama/errors.ts';
import { formatBytes } from '../lib/storage/space.ts';
import type { LibraryState } from './library.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** What ExportState works with. */
export interface ExportDeps {
  store: LibraryStore;
  encoder: ImageEncoder;
  library: LibraryState;
  settings: SettingsState;
  /** Reads and checks an import zip; by default in a worker (tests pass the checks in-process). */
  readZip?: (zip: Blob, options: ImportOptions) => Promise<ImportedLibrary>;
  /** Whether a task's replies are alt text, blanked on export for images marked decorative; built-in alt-text tasks when absent. */
  isAltTextTask?: (taskId: string) => boolean;
}

/** Export, share, copy and import. */
export class ExportState {
  #phase = $state<'idle' | 'exporting' | 'importing'>('idle');
  #done = $state(0);
  #total = $state(0);
  #message = $state('');
  #isError = $state(false);
  #shareable = $state.raw<File | undefined>(undefined);
  #controller: AbortController | undefined;
  readonly #deps: ExportDeps;

  constructor(deps: ExportDeps) {
    this.#deps = deps;
  }

  get phase() { return this.#phase; }
  get done() { return this.#done; }
  get total() { return this.#total; }
  /** The outcome of the last action, for a status line. */
  get message() { return this.#message; }
  get isError() { return this.#isError; }
  /** The last export, when this browser can hand it to the share sheet. */
  get shareable() { return this.#shareable; }

  /** The images the next export or copy covers, in list order: the selection, or everything. */
  get scope() {
    const { library } = this.#deps;
    return library.selected.size > 0 ? library.orderedImages.filter((i) => library.selected.has(i.sha256)) : library.orderedImages;
  }

  /** Build the zip in a worker (which reads the images itself) and download it. */
  async exportZip(): Promise<void> {
    const { library, settings } = this.#deps;
    const images = this.scope;
    const shas = new Set(images.map((i) => i.sha256));
    const decorative = new Set(images.filter((i) => i.isDecorative).map((i) => i.sha256));
    const isAltTextTask = this.#deps.isAltTextTask ?? ((id: string) => findTask(id).id === id && findTask(id).isAltText === true);
    const results = blankDecorativeAltTexts(library.results.filter((r) => shas.has(r.sha256)), decorative, isAltTextTask);
    const planned = planExport(images, results, { includeImages: settings.includeImages, textExtension: settings.textExtension }).entries;
    const decks = decksToExport(library.documents, images, library.selected.size === 0);
    const entries = [...planned, ...planDeckNotes(decks, planned.map((e) => e.path))];
    entries.push(...planDocumentEntries(library.documents, images, results, { textExtension: settings.textExtension, taken: entries.map((e) => e.path) }));
    const controller = this.#begin('exporting');
    try {
      this.#total = entries.length;
      const zip = await buildExportZip(entries, {
        signal: controller.signal,
        onProgress: (p) => (this.#done = p.done),
      });
      const name = `lenscribe-${new Date().toISOString().slice(0, 10)}.zip`;
      downloadBlob(zip, name);
      const file = new File([zip], name, { type: 'application/zip' });
      this.#shareable = canShareFiles(file) ? file : undefined;
      this.#finish(`Exported ${images.length} ${images.length === 1 ? 'image' : 'images'} with ${results.length} results (${formatBytes(zip.size)}).`);
    } catch (error) {
      this.#fail(error, 'Export');
    }
  }

  /** Offer the last export to the system share sheet. */
  async share(): Promise<void> {
    if (this.#shareable) await shareFile(this.#shareable).catch(() => false);
  }

  /** Add a Lenscribe zip's results to the library: all checked first, then all written or none. */
  async importZip(file: File): Promise<void> {
    const { library, store, encoder, readZip = readImportZip } = this.#deps;
    const controller = this.#begin('importing');
    const added: string[] = [];
    try {
      const imported = await readZip(file, {
        signal: controller.signal,
        onProgress: ({ done, total }) => {
          this.#done = done;
          this.#total = total;
        },
      });
      this.#done = 0;
      const known = new Set(library.images.map((i) => i.sha256));
      const usable = new Set(known);
      this.#total = imported.images.length;
      const prepared = [];
      for (const { record, blob } of imported.images) {
        if (!known.has(record.sha256) && blob) {
          prepared.push({ record, blob, derived: await encoder.makeViews(blob, controller.signal) });
          usable.add(record.sha256);
        }
        this.#done++;
      }
      const incoming = imported.results.filter((r) => usable.has(r.sha256));
      const { toWrite } = mergeImported(library.results, incoming);
      for (const { record, blob, derived } of prepared) {
        await store.saveImage(record, blob, derived);
        added.push(record.sha256);
      }
      // What is written: the store checks again, since another tab may have written since the merge was planned.
      const written = await store.saveResults(toWrite);
      for (const { record } of prepared) library.addImage(record);
      library.putResults(written);
      const already = incoming.length - written.length;
      const orphans = imported.results.length - incoming.length;
      this.#finish(
        `Imported ${prepared.length} new ${prepared.length === 1 ? 'image' : 'images'} and ${written.length} ${written.length === 1 ? 'version' : 'versions'}` +
          (already ? `; ${already} already here` : '') +
          (orphans ? `; ${orphans} skipped because their images were not in the zip` : '') + '.',
      );
    } catch (error) {
      // Nothing half-imported: take back the images this import already wrote.
      for (const sha of added) await store.deleteImage(sha, [], []).catch(() => {});
      this.#fail(error, 'Import');
    }
  }

  /** Copy the preferred text of the selected (or all) images as Markdown. */
  async copySelected(): Promise<void> {
    const { library } = this.#deps;
    const items = this.scope.flatMap((image) => {
      const result = pickPreferredResult(library.resultsByImage.get(image.sha256) ?? []);
      return result ? [{ name: image.name, text: result.text }] : [];
    });
    if (items.length === 0) return this.#finish('Nothing to copy yet: no results.');
    await navigator.clipboard.writeText(formatForClipboard(items));
    this.#finish(`Copied ${items.length} ${items.length === 1 ? 'result' : 'results'} to the clipboard.`);
  }

  cancel(): void {
    this.#controller?.abort();
  }

  #begin(phase: 'exporting' | 'importing'): AbortController {
    this.#controller?.abort();
    this.#controller = new AbortController();
    this.#phase = phase;
    this.#done = 0;
    this.#total = 0;
    this.#message = '';
    this.#isError = false;
    return this.#controller;
  }

  #finish(message: string): void {
    this.#phase = 'idle';
    this.#message = message;
    this.#isError = false;
  }

  #fail(error: unknown, what: string): void {
    this.#phase = 'idle';
    this.#isError = !isAbortError(error);
    this.#message = isAbortError(error)
      ? `${what} cancelled.`
      : error instanceof ImportError || error instanceof ZipTooLargeError
        ? error.message
        : `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
