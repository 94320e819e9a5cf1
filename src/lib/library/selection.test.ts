import { describe, expect, it } from 'vitest';
import { rangeBetween, withRange } from './selection.ts';

const ORDER = ['a', 'b', 'c', 'd', 'e'];

describe('rangeBetween', () => {
  it('covers anchor to target in list order, either way round', () => {
    expect(rangeBetween(ORDER, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(ORDER, 'd', 'b')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(ORDER, 'c', 'c')).toEqual(['c']);
  });

  it('is the target alone without an anchor, or when the anchor is filtered out', () => {
    expect(rangeBetween(ORDER, undefined, 'c')).toEqual(['c']);
    expect(rangeBetween(ORDER, 'zz', 'c')).toEqual(['c']);
    expect(rangeBetween(ORDER, 'a', 'zz')).toEqual([]);
  });
});

describe('withRange', () => {
  it('ticks or unticks the whole range and keeps the rest', () => {
    expect(withRange(new Set(['a']), ['c', 'd'], true)).toEqual(new Set(['a', 'c', 'd']));
    expect(withRange(new Set(['a', 'c', 'd']), ['b', 'c'], false)).toEqual(new Set(['a', 'd']));
  });
});
