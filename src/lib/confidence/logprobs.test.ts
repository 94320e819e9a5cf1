import { describe, expect, it } from 'vitest';
import { measureTokenConfidence, placeTokens, type PlacedToken } from './logprobs.ts';

/** Tokens laid end to end over `parts`, each with its probability. */
function tokens(parts: [string, number][]): { text: string; placed: PlacedToken[] } {
  let text = '';
  const placed: PlacedToken[] = [];
  for (const [token, probability] of parts) {
    placed.push(...placeTokens(token, text.length, [{ token, logprob: Math.log(probability) }]));
    text += token;
  }
  return { text, placed };
}

describe('placeTokens', () => {
  it('lays a chunk’s tokens end to end from where the chunk begins', () => {
    expect(placeTokens('Hello world', 10, [{ token: 'Hello', logprob: -0.1 }, { token: ' world', logprob: -0.2 }])).toEqual([
      { start: 10, end: 15, logprob: -0.1 },
      { start: 15, end: 21, logprob: -0.2 },
    ]);
  });

  it('keeps tokens inside the chunk when their text does not match it, and skips non-numbers', () => {
    const placed = placeTokens('ab', 0, [{ token: 'abc', logprob: -1 }, { token: 'x', logprob: Number.NaN }, { token: 'd', logprob: -2 }]);
    expect(placed).toEqual([{ start: 0, end: 2, logprob: -1 }, { start: 2, end: 2, logprob: -2 }]);
  });
});

describe('measureTokenConfidence', () => {
  it('gives the mean token probability and the lowest run of five', () => {
    const { text, placed } = tokens([['The', 1], [' total', 1], [' is', 1], [' 4', 0.2], ['2', 0.3], [' euros', 1], ['.', 1]]);
    const confidence = measureTokenConfidence(text, placed);
    expect(confidence?.source).toBe('logprobs');
    expect(confidence?.mean).toBeCloseTo(5.5 / 7, 3);
    // Windows of five: the lowest holds both unsure digits (1+1+0.2+0.3+1 or 1+0.2+0.3+1+1).
    expect(confidence?.lowest).toBeCloseTo(3.5 / 5, 3);
  });

  it('marks the whole word holding an unsure token, merged and in text order', () => {
    const { text, placed } = tokens([['Paid', 0.99], [' 4', 0.2], ['2', 0.3], [' euros', 0.98], [' to', 0.45], [' Bob', 0.9]]);
    const confidence = measureTokenConfidence(text, placed);
    expect(confidence?.weakSpans).toEqual([
      { start: 5, end: 7, probability: 0.2 },
      { start: 14, end: 16, probability: 0.45 },
    ]);
    expect(text.slice(5, 7)).toBe('42');
    expect(text.slice(14, 16)).toBe('to');
  });

  it('keeps only the five weakest spans, in text order', () => {
    const parts: [string, number][] = [0.1, 0.4, 0.2, 0.3, 0.05, 0.35, 0.45].map((p, i) => [` w${i}`, p]);
    const spans = measureTokenConfidence(...Object.values(tokens(parts)) as [string, PlacedToken[]])?.weakSpans ?? [];
    expect(spans.map((s) => s.probability)).toEqual([0.1, 0.2, 0.3, 0.05, 0.35]);
  });

  it('leaves out tokens past the kept text (a reply cut where a loop began)', () => {
    const { text, placed } = tokens([['Good', 1], [' text', 1], [' loop', 0.01], [' loop', 0.01]]);
    const kept = text.slice(0, 'Good text'.length);
    const confidence = measureTokenConfidence(kept, placed);
    expect(confidence?.mean).toBe(1);
    expect(confidence?.weakSpans).toEqual([]);
  });

  it('has no confidence without tokens', () => {
    expect(measureTokenConfidence('text', [])).toBeUndefined();
  });
});
