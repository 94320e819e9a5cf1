import { describe, expect, it } from 'vitest';
import { collectParagraphs, joinParagraphs, measureConfidence, type OcrBlock, type OcrLine } from './text.ts';

// A line as Tesseract gives it: words with confidences, text ending in "\n".
const line = (...words: [string, number][]): OcrLine => ({
  text: `${words.map(([text]) => text).join(' ')}\n`,
  words: words.map(([text, confidence]) => ({ text, confidence })),
});

const page: OcrBlock[] = [
  {
    paragraphs: [
      { lines: [line(['Invoice', 96], ['2024-118', 91]), line(['Due', 95], ['in', 97], ['30', 90], ['days', 94])] },
      { lines: [line(['Total:', 88], ['€1,204.50', 62])] },
    ],
  },
  { paragraphs: [{ lines: [line(['Thank', 93], ['you', 95])] }] },
];

describe('collectParagraphs', () => {
  it('keeps lines within a paragraph and separates paragraphs and blocks', () => {
    const paragraphs = collectParagraphs(page);
    expect(paragraphs).toEqual(['Invoice 2024-118\nDue in 30 days', 'Total: €1,204.50', 'Thank you']);
    expect(joinParagraphs(paragraphs)).toBe('Invoice 2024-118\nDue in 30 days\n\nTotal: €1,204.50\n\nThank you');
  });

  it('leaves out empty lines and paragraphs, and falls back to the words of a line without text', () => {
    const blocks: OcrBlock[] = [
      { paragraphs: [{ lines: [{ text: '  \n', words: [] }] }, { lines: [{ text: '', words: [{ text: 'Hello', confidence: 80 }, { text: 'there', confidence: 70 }] }] }] },
    ];
    expect(collectParagraphs(blocks)).toEqual(['Hello there']);
    expect(collectParagraphs([])).toEqual([]);
  });
});

describe('measureConfidence', () => {
  it('gives the mean over words and the mean of the weakest line', () => {
    const confidence = measureConfidence(page);
    // 10 words summing to 901; the weakest line is "Total: €1,204.50" at (88 + 62) / 2.
    expect(confidence).toMatchObject({ source: 'ocr', mean: 0.901, lowest: 0.75 });
  });

  it('marks the weakest words where they stand in the joined text', () => {
    const text = joinParagraphs(collectParagraphs(page));
    const spans = measureConfidence(page)?.weakSpans ?? [];
    expect(spans.map((span) => [text.slice(span.start, span.end), span.probability])).toEqual([['€1,204.50', 0.62]]);
  });

  it('weighs every word equally, whatever its line', () => {
    const blocks: OcrBlock[] = [{ paragraphs: [{ lines: [line(['a', 100]), line(['b', 40], ['c', 40], ['d', 40])] }] }];
    expect(measureConfidence(blocks)).toMatchObject({ mean: 0.55, lowest: 0.4 });
  });

  it('ignores blank words and is undefined when nothing was read', () => {
    expect(measureConfidence([{ paragraphs: [{ lines: [line(['ok', 80], [' ', 0])] }] }])).toEqual({ source: 'ocr', mean: 0.8, lowest: 0.8, weakSpans: [] });
    expect(measureConfidence([])).toBeUndefined();
    expect(measureConfidence([{ paragraphs: [{ lines: [{ text: '\n', words: [] }] }] }])).toBeUndefined();
  });
});
