// A dropped document's text as one file: its pages' preferred texts in page order, each under
// "=== Page N ===", beside the per-page files the export already has.
import { assembleDocumentText } from '../documents/assemble.ts';
import type { DocumentRecord } from '../documents/types.ts';
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { pickPreferredResult } from './manifest.ts';
import { sanitizeFileName, splitExtension } from './names.ts';
import type { ExportEntry } from './plan.ts';

/** A document's pages among these images, in page order. */
export function pagesOfDocument(documentId: string, images: readonly ImageRecord[]): ImageRecord[] {
  return images.filter((i) => i.source?.documentId === documentId).sort((a, b) => (a.source?.part ?? 0) - (b.source?.part ?? 0));
}

/** The document's text from its pages' preferred results ("=== Slide N ===" for a deck). */
export function buildDocumentText(document: DocumentRecord, pages: readonly ImageRecord[], resultsOf: (sha256: string) => readonly ResultRecord[]): string {
  const texts = pages.map((page) => ({ part: page.source?.part ?? 0, text: pickPreferredResult(resultsOf(page.sha256))?.text }));
  return assembleDocumentText(texts, document.kind === 'pptx' ? 'Slide' : 'Page');
}

/** The file name of a document's text: "report.pdf" → "report.md". */
export function documentTextName(document: DocumentRecord, textExtension: 'md' | 'txt'): string {
  const [stem] = splitExtension(sanitizeFileName(document.name, 'document'));
  return `${stem || 'document'}.${textExtension}`;
}

/** One entry per document with a page among the images; names never clash with `taken` paths. */
export function planDocumentEntries(
  documents: readonly DocumentRecord[],
  images: readonly ImageRecord[],
  results: readonly ResultRecord[],
  { textExtension, taken }: { textExtension: 'md' | 'txt'; taken: Iterable<string> },
): ExportEntry[] {
  const byImage = new Map<string, ResultRecord[]>();
  for (const result of results) byImage.set(result.sha256, [...(byImage.get(result.sha256) ?? []), result]);
  const used = new Set([...taken].map((p) => p.toLowerCase()));
  const entries: ExportEntry[] = [];
  for (const document of documents) {
    const pages = pagesOfDocument(document.id, images);
    if (pages.length === 0) continue;
    let path = documentTextName(document, textExtension);
    for (let n = 2; used.has(path.toLowerCase()); n++) path = path.replace(/( \(\d+\))?(\.[a-z]+)$/, ` (${n})$2`);
    used.add(path.toLowerCase());
    entries.push({ path, kind: 'text', text: buildDocumentText(document, pages, (sha256) => byImage.get(sha256) ?? []) });
  }
  return entries;
}
