import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { BROKEN_DECK, SLIDE_PICTURE, makeGoogleSlidesDeck, makePowerPointDeck } from '../../../tests/fixtures/decks.ts';
import { DeckReadError, describeSlideContext, formatSpeakerNotes, readPptx, resolvePartPath } from './pptx.ts';

const blobOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

describe('readPptx', () => {
  it('reads a PowerPoint deck: titles, body notes only, the slide-2 picture, the tiny icon skipped', async () => {
    const deck = await readPptx(blobOf(makePowerPointDeck()));
    expect(deck.slides.map((s) => [s.number, s.title, s.notes])).toEqual([
      [1, 'Welcome', 'Greet the room & introduce the team.'],
      [2, 'Our garden', ''],
      [3, 'Thanks', 'Ask for questions.'],
    ]);
    expect(deck.slides[1]?.pictures.map((p) => p.name)).toEqual(['image1.png']);
    expect(new Uint8Array(await (deck.slides[1]?.pictures[0]?.blob as Blob).arrayBuffer())).toEqual(new Uint8Array(SLIDE_PICTURE));
    expect(deck.slides[2]?.pictures).toEqual([]);
    expect(deck.skippedPictures).toBe(1);
  });

  it('reads a deck as Google Slides or Keynote write it: order from the presentation, untyped notes placeholders, several paragraphs', async () => {
    const deck = await readPptx(blobOf(makeGoogleSlidesDeck()));
    expect(deck.slides.map((s) => [s.number, s.title, s.notes])).toEqual([
      [1, 'Welcome', 'Greet the room & introduce the team.'],
      [2, 'Our garden', ''],
      [3, 'Thanks', 'Ask for questions.\nMention the\nnewsletter.'],
    ]);
    expect(deck.slides[1]?.pictures.map((p) => p.name)).toEqual(['image-2-1.png']);
  });

  it('gives the notes in the issue form, only slides with notes, a blank line between blocks', async () => {
    const notes = formatSpeakerNotes((await readPptx(blobOf(makePowerPointDeck()))).slides);
    expect(notes).toEqual({ count: 2, text: '=== Slide 1 ===\nGreet the room & introduce the team.\n\n=== Slide 3 ===\nAsk for questions.' });
  });

  it('refuses a file that is not a zip, and a zip with no presentation, with a sentence', async () => {
    await expect(readPptx(blobOf(BROKEN_DECK))).rejects.toThrow(new DeckReadError('This file is not a PowerPoint deck (.pptx): it is not a zip archive, or it is damaged.'));
    await expect(readPptx(blobOf(zipSync({ 'word/document.xml': strToU8('<w:document/>') })))).rejects.toThrow(/no presentation part/);
  });

  it('refuses a deck whose XML is broken', async () => {
    const bytes = zipSync({ 'ppt/presentation.xml': strToU8('<p:presentation xmlns:p="urn:p"><p:sldIdLst>') });
    await expect(readPptx(blobOf(bytes))).rejects.toThrow(/not well-formed XML/);
  });
});

describe('slide helpers', () => {
  it('resolves relative, "./" and absolute targets', () => {
    expect(resolvePartPath('ppt/slides/', '../media/image1.png')).toBe('ppt/media/image1.png');
    expect(resolvePartPath('ppt/', './slides/slide3.xml')).toBe('ppt/slides/slide3.xml');
    expect(resolvePartPath('ppt/', '/ppt/slides/slide2.xml')).toBe('ppt/slides/slide2.xml');
  });

  it('describes a slide for the model with its title and notes on one line', () => {
    expect(describeSlideContext({ title: 'Our garden', notes: 'Roses.\nTulips.' })).toBe('Slide title: Our garden; Speaker notes: Roses. Tulips.');
    expect(describeSlideContext({ title: '', notes: '' })).toBeUndefined();
  });
});
