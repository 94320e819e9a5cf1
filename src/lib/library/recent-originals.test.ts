import { describe, expect, it } from 'vitest';
import { RecentOriginals } from './recent-originals.ts';

const blob = (text: string) => new Blob([text]);

describe('RecentOriginals', () => {
  it('hands each kept Blob out once', () => {
    const originals = new RecentOriginals();
    const a = blob('a');
    originals.keep('aa', a);
    expect(originals.take('aa')).toBe(a);
    expect(originals.take('aa')).toBeUndefined();
  });

  it('keeps only the newest few, so a large drop holds no more than that', () => {
    const originals = new RecentOriginals(2);
    originals.keep('aa', blob('a'));
    originals.keep('bb', blob('b'));
    originals.keep('cc', blob('c'));
    expect(originals.take('aa')).toBeUndefined();
    expect(originals.take('bb')).toBeDefined();
    expect(originals.take('cc')).toBeDefined();
  });

  it('keeps an image kept again as the newest, and forgets a deleted one', () => {
    const originals = new RecentOriginals(2);
    originals.keep('aa', blob('a'));
    originals.keep('bb', blob('b'));
    originals.keep('aa', blob('a2'));
    originals.keep('cc', blob('c'));
    expect(originals.take('bb')).toBeUndefined();
    expect(originals.take('aa')).toBeDefined();
    originals.forget('cc');
    expect(originals.take('cc')).toBeUndefined();
  });
});
