import { describe, expect, it } from 'vitest';
import { BROKEN_DECK, makeGoogleSlidesDeck, makePowerPointDeck } from '../../tests/fixtures/decks.ts';
import { readPptx } from '../lib/documents/pptx.ts';
import type { IdentifyOutcome } from '../lib/image/types.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord } from '../lib/library/types.ts';
import { DeckIntakeState } from './deck-intake.svelte.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

const deckFile = (name: string, bytes: Uint8Array) => ({ name, file: new File([bytes as Uint8Array<ArrayBuffer>], name) });

function setup() {
  const settings = new SettingsState({ getSetting: async () => undefined, setSetting: async () => {} } as unknown as LibraryStore);
  settings.set('model', 'gemma3:4b');
  settings.set('context', 'Event: open day');
  const library = new LibraryState({ saveDocument: async () => {} } as unknown as LibraryStore, queueMicrotask);
  const stored: ImageRecord[] = [];
  const jobs: JobRecord[] = [];
  const intake = new IntakeState({
    library, settings,
    encoder: { identify: async (blobs) => blobs.map((b): IdentifyOutcome => ({ isImage: true, image: { sha256: `sha-${(b as File).name}-${b.size}`, type: 'image/png', width: 64, height: 48 } })) },
    store: { saveNewImages: async (images) => void stored.push(...images.map((i) => i.record)) },
    queue: { enqueue: async (queued) => void jobs.push(...queued) },
  });
  const decks = new DeckIntakeState({ library, intake, readDeck: async (file) => ({ ...(await readPptx(file)), sha256: `deck-${file.size}` }) });
  return { decks, library, stored, jobs };
}

describe('DeckIntakeState', () => {
  it('keeps the notes on the deck and queues the slide-2 picture for alt text with the slide as context', async () => {
    const { decks, library, stored, jobs } = setup();
    await decks.add([deckFile('team.pptx', makePowerPointDeck())]);
    const [deck] = decks.decks;
    expect(deck).toMatchObject({ name: 'team.pptx', kind: 'pptx', partCount: 3, notedPartCount: 2 });
    expect(deck?.notes).toBe('=== Slide 1 ===\nGreet the room & introduce the team.\n\n=== Slide 3 ===\nAsk for questions.');
    expect(decks.summaryOf(deck!)).toBe('Extracted 2 slides with notes');
    expect(stored.map((i) => [i.name, i.source])).toEqual([
      ['team.pptx — slide 2 — image1.png', { documentId: deck?.id, part: 2, context: 'Slide title: Our garden' }],
    ]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ taskId: 'alt-text', context: 'Event: open day\nSlide title: Our garden' });
    expect(jobs[0]?.prompt).toContain('Slide title: Our garden');
    expect(library.rejected).toEqual([]);
  });

  it('lists a broken deck with its reason while the others carry on', async () => {
    const { decks, library, stored } = setup();
    await decks.add([deckFile('broken.pptx', BROKEN_DECK), deckFile('slides.pptx', makeGoogleSlidesDeck())]);
    expect(library.rejected.map((r) => [r.name, r.reason])).toEqual([['broken.pptx', 'This file is not a PowerPoint deck (.pptx): it is not a zip archive, or it is damaged.']]);
    expect(decks.decks.map((d) => [d.name, d.notedPartCount])).toEqual([['slides.pptx', 2]]);
    expect(stored).toHaveLength(1);
    expect(decks.isBusy).toBe(false);
  });
});
