import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../library/types.ts';
import { agreementWithOthers, flagForReview } from './review.ts';

const result = (fields: Partial<ResultRecord>): ResultRecord => ({
  key: 'k', jobKey: 'k', sha256: 's', model: 'a', taskId: 'extract-markdown', prompt: 'p', options: { maxSide: 1536 }, text: 'Total 42 euros',
  author: 'model', createdAt: 1, ...fields,
});

describe('flagForReview', () => {
  it('flags a text whose mean confidence is below the threshold, saying how low', () => {
    const flagged = flagForReview(result({ confidence: { source: 'logprobs', mean: 0.41, lowest: 0.1 } }), 0.6);
    expect(flagged).toMatchObject({ needsReview: true, reviewReason: 'Low confidence: 41%.' });
  });

  it('leaves a confident text, and one with no confidence, alone', () => {
    const sure = result({ confidence: { source: 'ocr', mean: 0.9, lowest: 0.5 } });
    expect(flagForReview(sure, 0.6)).toBe(sure);
    const unknown = result({});
    expect(flagForReview(unknown, 0.6)).toBe(unknown);
  });

  it('flags low agreement too, after a reason it already has', () => {
    const looped = result({ needsReview: true, reviewReason: 'The model repeated itself.' });
    expect(flagForReview(looped, 0.6, 0.3).reviewReason).toBe('The model repeated itself. Models disagree: 30% agreement.');
  });
});

describe('agreementWithOthers', () => {
  it('compares with the newest text of each other model for the same task only', () => {
    const mine = result({ key: 'a', text: 'Total 42 euros' });
    const others = [
      result({ key: 'b1', model: 'b', text: 'nothing alike at all', createdAt: 1 }),
      result({ key: 'b2', model: 'b', text: 'Total 42 euros', createdAt: 2 }),
      result({ key: 'c', model: 'c', taskId: 'describe', text: 'A receipt' }),
    ];
    expect(agreementWithOthers(mine, others)).toBe(1);
    const third = result({ key: 'd', model: 'd', text: 'Total 47 euros' });
    expect(agreementWithOthers(mine, [...others, third])).toBeCloseTo((1 + (1 - 1 / 14)) / 2, 5);
    expect(agreementWithOthers(mine, [others[2]!])).toBeUndefined();
  });
});
