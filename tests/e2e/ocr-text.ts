// Checking text the built-in OCR read against what was drawn: Tesseract may misread a letter, so
// lines are compared by similarity, while lines and paragraphs must be exactly where they were.
import { expect } from 'vitest';

/** Share of matching characters (1 − edit distance / longer length). */
export function similarity(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return 1 - row[b.length]! / Math.max(a.length, b.length);
}

/** Expect `text` to hold these paragraphs of lines: one blank line between paragraphs, each line its own, mostly right. */
export function expectParagraphs(text: string, paragraphs: readonly (readonly string[])[]): void {
  const found = text.split('\n\n');
  expect(found, text).toHaveLength(paragraphs.length);
  found.forEach((paragraph, p) => {
    const lines = paragraph.split('\n');
    expect(lines, paragraph).toHaveLength(paragraphs[p]!.length);
    lines.forEach((line, l) => expect(similarity(line, paragraphs[p]![l]!), `${line} vs ${paragraphs[p]![l]}`).toBeGreaterThan(0.85));
  });
}
