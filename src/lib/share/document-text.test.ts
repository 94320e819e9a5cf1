import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../documents/types.ts';
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { planDocumentEntries } from './document-text.ts';

const report: DocumentRecord = { id: 'doc', name: 'report.pdf', kind: 'pdf', size: 10, partCount: 2, addedAt: 1 };
const pageImage = (part: number, documentId = 'doc'): ImageRecord => ({
  sha256: `${documentId}-p${part}`, name: `report.pdf — page ${part}`, type: 'image/png', size: 1, width: 1, height: 1, addedAt: part, source: { documentId, part },
});
const result = (sha256: string, text: string, createdAt: number, author: 'model' | 'person' = 'model'): ResultRecord => ({
  key: `${sha256}:${text}`, jobKey: `${sha256}:${text}`, sha256, model: 'm', taskId: 't', prompt: '', options: { maxSide: 1 }, text, author, createdAt,
});

describe('planDocumentEntries', () => {
  it('writes the document as one file from each page\'s preferred text, in page order', () => {
    const images = [pageImage(2), pageImage(1)];
    const results = [result('doc-p1', 'Model one', 5), result('doc-p1', 'Person one', 1, 'person'), result('doc-p2', 'Old two', 1), result('doc-p2', 'New two', 9)];
    const [entry, ...rest] = planDocumentEntries([report], images, results, { textExtension: 'md', taken: [] });
    expect(rest).toEqual([]);
    expect(entry).toEqual({ path: 'report.md', kind: 'text', text: '=== Page 1 ===\n\nPerson one\n\n=== Page 2 ===\n\nNew two\n' });
  });

  it('leaves out documents none of whose pages are exported, and never takes a name already used', () => {
    const other: DocumentRecord = { ...report, id: 'other' };
    const entries = planDocumentEntries([report, other], [pageImage(1)], [], { textExtension: 'txt', taken: ['Report.txt'] });
    expect(entries.map((e) => e.path)).toEqual(['report (2).txt']);
  });
});
