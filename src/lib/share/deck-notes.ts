// A deck's speaker notes in an export: `<deck>.txt` beside the texts of its pictures.
import type { DocumentRecord } from '../documents/types.ts';
import type { ImageRecord } from '../library/types.ts';
import type { ExportEntry } from './plan.ts';
import { NameRegistry, sanitizeFileName, splitExtension } from './names.ts';

/** The decks an export covers: every deck with notes when all is exported, else those of the exported pictures. */
export function decksToExport(documents: readonly DocumentRecord[], images: readonly ImageRecord[], isEverything: boolean): DocumentRecord[] {
  const ids = new Set(images.map((i) => i.source?.documentId).filter(Boolean));
  return documents.filter((d) => d.kind === 'pptx' && d.notes && (isEverything || ids.has(d.id)));
}

/** One `<deck>.txt` per deck with notes, named clear of the paths the export already uses. */
export function planDeckNotes(decks: readonly DocumentRecord[], takenPaths: readonly string[]): ExportEntry[] {
  const names = new NameRegistry();
  for (const path of takenPaths) names.claim(path);
  return decks.map((deck) => {
    const [stem] = splitExtension(sanitizeFileName(deck.name));
    return { path: names.claimParts(stem || 'deck', '.txt'), kind: 'text', text: `${deck.notes ?? ''}\n` };
  });
}
