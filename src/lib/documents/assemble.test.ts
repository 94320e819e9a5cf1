import { describe, expect, it } from 'vitest';
import { BLANK_PAGE_TEXT, PDF_TEXT_LAYER_MODEL, assembleDocumentText, buildPageTextResult, isPdfOwnText } from './assemble.ts';
import { PAGE_MAX_SIDE, pageScale } from './pdf-page.ts';

describe('assembleDocumentText', () => {
  it('puts pages in page order under "=== Page N ===", whatever order they come in', () => {
    const text = assembleDocumentText([
      { part: 3, text: 'Third' },
      { part: 1, text: '  First\n' },
      { part: 2, text: 'Second' },
    ]);
    expect(text).toBe('=== Page 1 ===\n\nFirst\n\n=== Page 2 ===\n\nSecond\n\n=== Page 3 ===\n\nThird\n');
  });

  it('says when a page has no text yet, and names slides for a deck', () => {
    expect(assembleDocumentText([{ part: 1, text: undefined }, { part: 2, text: '  ' }], 'Slide')).toBe('=== Slide 1 ===\n\n(no text yet)\n\n=== Slide 2 ===\n\n(no text yet)\n');
  });
});

describe('buildPageTextResult', () => {
  it('keeps a text layer as a model-less result, a version of the same ask each time', () => {
    const first = buildPageTextResult('abc', 'text-layer', 'Hello', 1);
    expect(first).toMatchObject({ sha256: 'abc', model: PDF_TEXT_LAYER_MODEL, text: 'Hello', author: 'model', engine: 'PDF text layer' });
    expect(buildPageTextResult('abc', 'text-layer', 'Hello again', 2).jobKey).toBe(first.jobKey);
    expect(first.jobKey).not.toBe(buildPageTextResult('abd', 'text-layer', 'Hello', 1).jobKey);
  });

  it('gives a blank page a note of its own, under another key', () => {
    const blank = buildPageTextResult('abc', 'blank', '', 1);
    expect(blank.text).toBe(BLANK_PAGE_TEXT);
    expect(blank.key).not.toBe(buildPageTextResult('abc', 'text-layer', 'x', 1).key);
    expect(isPdfOwnText(blank.model)).toBe(true);
    expect(isPdfOwnText('gemma3:4b')).toBe(false);
  });
});

describe('pageScale', () => {
  it('renders a Letter page at 200 dpi, and a poster no larger than the OCR limit', () => {
    expect(Math.round(612 * pageScale(612, 792))).toBe(1700);
    expect(Math.round(2384 * pageScale(2384, 3370))).toBeLessThan(PAGE_MAX_SIDE);
    expect(Math.round(3370 * pageScale(2384, 3370))).toBe(PAGE_MAX_SIDE);
  });
});
