import { describe, expect, it } from 'vitest';
import { formatForClipboard } from './markdown-copy.ts';

describe('formatForClipboard', () => {
  it('gives one result as just its text', () => {
    expect(formatForClipboard([{ name: 'IMG_1.jpg', text: 'A cat.\n' }])).toBe('A cat.\n');
  });
  it('gives several results headings and blank lines between them', () => {
    expect(
      formatForClipboard([
        { name: 'IMG_1.jpg', text: 'A cat.\n' },
        { name: 'IMG\n2.jpg', text: 'A dog.' },
      ]),
    ).toBe('## IMG_1.jpg\n\nA cat.\n\n## IMG 2.jpg\n\nA dog.');
  });
  it('gives nothing for nothing', () => {
    expect(formatForClipboard([])).toBe('');
  });
});
