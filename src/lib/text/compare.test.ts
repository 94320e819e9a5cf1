import { describe, expect, it } from 'vitest';
import { agreement, diffTexts, meanAgreement } from './compare.ts';

describe('diffTexts', () => {
  it('marks the words one text has and the other lacks, keeping the shared ones', () => {
    const parts = diffTexts('A red boat on a loch', 'A blue boat on a loch');
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['red']);
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['blue']);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe('A red boat on a loch');
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe('A blue boat on a loch');
  });

  it('finds nothing to mark in equal texts', () => {
    expect(diffTexts('same text', 'same text').every((p) => p.kind === 'same')).toBe(true);
  });
});

describe('agreement', () => {
  it('is 1 for texts that differ only in layout, 0 for nothing alike', () => {
    expect(agreement('Glencoe  at dusk\n', 'Glencoe at dusk')).toBe(1);
    expect(agreement('aaaa', 'bbbb')).toBe(0);
    expect(agreement('', '')).toBe(1);
  });

  it('falls with each character changed', () => {
    expect(agreement('abcdefghij', 'abcdefghiX')).toBeCloseTo(0.9);
  });

  it('averages every pair, and has nothing to say about one text', () => {
    expect(meanAgreement(['abcd', 'abcd', 'wxyz'])).toBeCloseTo(1 / 3);
    expect(meanAgreement(['only one'])).toBeUndefined();
  });
});
