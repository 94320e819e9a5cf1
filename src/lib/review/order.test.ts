import { describe, expect, it } from 'vitest';
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { confidenceOf, countReviewed, describeProgress, firstUnreviewed, orderByCertainty, orderByList } from './order.ts';

const result = (key: string, fields: Partial<ResultRecord> = {}): ResultRecord => ({
  key, jobKey: key, sha256: `sha-${key}`, model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'p', options: { maxSide: 1 }, text: key, author: 'model', createdAt: 1, ...fields,
});
const ocr = (key: string, mean: number, fields: Partial<ResultRecord> = {}) => result(key, { confidence: { source: 'ocr', mean: mean / 100, lowest: (mean - 10) / 100 }, ...fields });
const image = (sha256: string): ImageRecord => ({ sha256, name: sha256, type: 'image/png', size: 1, width: 1, height: 1, addedAt: 1 });

describe('confidenceOf', () => {
  it('reads the OCR word confidence as 0–1, and nothing where the engine said nothing', () => {
    expect(confidenceOf(ocr('a', 87))).toBeCloseTo(0.87);
    expect(confidenceOf(ocr('a', 140))).toBe(1);
    expect(confidenceOf(ocr('a', Number.NaN))).toBeUndefined();
    expect(confidenceOf(result('a'))).toBeUndefined();
    expect(confidenceOf(ocr('a', 87, { author: 'person' }))).toBeUndefined();
  });
});

describe('orderByCertainty', () => {
  const results = [
    result('unknown-old', { createdAt: 1 }),
    ocr('sure', 96),
    ocr('doubtful', 41),
    result('flagged', { needsReview: true, reviewReason: 'The model repeated itself' }),
    ocr('verified-doubtful', 10, { verifiedAt: 5 }),
    result('unknown-new', { createdAt: 9 }),
    ocr('middling', 70),
    result('mine', { author: 'person' }),
  ];

  it('puts flagged texts first, then the least confident, texts without a confidence after, reviewed ones last', () => {
    expect(orderByCertainty(results)).toEqual(['flagged', 'doubtful', 'middling', 'sure', 'unknown-old', 'unknown-new', 'verified-doubtful', 'mine']);
  });

  it('can put texts without a confidence before those with one', () => {
    expect(orderByCertainty(results, true)).toEqual(['flagged', 'unknown-old', 'unknown-new', 'doubtful', 'middling', 'sure', 'verified-doubtful', 'mine']);
  });

  it('gives the same order whatever order the results come in', () => {
    expect(orderByCertainty([...results].reverse())).toEqual(orderByCertainty(results));
  });

  it('orders ten thousand results', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ocr(`r${i}`, (i * 37) % 100));
    const order = orderByCertainty(many);
    expect(order).toHaveLength(10_000);
    const means = order.map((key) => Number(key.slice(1)) * 37 % 100);
    expect(means.every((mean, i) => i === 0 || mean >= (means[i - 1] ?? 0))).toBe(true);
  });
});

describe('orderByList', () => {
  it('follows the shown images, keeping only the filter model and task', () => {
    const byImage = new Map([
      ['b', [result('b-gemma', { sha256: 'b' }), result('b-qwen', { sha256: 'b', model: 'qwen' })]],
      ['a', [result('a-gemma', { sha256: 'a' })]],
    ]);
    expect(orderByList([image('b'), image('a'), image('c')], byImage, { model: '', taskId: '' })).toEqual(['b-gemma', 'b-qwen', 'a-gemma']);
    expect(orderByList([image('b'), image('a')], byImage, { model: 'gemma3:4b', taskId: '' })).toEqual(['b-gemma', 'a-gemma']);
    expect(orderByList([image('a')], byImage, { model: '', taskId: 'describe' })).toEqual([]);
  });
});

describe('progress', () => {
  const byKey = new Map([ocr('a', 50, { verifiedAt: 1 }), result('b'), result('c', { author: 'person' }), result('d')].map((r) => [r.key, r]));

  it('counts texts accepted or written by a person, ignoring keys whose result is gone', () => {
    expect(countReviewed(['a', 'b', 'c', 'd', 'gone'], byKey)).toBe(2);
    expect(describeProgress(312, 9000)).toBe('312 of 9,000 reviewed');
  });

  it('finds the next text still to review', () => {
    expect(firstUnreviewed(['a', 'c', 'b', 'd'], byKey)).toBe(2);
    expect(firstUnreviewed(['a', 'c', 'b', 'd'], byKey, 3)).toBe(3);
    expect(firstUnreviewed(['a', 'c'], byKey)).toBe(0);
    expect(firstUnreviewed([], byKey)).toBe(0);
  });
});
