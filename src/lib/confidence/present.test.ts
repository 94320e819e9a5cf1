import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../library/types.ts';
import { compareWithFirst, describeConfidence, groupForComparison, NO_CONFIDENCE, quoteSpan, splitAtSpans } from './present.ts';

describe('describeConfidence', () => {
  it('says the figures per source, and says so when there are none', () => {
    expect(describeConfidence({ source: 'logprobs', mean: 0.874, lowest: 0.41 })).toBe('Confidence 87% (weakest run 41%)');
    expect(describeConfidence({ source: 'ocr', mean: 0.94, lowest: 0.89 })).toBe('Word confidence 94% (weakest line 89%)');
    expect(describeConfidence(undefined)).toBe(NO_CONFIDENCE);
  });
});

describe('splitAtSpans', () => {
  it('cuts the text at its weak spans, skipping any out of range', () => {
    expect(splitAtSpans('Paid 42 euros', [{ start: 5, end: 7, probability: 0.2 }, { start: 10, end: 99, probability: 0.1 }])).toEqual([
      { text: 'Paid ' },
      { text: '42', probability: 0.2 },
      { text: ' euros' },
    ]);
    expect(splitAtSpans('', undefined)).toEqual([{ text: '' }]);
  });

  it('quotes a span shortly', () => {
    expect(quoteSpan('a  very\nlong words', { start: 0, end: 18, probability: 0.1 }, 10)).toBe('a very lo…');
  });
});

describe('compareWithFirst', () => {
  it('shows what each text adds and what the second lacks, with the agreements', () => {
    const { reference, others, mean } = compareWithFirst(['Total 42 euros', 'Total 47 euros']);
    expect(reference.filter((p) => p.kind === 'removed').map((p) => p.text)).toEqual(['42']);
    expect(others[0]?.parts.filter((p) => p.kind === 'added').map((p) => p.text)).toEqual(['47']);
    expect(others[0]?.agreement).toBeCloseTo(1 - 1 / 14, 5);
    expect(mean).toBeCloseTo(1 - 1 / 14, 5);
  });
});

describe('groupForComparison', () => {
  const result = (key: string, model: string, fields: Partial<ResultRecord> = {}): ResultRecord => ({
    key, jobKey: key, sha256: 's', model, taskId: 'extract-markdown', prompt: 'p', options: { maxSide: 1536 }, text: key, author: 'model', createdAt: 1, ...fields,
  });

  it('keeps tasks two or more models read, each model’s newest text, and no person’s', () => {
    const groups = groupForComparison([
      result('a1', 'a', { createdAt: 1 }), result('a2', 'a', { createdAt: 5 }), result('b', 'b', { createdAt: 3 }),
      result('mine', 'a', { author: 'person', createdAt: 9 }), result('d', 'a', { taskId: 'describe' }),
    ]);
    expect(groups).toEqual([{ taskId: 'extract-markdown', results: [expect.objectContaining({ key: 'b' }), expect.objectContaining({ key: 'a2' })] }]);
  });
});
