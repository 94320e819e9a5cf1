import { describe, expect, it } from 'vitest';
import { joinTextItems } from './text-layer.ts';

describe('joinTextItems', () => {
  it('joins items in content order, breaking lines where pdf.js marks an end of line', () => {
    const items = [{ str: 'Quarterly', hasEOL: false }, { str: ' ' }, { str: 'report', hasEOL: true }, {}, { str: 'Revenue  grew', hasEOL: true }];
    expect(joinTextItems(items)).toBe('Quarterly report\nRevenue grew');
  });

  it('keeps one blank line between paragraphs and nothing of a page without text', () => {
    expect(joinTextItems([{ str: 'One', hasEOL: true }, { str: '', hasEOL: true }, { str: ' ', hasEOL: true }, { str: '', hasEOL: true }, { str: 'Two' }])).toBe('One\n\nTwo');
    expect(joinTextItems([{ str: ' ', hasEOL: true }, {}])).toBe('');
  });
});
