import { describe, expect, it } from 'vitest';
import { LoopWatcher, findRepetitionLoop } from './loop-detector.ts';

const repeat = (unit: string, times: number) => unit.repeat(times);

describe('findRepetitionLoop: loops', () => {
  it('finds the same line over and over, keeping the text before it and one occurrence', () => {
    const text = `# Notes\n\nThe cat came in.\n${repeat('The cat sat.\n', 40)}The cat s`;
    const loop = findRepetitionLoop(text);
    expect(loop?.kept).toBe('# Notes\n\nThe cat came in.\nThe cat sat.');
    expect(loop?.repeats).toBeGreaterThanOrEqual(40);
  });

  it('finds a phrase repeating inside one line, cut at a word end', () => {
    const text = `Receipt from the market. Total paid in cash${repeat(' and the dog barked', 20)}`;
    expect(findRepetitionLoop(text)?.kept).toBe('Receipt from the market. Total paid in cash and the dog barked');
  });

  it('finds a block of table rows repeating', () => {
    const head = '| Item | Qty | Price |\n|---|---|---|\n| Bread | 1 | 2.10 |\n';
    const block = '| Milk | 2 | 1.80 |\n| Eggs | 12 | 3.40 |\n';
    const loop = findRepetitionLoop(head + repeat(block, 10));
    expect(loop?.kept).toBe(`${head}${block}`.trimEnd());
    expect(loop?.unit).toBe(block);
  });

  it('finds a short token loop and a loop in text without spaces', () => {
    expect(findRepetitionLoop(`Value: ${repeat('0 ', 150)}`)?.kept).toBe('Value: 0');
    expect(findRepetitionLoop(`領収書${repeat('合計金額', 80)}`)?.kept).toBe('領収書合計金額');
  });

  it('finds a loop that began at the very start', () => {
    expect(findRepetitionLoop(repeat('Lorem ipsum dolor. ', 30))?.kept).toBe('Lorem ipsum dolor.');
  });
});

describe('findRepetitionLoop: normal text', () => {
  it('leaves a Markdown table alone', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| ${i + 1} | Widget ${String.fromCharCode(65 + (i % 26))} | 1 | ${(i * 1.5).toFixed(2)} |`);
    expect(findRepetitionLoop(['| # | Item | Qty | Price |', '|---|---|---|---|', ...rows].join('\n'))).toBeUndefined();
  });

  it('leaves a numbered list and a bullet list alone', () => {
    expect(findRepetitionLoop(Array.from({ length: 60 }, (_, i) => `${i + 1}. Step`).join('\n'))).toBeUndefined();
    expect(findRepetitionLoop(Array.from({ length: 60 }, (_, i) => `- item ${i}`).join('\n'))).toBeUndefined();
  });

  it('leaves a receipt with repeated "1 x" lines alone', () => {
    const items = ['Coffee', 'Tea', 'Croissant', 'Water', 'Muffin', 'Bagel', 'Juice', 'Toast'];
    const lines = Array.from({ length: 48 }, (_, i) => `1 x ${items[i % items.length]}   ${(2 + (i % 5) * 0.3).toFixed(2)}`);
    expect(findRepetitionLoop(`CAFÉ CENTRAL\n${lines.join('\n')}\nTOTAL 104.40`)).toBeUndefined();
  });

  it('leaves a poem with a refrain alone', () => {
    const verses = ['The wind blew over the hill,', 'The rain came down on the mill,', 'The sun rose over the sea,', 'The moon sang softly to me,'];
    const refrain = 'And still the river runs, the river runs.';
    const poem = verses.map((verse) => `${verse}\nAnd nobody heard it at all,\n${refrain}\n${refrain}\n`).join('\n');
    expect(findRepetitionLoop(poem)).toBeUndefined();
  });

  it('leaves rules, dot leaders and empty table rows alone', () => {
    expect(findRepetitionLoop(`Contents\nIntroduction ${'.'.repeat(300)} 1\n${'-'.repeat(500)}`)).toBeUndefined();
    expect(findRepetitionLoop(`| Name | Date |\n|---|---|\n${repeat('|  |  |\n', 60)}`)).toBeUndefined();
  });

  it('leaves a few identical blocks alone (a sheet of address labels)', () => {
    expect(findRepetitionLoop(repeat('Jane Doe\n12 High Street\nGlencoe PH49 4HX\n\n', 4))).toBeUndefined();
  });
});

describe('LoopWatcher', () => {
  it('streams a long ordinary document without finding a loop', () => {
    // Words from a small vocabulary in a fixed pseudo-random order: many repeated words and
    // prefixes, as in real text, but no unit repeating back to back.
    const words = ['the', 'invoice', 'total', 'paid', 'on', 'date', 'item', 'qty', '1', 'x', '-', '|', 'and', 'of', 'to', 'page'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const watcher = new LoopWatcher();
    let text = '';
    for (let i = 0; i < 4000; i++) {
      text += `${words[next() % words.length]}${next() % 9 === 0 ? '\n' : ' '}`;
      expect(watcher.check(text)).toBeUndefined();
    }
  });

  it('finds a loop as the reply streams in, long before it ends', () => {
    const watcher = new LoopWatcher();
    let text = 'A page of notes.\n';
    let found;
    let pieces = 0;
    while (!found && pieces < 500) {
      text += 'The cat sat.\n';
      pieces++;
      found = watcher.check(text);
    }
    expect(found?.kept).toBe('A page of notes.\nThe cat sat.');
    expect(pieces).toBeLessThan(30);
  });
});
