import { describe, expect, it } from 'vitest';
import { readConfidence } from './types.ts';

describe('readConfidence', () => {
  it('reads the built-in OCR’s first shape (0–100, weakest line) as 0–1', () => {
    expect(readConfidence({ mean: 93.5, lowestLine: 88 })).toEqual({ source: 'ocr', mean: 0.935, lowest: 0.88 });
  });

  it('reads the current shape with its weak spans', () => {
    const confidence = { source: 'logprobs', mean: 0.9, lowest: 0.4, weakSpans: [{ start: 3, end: 5, probability: 0.2 }] };
    expect(readConfidence(confidence)).toEqual(confidence);
  });

  it('refuses figures out of range, unknown sources and broken spans', () => {
    expect(readConfidence({ mean: 190, lowestLine: 80 })).toBeUndefined();
    expect(readConfidence({ source: 'logprobs', mean: 1.5, lowest: 0.4 })).toBeUndefined();
    expect(readConfidence({ source: 'guess', mean: 0.5, lowest: 0.4 })).toBeUndefined();
    expect(readConfidence({ source: 'ocr', mean: 0.5, lowest: 0.4, weakSpans: [{ start: 5, end: 2, probability: 0.1 }] })).toBeUndefined();
    expect(readConfidence('high')).toBeUndefined();
  });
});
