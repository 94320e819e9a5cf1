import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../documents/types.ts';
import type { ImageRecord } from '../library/types.ts';
import { decksToExport, planDeckNotes } from './deck-notes.ts';

const deck = (id: string, name: string, notes?: string): DocumentRecord => ({ id, name, kind: 'pptx', size: 1, partCount: 3, addedAt: 1, notes, notedPartCount: notes ? 1 : 0 });
const picture = (documentId: string) => ({ sha256: `p-${documentId}`, source: { documentId, part: 2 } }) as ImageRecord;

describe('deck notes in an export', () => {
  it('writes <deck>.txt with the notes, clear of names already used', () => {
    const entries = planDeckNotes([deck('a', 'team.pptx', '=== Slide 1 ===\nHello')], ['results.json', 'team.txt']);
    expect(entries).toEqual([{ path: 'team (2).txt', kind: 'text', text: '=== Slide 1 ===\nHello\n' }]);
  });

  it('covers every deck with notes for a whole export, and only the selected pictures\' decks otherwise', () => {
    const decks = [deck('a', 'a.pptx', 'x'), deck('b', 'b.pptx', 'y'), deck('c', 'c.pptx')];
    expect(decksToExport(decks, [], true).map((d) => d.id)).toEqual(['a', 'b']);
    expect(decksToExport(decks, [picture('b')], false).map((d) => d.id)).toEqual(['b']);
  });
});
