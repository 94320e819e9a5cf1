import { describe, expect, it } from 'vitest';
import { joinTileTexts, joinTwoTexts } from './join-tiles.ts';

// Lines as alike as a receipt's: each differs from its neighbours by a few characters only.
const lines = (from: number, to: number, word = 'apples') =>
  Array.from({ length: to - from }, (_, i) => `${from + i}. ${word} and ${['pears', 'figs', 'plums', 'limes'][(from + i) % 4]} for ${(from + i) * 3} pence`);
const text = (...parts: string[][]) => parts.flat().join('\n');
/** Each second tile below repeats the first's last 5 of 20 lines. */
const SHARE = 0.25;

describe('joinTwoTexts', () => {
  it('reads an exact overlap once', () => {
    expect(joinTwoTexts(text(lines(1, 20)), text(lines(15, 35)), { overlapShare: SHARE })).toBe(text(lines(1, 35)));
  });

  it('reads a fuzzy overlap once, keeping the first reading', () => {
    const second = lines(15, 35);
    second[0] = second[0]!.replace('apples', 'appies');
    second[2] = second[2]!.replace('pence', 'pcnce');
    expect(joinTwoTexts(text(lines(1, 20)), text(second), { overlapShare: SHARE })).toBe(text(lines(1, 35)));
  });

  it('drops the halves of a line a tile edge cut, keeping it whole from the other tile', () => {
    // Line 20 is cut at the bottom of the first tile, line 14 at the top of the second.
    const first = text(lines(1, 20), ['2O. app1es aud']);
    const second = text(['l4 ,ples ond'], lines(15, 35));
    expect(joinTwoTexts(first, second, { overlapShare: SHARE })).toBe(text(lines(1, 35)));
  });

  it('keeps both texts whole when they share no line, so nothing is lost', () => {
    expect(joinTwoTexts(text(lines(1, 10)), text(lines(10, 20, 'cherries')), { overlapShare: SHARE })).toBe(text(lines(1, 10), lines(10, 20, 'cherries')));
  });

  it('keeps a line only one tile read inside the overlap', () => {
    const second = lines(14, 34);
    second.splice(3, 1);
    expect(joinTwoTexts(text(lines(1, 20)), text(second), { overlapShare: SHARE })).toBe(text(lines(1, 34)));
    const first = lines(1, 20);
    first.splice(16, 1);
    expect(joinTwoTexts(text(first), text(lines(14, 34)), { overlapShare: SHARE })).toBe(text(lines(1, 34)));
  });

  it('keeps paragraph breaks and Markdown marks of the first reading', () => {
    const first = text(['# Receipt', ''], lines(1, 14), [''], lines(14, 20));
    const second = text(lines(15, 16), ['', `**${lines(16, 17)[0]}**`], lines(17, 35));
    expect(joinTwoTexts(first, second, { overlapShare: SHARE })).toBe(text(['# Receipt', ''], lines(1, 14), [''], lines(14, 35)));
  });

  it('does not mistake a repeated line far up for the overlap', () => {
    const first = text(['Total 12.00'], lines(1, 30));
    const second = text(lines(26, 46), ['Total 12.00']);
    expect(joinTwoTexts(first, second, { overlapShare: SHARE })).toBe(text(['Total 12.00'], lines(1, 46), ['Total 12.00']));
  });

  it('shows a streaming second text only once it reaches past the overlap', () => {
    const first = text(lines(1, 20));
    expect(joinTwoTexts(first, text(lines(15, 17)), { overlapShare: SHARE, firstTileLines: 19, isSecondPartial: true })).toBe(first);
    expect(joinTwoTexts(first, text(lines(15, 22)), { overlapShare: SHARE, firstTileLines: 19, isSecondPartial: true })).toBe(text(lines(1, 22)));
  });

  it('passes an empty side through', () => {
    expect(joinTwoTexts('', 'a\nb')).toBe('a\nb');
    expect(joinTwoTexts('a\nb', '  ')).toBe('a\nb');
  });
});

describe('joinTileTexts', () => {
  it('joins many tiles top to bottom with every line once', () => {
    const tiles = [lines(1, 40), lines(34, 74), lines(68, 108), lines(102, 130)].map((t) => text(t));
    expect(joinTileTexts(tiles, 0.15)).toBe(text(lines(1, 130)));
  });

  it('joins with the default share when the overlap is not known', () => {
    const tiles = [lines(1, 40), lines(34, 74), lines(68, 108)].map((t) => text(t));
    expect(joinTileTexts(tiles)).toBe(text(lines(1, 108)));
  });
});
