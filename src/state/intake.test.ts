import { describe, expect, it } from 'vitest';
import type { IdentifyOutcome } from '../lib/image/types.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord } from '../lib/library/types.ts';
import { readsText } from '../lib/tasks/presets.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import type { AheadImage } from './queue.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

const files = (names: string[]): NamedFile[] => names.map((name) => ({ name, file: new File([name], name) }));

/** A file named `*.txt` is not an image; any other is, identified by its name (so equal names are one image). */
const outcomeOf = async (blob: Blob): Promise<IdentifyOutcome> => {
  const name = (blob as File).name;
  if (name.endsWith('.txt')) return { isImage: false, reason: 'This file is not an image Lenscribe can read.', isNotImage: true };
  return { isImage: true, image: { sha256: `sha-${name.replace(/ \(copy\)/, '')}`, type: 'image/png', width: 10, height: 10 } };
};

function setup({ model = 'gemma3:4b', isStoreFull = false } = {}) {
  const settingsStore = { getSetting: async () => undefined, setSetting: async () => {} } as unknown as LibraryStore;
  const settings = new SettingsState(settingsStore);
  if (model) settings.set('model', model);
  const library = new LibraryState({} as LibraryStore, queueMicrotask);
  const events: string[] = [];
  const gates: (() => void)[] = [];
  let isGated = false;
  const queueGates: (() => void)[] = [];
  let isQueueGated = false;
  const stored: ImageRecord[] = [];
  const enqueued: JobRecord[][] = [];
  const stoodBack: string[] = [];
  const kept: string[] = [];
  const ahead: AheadImage[] = [];
  const intake = new IntakeState({
    library,
    settings,
    encoder: {
      async identify(blobs) {
        events.push(`identify ${blobs.length}`);
        if (isGated) await new Promise<void>((resolve) => gates.push(resolve));
        return Promise.all(blobs.map(outcomeOf));
      },
    },
    store: {
      async saveNewImages(images) {
        if (isStoreFull) throw new Error('Storage is full: free some space (delete old results) and try again.');
        events.push(`store ${images.length}`);
        stored.push(...images.map((i) => i.record));
      },
    },
    queue: {
      async enqueue(jobs) {
        events.push(`enqueue ${jobs.length} ${ahead.map((a) => a.sha256).join()}`.trim());
        if (isQueueGated) await new Promise<void>((resolve) => queueGates.push(resolve));
        enqueued.push(jobs);
      },
      encodeAhead(blob, spec) {
        const maxSide = spec.options.maxSide;
        const canTile = readsText(spec.taskId);
        events.push(`ahead ${(blob as File).name} ${maxSide} ${canTile}`);
        const image: AheadImage = { maxSide, canTile, image: new Promise<never>(() => {}), controller: new AbortController() };
        ahead.push(image);
        return image;
      },
      dropAhead: (image) => void events.push(`drop ${image.sha256}`),
    },
    onStored: (sha256s) => {
      events.push(`stored ${sha256s.length}`);
      stoodBack.push(...sha256s);
    },
    originals: { keep: (sha256) => void kept.push(sha256) },
  });
  const gate = (isOn: boolean) => (isGated = isOn);
  const openGate = () => gates.shift()?.();
  const gateQueue = (isOn: boolean) => (isQueueGated = isOn);
  const openQueue = () => queueGates.shift()?.();
  return { intake, library, settings, events, stored, enqueued, stoodBack, kept, gate, openGate, gateQueue, openQueue };
}

/** The job counts of the queue calls, e.g. "enqueue 2". */
const enqueueCounts = (events: string[]) => events.filter((e) => e.startsWith('enqueue')).map((e) => e.split(' ').slice(0, 2).join(' '));

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('IntakeState.add', () => {
  it('queues the first file before the rest are identified, and shows progress meanwhile', async () => {
    const { intake, events, enqueued, gate, openGate, library } = setup();
    gate(true);
    const names = Array.from({ length: 10 }, (_, i) => `IMG_${i}.jpg`);
    const adding = intake.add(files(names));
    await flush();
    expect(intake.progressText).toBe('Adding 0 of 10…');
    openGate(); // the first file
    await flush();
    // The second batch is being identified while the first file is already queued.
    // The idle-time thumbnail pass hears of it only once its job is queued (that decode makes them).
    // The first file's encode began with the drop; its job (queued once the file is named) takes it.
    expect(events).toEqual(['ahead IMG_0.jpg 1536 true', 'identify 1', 'identify 2', 'store 1', 'enqueue 1 sha-IMG_0.jpg', 'drop sha-IMG_0.jpg', 'stored 1']);
    expect(enqueued[0]?.[0]?.sha256).toBe('sha-IMG_0.jpg');
    expect(library.focused).toBe('sha-IMG_0.jpg');
    expect(intake.progressText).toBe('Adding 1 of 10…');
    gate(false);
    while (intake.isBusy) {
      openGate();
      await flush();
    }
    await adding;
    expect(intake.progressText).toBe('');
    expect(library.images.map((i) => i.name)).toEqual(names);
    expect(library.images.every((i) => i.isDecoded === false)).toBe(true);
    expect(enqueued.flat().map((j) => j.sha256)).toEqual(names.map((n) => `sha-${n}`));
  });

  it('queues the first file before storing the rest, then lists batches while earlier ones are queued, queueing those stored meanwhile together', async () => {
    const { intake, library, events, enqueued, gateQueue, openQueue } = setup();
    gateQueue(true);
    const names = Array.from({ length: 7 }, (_, i) => `IMG_${i}.jpg`);
    let isAdded = false;
    const adding = intake.add(files([...names, 'IMG_3 (copy).jpg'])).then(() => (isAdded = true));
    await flush();
    expect(events).toEqual(['ahead IMG_0.jpg 1536 true', 'identify 1', 'identify 2', 'store 1', 'enqueue 1 sha-IMG_0.jpg']);
    openQueue();
    await flush();
    // The second batch's queueing is held: the later batches are stored and listed meanwhile.
    expect(enqueueCounts(events)).toEqual(['enqueue 1', 'enqueue 2']);
    expect(library.images.map((i) => i.name)).toEqual(names);
    expect(intake.done).toBe(8);
    expect(intake.isBusy).toBe(true);
    expect(isAdded).toBe(false);
    openQueue();
    await flush();
    // Everything stored meanwhile goes in one call, and a file dropped twice is asked once.
    expect(enqueueCounts(events)).toEqual(['enqueue 1', 'enqueue 2', 'enqueue 4']);
    expect(intake.isBusy).toBe(true);
    openQueue();
    await adding;
    expect(intake.isBusy).toBe(false);
    expect(enqueued.flat().map((j) => j.sha256)).toEqual(names.map((n) => `sha-${n}`));
  });

  it('sums up files that are not images, and lists a repeated image once', async () => {
    const { intake, library, stored, stoodBack } = setup();
    await intake.add(files(['a.png', 'notes.txt', 'a (copy).png', 'b.png', 'data.txt']));
    expect(stored.map((r) => r.name)).toEqual(['a.png', 'b.png']);
    expect(stoodBack).toEqual(['sha-a.png', 'sha-b.png']);
    expect(library.rejected.map((r) => [r.name, r.isNotImage])).toEqual([['notes.txt', true], ['data.txt', true]]);
  });

  it('keeps each newly stored file in hand for its job, once', async () => {
    const { intake, kept } = setup();
    await intake.add(files(['a.png', 'a (copy).png', 'b.png']));
    expect(kept).toEqual(['sha-a.png', 'sha-b.png']);
  });

  it('does not list a file the tab could not store, and says why', async () => {
    const { intake, library, enqueued, kept, stoodBack } = setup({ isStoreFull: true });
    await intake.add(files(['a.png']));
    await flush();
    expect(kept).toEqual([]);
    expect(stoodBack).toEqual([]);
    expect(library.images).toEqual([]);
    expect(library.rejected.map((r) => [r.name, r.reason])).toEqual([['a.png', 'Storage is full: free some space (delete old results) and try again.']]);
    expect(enqueued).toEqual([]);
  });

  it('asks each of two or more compared models, each with its own key', async () => {
    const { intake, settings, enqueued } = setup();
    settings.toggleCompareModel('gemma3:4b', true);
    settings.toggleCompareModel('builtin-ocr', true);
    await intake.run(['sha-a', 'sha-b'], false);
    const jobs = enqueued.flat();
    expect(jobs.map((j) => [j.sha256, j.model])).toEqual([['sha-a', 'gemma3:4b'], ['sha-b', 'gemma3:4b'], ['sha-a', 'builtin-ocr'], ['sha-b', 'builtin-ocr']]);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(4);
    // One ticked model is no comparison: the chosen model runs alone.
    settings.toggleCompareModel('builtin-ocr', false);
    await intake.run(['sha-c'], false);
    expect(enqueued.at(-1)?.map((j) => j.model)).toEqual(['gemma3:4b']);
  });

  it('lists images without a model and says to choose one', async () => {
    const { intake, library, enqueued } = setup({ model: '' });
    await intake.add(files(['a.png']));
    await flush();
    expect(library.images.map((i) => i.name)).toEqual(['a.png']);
    expect(enqueued).toEqual([]);
    expect(intake.notice).toMatch(/as soon as a model is available/);
  });
});
