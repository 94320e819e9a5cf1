import { describe, expect, it } from 'vitest';
import { blankDecorativeAltTexts, checkAltText, checkAltTextResult } from './alt-text.ts';

describe('alt-text hygiene', () => {
  it('passes a short alt text that says what the image shows', () => {
    expect(checkAltText('A red kite hovering over a wheat field at dusk.')).toEqual([]);
  });
  it('warns above about 125 characters, saying how long it is', () => {
    const long = 'A '.padEnd(126, 'x');
    expect(long).toHaveLength(126);
    expect(checkAltText(long)).toEqual([expect.objectContaining({ kind: 'too-long', message: expect.stringContaining('126 characters') })]);
    expect(checkAltText('x'.repeat(125))).toEqual([]);
  });
  it.each(['Image of a cat on a sofa', 'Picture of a cat', 'Photo of a cat', 'An image of a cat', 'A photograph showing a cat', '"Screenshot of the settings page"'])(
    'flags the opening of "%s"',
    (text) => {
      expect(checkAltText(text).map((n) => n.kind)).toEqual(['redundant-opening']);
    },
  );
  it('does not flag "image" later in the sentence or words that merely start alike', () => {
    expect(checkAltText('Imagery of the Scottish coast in a travel brochure')).toEqual([]);
    expect(checkAltText('A cat next to a framed image of a dog')).toEqual([]);
  });
  it('says nothing about an image marked decorative or one the model called decorative', () => {
    expect(checkAltTextResult({ text: 'Image of a border' }, true)).toEqual([]);
    expect(checkAltTextResult({ text: '{}', fields: { alt: '', is_decorative: true } }, false)).toEqual([]);
    expect(checkAltTextResult({ text: '{}', fields: { alt: 'Picture of a cat', is_decorative: false } }, false).map((n) => n.kind)).toEqual(['redundant-opening']);
  });
  it('blanks the alt text of decorative images on export, and nothing else', () => {
    const results = [
      { sha256: 'a', taskId: 'alt-text', text: 'A swirl' },
      { sha256: 'a', taskId: 'describe', text: 'A blue swirl on white' },
      { sha256: 'a', taskId: 'alt-text-structured', text: '{"alt":"A swirl"}', fields: { alt: 'A swirl', is_decorative: false } },
      { sha256: 'b', taskId: 'alt-text', text: 'A kite' },
    ];
    const blanked = blankDecorativeAltTexts(results, new Set(['a']), (id) => id.startsWith('alt-text'));
    expect(blanked.map((r) => r.text)).toEqual(['', 'A blue swirl on white', '', 'A kite']);
    expect(blanked[2]?.fields).toEqual({ alt: '', is_decorative: false });
    expect(results[0]?.text).toBe('A swirl');
  });
});
