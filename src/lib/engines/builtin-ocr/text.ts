// Turning Tesseract's page layout into the text people read and the confidence stored with it.
// Pure: testable in Node with hand-made layouts.
import type { OcrConfidence } from '../types.ts';

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

/**
 * Mean word confidence over the page, and the mean of the weakest line (where a misread is most
 * likely), both rounded to 0.1. Undefined when no word was read.
 */
export function measureConfidence(blocks: readonly OcrBlock[]): OcrConfidence | undefined {
  let sum = 0;
  let count = 0;
  let lowestLine = Infinity;
  for (const line of blocks.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))) {
    const words = line.words.filter((word) => word.text.trim() !== '' && Number.isFinite(word.confidence));
    if (words.length === 0) continue;
    const lineSum = words.reduce((total, word) => total + word.confidence, 0);
    sum += lineSum;
    count += words.length;
    lowestLine = Math.min(lowestLine, lineSum / words.length);
  }
  if (count === 0) return undefined;
  return { mean: roundTenth(sum / count), lowestLine: roundTenth(lowestLine) };
}

function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}
