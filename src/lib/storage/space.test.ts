import { describe, expect, it } from 'vitest';
import { assessSpace, describeSpace, formatBytes } from './space.ts';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

describe('formatBytes', () => {
  it('uses powers of 1024 with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(2 * MB)).toBe('2 MB');
    expect(formatBytes(700 * MB)).toBe('700 MB');
    expect(formatBytes(1.25 * GB)).toBe('1.3 GB');
    expect(formatBytes(5000 * GB)).toBe('4.9 TB');
  });
});

describe('assessSpace', () => {
  it('is unknown when the browser gives no figures', () => {
    expect(assessSpace(undefined)).toBeUndefined();
    expect(assessSpace({})).toBeUndefined();
    expect(assessSpace({ usage: 10, quota: 0 })).toBeUndefined();
  });

  it('has room when plenty is free', () => {
    expect(assessSpace({ usage: 100 * MB, quota: 10 * GB })).toEqual({ used: 100 * MB, quota: 10 * GB, free: 10 * GB - 100 * MB, isLow: false });
  });

  it('warns under 200 MB left, even when that is more than a tenth of the quota', () => {
    expect(assessSpace({ usage: 150 * MB, quota: 300 * MB })?.isLow).toBe(true);
  });

  it('warns under a tenth of the quota left, even when that is more than 200 MB', () => {
    expect(assessSpace({ usage: 46 * GB, quota: 50 * GB })?.isLow).toBe(true);
    expect(assessSpace({ usage: 44 * GB, quota: 50 * GB })?.isLow).toBe(false);
  });

  it('never reports negative free space', () => {
    expect(assessSpace({ usage: 2 * GB, quota: GB })?.free).toBe(0);
  });
});

describe('describeSpace', () => {
  it('says what is used and what is free', () => {
    expect(describeSpace({ used: 12 * MB, quota: GB, free: GB - 12 * MB, isLow: false })).toBe('12 MB used · 1012 MB free');
  });
});
