import { describe, expect, it } from 'vitest';
import { SearchIndex, normaliseText, tokenise } from './search.ts';

const result = (key: string, sha256: string, text: string) => ({ key, sha256, text });

describe('normaliseText and tokenise', () => {
  it('ignores case, accents, compatibility forms and sharp s', () => {
    expect(normaliseText('Crème BRÛLÉE ﬁnal Straße')).toBe('creme brulee final strasse');
    expect([...tokenise('Größe: 12,50 € — Total.')]).toEqual(['grosse', '12', '50', 'total']);
  });

  it('indexes Han and kana characters one by one, as they have no spaces between words', () => {
    expect([...tokenise('東京タワー 2024年')]).toEqual(['東', '京', 'タ', 'ワ', 'ー', '2024', '年']);
  });
});

describe('SearchIndex', () => {
  it('finds images by word prefix, case- and accent-insensitively', () => {
    const index = new SearchIndex();
    index.put(result('k1', 'a', '# Invoice\n\nTotal due: 42 €'));
    index.put(result('k2', 'b', 'A café on the corner'));
    index.put(result('k3', 'c', 'Nothing to see'));
    expect(index.findImages('inv')).toEqual(new Set(['a']));
    expect(index.findImages('CAFE')).toEqual(new Set(['b']));
    expect(index.findImages('Café')).toEqual(new Set(['b']));
    expect(index.findImages('t')).toEqual(new Set(['a', 'b', 'c']));
    // Every word must match: "inv tot" is in a, "inv see" nowhere.
    expect(index.findImages('inv tot')).toEqual(new Set(['a']));
    expect(index.findImages('inv see')).toEqual(new Set());
    // Prefix, not substring: "voice" does not start any word.
    expect(index.findImages('voice')).toEqual(new Set());
    expect(index.findImages('   ')).toEqual(new Set());
  });

  it('gathers every result of an image under it', () => {
    const index = new SearchIndex();
    index.put(result('k1', 'a', 'red apple'));
    index.put(result('k2', 'a', 'green pear'));
    expect(index.findImages('apple pear')).toEqual(new Set(['a']));
  });

  it('updates in place when a result is replaced or removed', () => {
    const index = new SearchIndex();
    index.put(result('k1', 'a', 'old words'));
    index.put(result('k2', 'b', 'old too'));
    index.put(result('k1', 'a', 'new words'));
    expect(index.findImages('old')).toEqual(new Set(['b']));
    expect(index.findImages('new')).toEqual(new Set(['a']));
    expect(index.size).toBe(2);
    index.remove('k2');
    expect(index.findImages('old')).toEqual(new Set());
    expect(index.size).toBe(1);
    index.clear();
    expect(index.findImages('new')).toEqual(new Set());
  });

  it('stays right across the sweep that drops replaced results', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 1500; i++) index.put(result(`k${i}`, `s${i}`, `word${i} shared`));
    // Replacing them all tombstones 1,500 entries, more than the live ones: a sweep runs midway.
    for (let i = 0; i < 1500; i++) index.put(result(`k${i}`, `s${i}`, i % 2 ? 'odd shared' : 'even shared'));
    expect(index.findImages('word1')).toEqual(new Set());
    expect(index.findImages('odd').size).toBe(750);
    expect(index.findImages('shared').size).toBe(1500);
    index.put(result('k0', 's0', 'word0 again'));
    expect(index.findImages('word0')).toEqual(new Set(['s0']));
    expect(index.findImages('even').size).toBe(749);
  });
});
