import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, NameRegistry, sanitizeFileName, slugify, splitExtension } from './names.ts';
import { isSafeEntryName, measureUtf8 } from '../zip/entry-names.ts';

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('sanitizeFileName', () => {
  it('keeps only the last segment of a path, so nothing can climb out of the folder', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\evil')).toBe('evil');
    expect(sanitizeFileName('/absolute/IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(sanitizeFileName('holiday\\2024\\IMG_2.jpg')).toBe('IMG_2.jpg');
    expect(sanitizeFileName('..')).toBe('image');
    expect(sanitizeFileName('folder/..')).toBe('image');
  });

  it('replaces characters Windows refuses and drops control characters', () => {
    expect(sanitizeFileName('a:b')).toBe('a_b');
    expect(sanitizeFileName('C:evil.png')).toBe('C_evil.png');
    expect(sanitizeFileName('what?<is>"this"|*.jpg')).toBe('what__is__this___.jpg');
    expect(sanitizeFileName('tab\there\u0000nul\u001b.jpg')).toBe('tabherenul.jpg');
    expect(sanitizeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
  });

  it('suffixes reserved device names, with or without an extension, in any case', () => {
    expect(sanitizeFileName('CON')).toBe('CON_');
    expect(sanitizeFileName('aux.txt')).toBe('aux_.txt');
    expect(sanitizeFileName('Nul.tar.gz')).toBe('Nul_.tar.gz');
    expect(sanitizeFileName('com1.jpg')).toBe('com1_.jpg');
    expect(sanitizeFileName('LPT9')).toBe('LPT9_');
    expect(sanitizeFileName('console.txt')).toBe('console.txt');
    expect(sanitizeFileName('com10.jpg')).toBe('com10.jpg');
  });

  it('removes trailing dots and spaces and leading dots', () => {
    expect(sanitizeFileName('name. . ')).toBe('name');
    expect(sanitizeFileName('.hidden.jpg')).toBe('hidden.jpg');
    expect(sanitizeFileName('  spaced.png  ')).toBe('spaced.png');
  });

  it('normalises to NFC and keeps emoji', () => {
    const decomposed = 'Cafe\u0301 🍰.jpg';
    const name = sanitizeFileName(decomposed);
    expect(name).toBe('Caf\u00e9 🍰.jpg');
    expect(name.normalize('NFC')).toBe(name);
  });

  it('shortens long names to the byte limit, keeping the extension and whole characters', () => {
    const long = sanitizeFileName(`${'a'.repeat(300)}.jpeg`);
    expect(bytes(long)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(long.endsWith('.jpeg')).toBe(true);
    const accented = sanitizeFileName(`${'e\u0301'.repeat(150)}.png`);
    expect(bytes(accented)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(accented).toMatch(/^é+\.png$/);
    const emoji = sanitizeFileName(`${'👩‍👩‍👧'.repeat(40)}.jpg`);
    expect(bytes(emoji)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(emoji.replace('.jpg', '')).toMatch(/^(👩‍👩‍👧)+$/u);
  });

  it('gives "image" for names with nothing usable', () => {
    expect(sanitizeFileName('')).toBe('image');
    expect(sanitizeFileName('   ')).toBe('image');
    expect(sanitizeFileName('...')).toBe('image');
    expect(sanitizeFileName('/')).toBe('image');
  });
});

describe('NameRegistry', () => {
  it('suffixes duplicates case-insensitively, before the extension', () => {
    const names = new NameRegistry();
    expect(names.claim('IMG_0042.md')).toBe('IMG_0042.md');
    expect(names.claim('img_0042.MD')).toBe('img_0042 (2).MD');
    expect(names.claim('Img_0042.md')).toBe('Img_0042 (3).md');
    expect(names.claim('other.md')).toBe('other.md');
  });

  it('treats NFC and NFD spellings as the same name', () => {
    const names = new NameRegistry();
    names.claim('caf\u00e9.md');
    expect(names.claim('cafe\u0301.md')).toBe('cafe\u0301 (2).md');
  });

  it('keeps suffixed names within the byte limit', () => {
    const names = new NameRegistry();
    const long = sanitizeFileName(`${'x'.repeat(300)}.md`);
    names.claim(long);
    const second = names.claim(long);
    expect(second.endsWith(' (2).md')).toBe(true);
    expect(bytes(second)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });
});

describe('isSafeEntryName', () => {
  it('refuses traversal, absolute paths, backslashes, drive letters and control characters', () => {
    for (const name of ['../x.jpg', 'a/../../x', '/etc/passwd', 'C:\\evil', 'C:evil', 'a\\b', 'a//b', './a', 'a\u0000b', '']) {
      expect(isSafeEntryName(name), name).toBe(false);
    }
  });
  it('accepts plain names and folders', () => {
    expect(isSafeEntryName('IMG_0042.jpg')).toBe(true);
    expect(isSafeEntryName('export/results.json')).toBe(true);
    expect(isSafeEntryName('..hidden-but-harmless')).toBe(true);
  });
});

describe('helpers', () => {
  it('measureUtf8 agrees with TextEncoder', () => {
    for (const text of ['abc', 'é', '€', '🍰', 'a\ud800b', 'Caf\u00e9 🍰']) expect(measureUtf8(text)).toBe(bytes(text));
  });
  it('splitExtension keeps dotless and odd names whole', () => {
    expect(splitExtension('photo.jpeg')).toEqual(['photo', '.jpeg']);
    expect(splitExtension('archive.tar.gz')).toEqual(['archive.tar', '.gz']);
    expect(splitExtension('README')).toEqual(['README', '']);
    expect(splitExtension('Mr. Smith at home')).toEqual(['Mr. Smith at home', '']);
  });
  it('slugify makes short ASCII tags from model names', () => {
    expect(slugify('qwen2.5vl:7b', 'model')).toBe('qwen2.5vl-7b');
    expect(slugify('hf.co/User/Model:Q4_K_M', 'model')).toBe('hf.co-user-model-q4-k-m');
    expect(slugify('Crème', 'model')).toBe('creme');
    expect(slugify('::', 'model')).toBe('model');
  });
});
