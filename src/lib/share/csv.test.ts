import { describe, expect, it } from 'vitest';
import { buildResultsCsv, escapeCsvCell, formatCsv } from './csv.ts';
import type { ResultsJson } from './manifest.ts';

describe('escapeCsvCell', () => {
  it('quotes commas, quotes and newlines per RFC 4180', () => {
    expect(escapeCsvCell('plain')).toBe('plain');
    expect(escapeCsvCell('a, b')).toBe('"a, b"');
    expect(escapeCsvCell('say "cheese"')).toBe('"say ""cheese"""');
    expect(escapeCsvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(escapeCsvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(escapeCsvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(escapeCsvCell('+1')).toBe("'+1");
    expect(escapeCsvCell('-2')).toBe("'-2");
    expect(escapeCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCsvCell('\tcmd')).toBe("'\tcmd");
    expect(escapeCsvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(escapeCsvCell('a=b')).toBe('a=b');
  });
});

describe('formatCsv', () => {
  it('starts with a BOM and ends every row with CRLF', () => {
    expect(formatCsv([['a', 'b'], ['1', '2']])).toBe('\uFEFFa,b\r\n1,2\r\n');
  });
});

describe('buildResultsCsv', () => {
  it('writes the header and one row per version, with who wrote it, verified, preferred and confidence', () => {
    const json: ResultsJson = {
      format: 'lenscribe-results',
      version: 1,
      exportedAt: '2024-06-03T00:00:00.000Z',
      items: [
        {
          image: 'IMG,1.jpg',
          originalName: 'IMG,1.jpg',
          sha256: 'a'.repeat(64),
          type: 'image/jpeg',
          size: 1,
          width: 1,
          height: 1,
          addedAt: '2024-06-01T00:00:00.000Z',
          results: [
            { key: 'k2', model: 'llava:7b', task: 'caption', prompt: 'p', text: '- a list\n- of things', author: 'person', createdAt: '2024-06-02T00:00:00.000Z', options: { maxSide: 1 }, verified: true, preferred: true, editedFrom: 'k1' },
            { key: 'k1', model: 'llava:7b', task: 'caption', prompt: 'p', text: 'A "cat"', author: 'model', createdAt: '2024-06-01T00:00:00.000Z', options: { maxSide: 1 }, truncated: true, confidence: { source: 'ocr', mean: 0.875, lowest: 0.6 } },
          ],
          tasks: [],
          captions: {},
        },
      ],
    };
    expect(buildResultsCsv(json)).toBe(
      '\uFEFFfile,task,text,model,author,verified,preferred,confidence,truncated\r\n' +
        `"IMG,1.jpg",caption,"'- a list\n- of things",llava:7b,person,yes,yes,,\r\n` +
        '"IMG,1.jpg",caption,"A ""cat""",llava:7b,model,,,0.875,yes\r\n',
    );
  });
});
