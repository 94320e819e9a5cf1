// Turning Tesseract's page layout into the text people read and the confidence stored with it.
// Pure: testable in Node with hand-made layouts.
import { findWeakSpans } from '../../confidence/logprobs.ts';
import type { Confidence } from '../../confidence/types.ts';

/** The parts of a Tesseract word, line, paragraph and block that Lenscribe reads. */
export interface OcrWord {
  text: string;
  /** 0–100. */
  confidence: number;
}
export interface OcrLine {
  text: string;
  words: OcrWord[];
}
export interface OcrParagraph {
  lines: OcrLine[];
}
export interface OcrBlock {
  paragraphs: OcrParagraph[];
}

/** Each paragraph's text, lines joined by "\n", in reading order; empty lines and paragraphs are left out. */
export function collectParagraphs(blocks: readonly OcrBlock[]): string[] {
  const paragraphs: string[] = [];
  for (const block of blocks) {
    for (const paragraph of block.paragraphs) {
      const lines = paragraph.lines.map(lineText).filter((line) => line !== '');
      if (lines.length > 0) paragraphs.push(lines.join('\n'));
    }
  }
  return paragraphs;
}

/** Paragraphs as one text: a blank line between paragraphs (and between blocks), as people write. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.join('\n\n');
}

// Tesseract ends every line's text with "\n"; a line it has no text for falls back to its words.
function lineText(line: OcrLine): string {
  const text = line.text.trim();
  if (text !== '') return text;
  return line.words.map((word) => word.text.trim()).filter(Boolean).join(' ');
}

/** A word Tesseract is less sure of than this (0–1) is marked as weak in the text. */
export const OCR_WEAK_BELOW = 0.7;

/**
 * Mean word confidence over the page, the mean of the weakest line (where a misread is most
 * likely), and the weakest words as places in the text joinParagraphs(collectParagraphs(blocks))
 * gives; 0–1, rounded to 0.001. Undefined when no word was read.
 */
export function measureConfidence(blocks: readonly OcrBlock[]): Confidence | undefined {
  const text = joinParagraphs(collectParagraphs(blocks));
  const scored: { start: number; end: number; probability: number }[] = [];
  let sum = 0;
  let count = 0;
  let lowest = Infinity;
  let offset = 0;
  for (const line of blocks.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))) {
    const shown = lineText(line);
    const lineStart = shown === '' ? -1 : text.indexOf(shown, offset);
    if (lineStart >= 0) offset = lineStart + shown.length;
    const words = line.words.filter((word) => word.text.trim() !== '' && Number.isFinite(word.confidence));
    if (words.length === 0) continue;
    let cursor = 0;
    for (const word of words) {
      const at = lineStart >= 0 ? shown.indexOf(word.text.trim(), cursor) : -1;
      if (at < 0) continue;
      cursor = at + word.text.trim().length;
      scored.push({ start: lineStart + at, end: lineStart + cursor, probability: word.confidence / 100 });
    }
    const lineSum = words.reduce((total, word) => total + word.confidence, 0);
    sum += lineSum;
    count += words.length;
    lowest = Math.min(lowest, lineSum / words.length);
  }
  if (count === 0) return undefined;
  return { source: 'ocr', mean: roundFraction(sum / count), lowest: roundFraction(lowest), weakSpans: findWeakSpans(text, scored, OCR_WEAK_BELOW) };
}

/** A 0–100 figure as 0–1, rounded to 0.001. */
function roundFraction(percent: number): number {
  return Math.round(percent * 10) / 1000;
}
