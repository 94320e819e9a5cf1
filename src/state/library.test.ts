import { describe, expect, it, vi } from 'vitest';
import { StorageFullError, type LibraryStore } from '../lib/library/store.ts';
import type { DocumentRecord } from '../lib/documents/types.ts';
import type { ImageRecord, ResultRecord } from '../lib/library/types.ts';
import { LibraryState } from './library.svelte.ts';

const MODEL_RESULT: ResultRecord = {
  key: 'k1', jobKey: 'k1', sha256: 'a'.repeat(64), model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'p',
  options: { maxSide: 1536 }, text: 'model text', author: 'model', createdAt: 1,
};

/** A store that holds one result in memory and refuses writes while `isFull`. */
function fakeStore() {
  const saved: ResultRecord[] = [];
  const fake = {
    isFull: false,
    saved,
    listImages: async () => [],
    readImageListing: async () => ({ listing: undefined, count: 0 }),
    saveImageListing: async () => {},
    listResults: async () => [MODEL_RESULT],
    documents: [] as DocumentRecord[],
    listDocuments: async () => fake.documents,
    saveDocument: async (document: DocumentRecord) => void fake.documents.push(document),
    deleteImage: async () => {},
    saveResult: async (result: ResultRecord) => {
      if (fake.isFull) throw new StorageFullError();
      saved.push(result);
      return result;
    },
  };
  return fake;
}

async function loadedLibrary() {
  const store = fakeStore();
  const library = new LibraryState(store as unknown as LibraryStore);
  await library.load();
  return { store, library };
}

describe('LibraryState.editResult', () => {
  it("saves a person's text as a new version edited from the model's, keeps the model's, and prefers the person's", async () => {
    const { store, library } = await loadedLibrary();
    expect(await library.editResult('k1', 'my text')).toBe(true);
    expect(store.saved.map((r) => [r.text, r.author, r.editedFrom])).toEqual([['my text', 'person', 'k1']]);
    const edited = store.saved[0]!;
    expect(edited.key).not.toBe('k1');
    expect(edited.jobKey).toBe('k1');
    expect(library.results.find((r) => r.key === 'k1')).toMatchObject({ text: 'model text', author: 'model' });
    expect(library.preferredByImage.get(MODEL_RESULT.sha256)?.map((r) => r.text)).toEqual(['my text']);
    expect(library.search.findText('my')).toEqual(new Set([MODEL_RESULT.sha256]));
    expect(library.search.findText('model')).toEqual(new Set());
    expect(library.editErrorFor('k1')).toBe('');
  });

  it("keeps a person's text preferred over a later model run, until the person picks another", async () => {
    const { library } = await loadedLibrary();
    await library.editResult('k1', 'my text');
    library.putResult({ ...MODEL_RESULT, key: 'k1/rerun', text: 'rerun text', createdAt: Date.now() + 10 });
    expect(library.versionsOf(MODEL_RESULT.sha256, 'extract-markdown').map((r) => r.text)).toEqual(['rerun text', 'my text', 'model text']);
    expect(library.preferredByImage.get(MODEL_RESULT.sha256)?.[0]?.text).toBe('my text');
    expect(await library.preferVersion('k1/rerun')).toBe(true);
    expect(library.preferredByImage.get(MODEL_RESULT.sha256)?.[0]?.text).toBe('rerun text');
    expect(library.diffVersions('k1', 'k1/rerun')).toEqual([
      { text: 'model', kind: 'removed' },
      { text: 'rerun', kind: 'added' },
      { text: ' text', kind: 'same' },
    ]);
  });

  it('prefers a version a person verifies', async () => {
    const { library } = await loadedLibrary();
    library.putResult({ ...MODEL_RESULT, key: 'k1/2', text: 'newer', createdAt: 5 });
    expect(library.preferredByImage.get(MODEL_RESULT.sha256)?.[0]?.key).toBe('k1/2');
    expect(await library.verifyResult('k1')).toBe(true);
    expect(library.preferredByImage.get(MODEL_RESULT.sha256)?.[0]).toMatchObject({ key: 'k1', verifiedAt: expect.any(Number) });
  });

  it('says an edit was not saved when the store refuses it, and keeps the old text shown', async () => {
    const { store, library } = await loadedLibrary();
    store.isFull = true;
    expect(await library.editResult('k1', 'my text')).toBe(false);
    expect(library.editErrorFor('k1')).toBe(
      'Your edit was not saved: Storage is full: free some space (delete old results) and try again. Your text is still in the editor.',
    );
    // The library does not pretend: what is shown is what is on disk.
    expect(library.results.find((r) => r.key === 'k1')).toMatchObject({ text: 'model text', author: 'model' });

    // Once there is room again, saving works and the message goes.
    store.isFull = false;
    expect(await library.editResult('k1', 'my text')).toBe(true);
    expect(library.editErrorFor('k1')).toBe('');
  });

  it('says so when the result was deleted meanwhile', async () => {
    const { library } = await loadedLibrary();
    expect(await library.editResult('gone', 'x')).toBe(false);
    expect(library.editErrorFor('gone')).toMatch(/^Your edit was not saved/);
    library.dismissEditError('gone');
    expect(library.editErrorFor('gone')).toBe('');
  });
});

describe('LibraryState documents', () => {
  it('keeps a dropped document and finds it again after a reload', async () => {
    const { store, library } = await loadedLibrary();
    const deck: DocumentRecord = { id: 'd1', name: 'talk.pptx', kind: 'pptx', size: 10, partCount: 3, addedAt: 5 };
    await library.addDocument(deck);
    expect(library.documentById('d1')).toEqual(deck);
    const reloaded = new LibraryState(store as unknown as LibraryStore);
    await reloaded.load();
    expect(reloaded.documents).toEqual([deck]);
  });
});

describe('LibraryState.verifyResult', () => {
  it('marks a text as checked by a person and clears its review flag', async () => {
    const { store, library } = await loadedLibrary();
    expect(await library.verifyResult('k1')).toBe(true);
    expect(store.saved[0]?.verifiedAt).toBeGreaterThan(0);
    expect(library.results.find((r) => r.key === 'k1')).toMatchObject({ text: 'model text', needsReview: undefined });
    expect(await library.verifyResult('gone')).toBe(false);
  });
});

describe('LibraryState additions', () => {
  const image = (n: number, addedAt = n): ImageRecord => ({
    sha256: `sha-${n}`, name: `IMG_${n}.jpg`, type: 'image/jpeg', size: 100, width: 10, height: 10, addedAt, isDecoded: false,
  });

  /** A library whose batches are applied only when the test says so. */
  function batchedLibrary() {
    const pending: (() => void)[] = [];
    const library = new LibraryState(fakeStore() as unknown as LibraryStore, (apply) => void pending.push(apply));
    const applyBatch = () => pending.splice(0).forEach((apply) => apply());
    return { library, pending, applyBatch };
  }

  it('finds a just-added image at once, and lists a whole batch with one copy of the list', () => {
    const { library, pending, applyBatch } = batchedLibrary();
    const before = library.images;
    for (let n = 1; n <= 1000; n++) library.addImage(image(n));
    // One batch scheduled for a thousand additions, and the list not copied per file.
    expect(pending).toHaveLength(1);
    expect(library.images).toBe(before);
    expect(library.imageBySha('sha-1000')?.name).toBe('IMG_1000.jpg');
    applyBatch();
    expect(library.images).toHaveLength(1000);
    expect(library.orderedImages.slice(0, 2).map((i) => i.name)).toEqual(['IMG_1000.jpg', 'IMG_999.jpg']);
  });

  it('puts a decoded record in place of the undecoded one, and sorts older imports in', () => {
    const { library, applyBatch } = batchedLibrary();
    library.addImages([image(10), image(20)]);
    applyBatch();
    library.addImages([{ ...image(10), isDecoded: undefined, width: 30 }, image(5, 5)]);
    expect(library.needsViews('sha-10')).toBe(false);
    applyBatch();
    expect(library.images.map((i) => [i.sha256, i.width])).toEqual([['sha-5', 10], ['sha-10', 30], ['sha-20', 10]]);
  });

  it('forgets a deleted image that was still waiting to be listed', async () => {
    const { library, applyBatch } = batchedLibrary();
    library.addImage(image(1));
    await library.deleteImage('sha-1', []);
    applyBatch();
    expect(library.imageBySha('sha-1')).toBeUndefined();
    expect(library.images).toEqual([]);
  });

});

describe('LibraryState listing', () => {
  const image = (n: number, over: Partial<ImageRecord> = {}): ImageRecord => ({ sha256: `s${n}`, name: `${n}.png`, type: 'image/png', size: 1, width: 1, height: 1, addedAt: n, ...over });

  /** Image records on disk, and the one-piece listing beside them. */
  function listingStore(records: ImageRecord[], listing: ImageRecord[] | undefined) {
    const store = {
      records,
      listing,
      recordReads: 0,
      listImages: async () => (store.recordReads++, store.records),
      readImageListing: async () => ({ listing: store.listing, count: store.records.length }),
      saveImageListing: async (images: readonly ImageRecord[]) => void (store.listing = [...images]),
      listResults: async () => [],
      listDocuments: async () => [],
    };
    return store;
  }

  /** Holds the store's record reads until the returned function is called (the list is painted from the listing meanwhile). */
  function holdRecordReads(store: ReturnType<typeof listingStore>): () => void {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readRecords = store.listImages;
    store.listImages = async () => (await gate, readRecords());
    return release;
  }

  it('shows the listing when it names exactly the stored images, then takes the newer records', async () => {
    const store = listingStore([image(1), image(2, { width: 640, isDecoded: undefined })], [image(1), image(2, { isDecoded: false })]);
    const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
    await library.load();
    expect(store.recordReads).toBe(1);
    await expect.poll(() => library.imageBySha('s2')?.width).toBe(640);
    expect(library.images.map((i) => i.sha256)).toEqual(['s1', 's2']);
    expect(library.needsViews('s2')).toBe(false);
  });

  it('reads the records when the listing is missing or holds another number of images, and saves a listing for the next load', async () => {
    const store = listingStore([image(1), image(3), image(4)], [image(1), image(2)]);
    const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
    await library.load();
    expect(library.images.map((i) => i.sha256)).toEqual(['s1', 's3', 's4']);
    await expect.poll(() => store.listing?.map((i) => i.sha256)).toEqual(['s1', 's3', 's4']);
    store.listing = undefined;
    const empty = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
    await empty.load();
    expect(empty.images.map((i) => i.sha256)).toEqual(['s1', 's3', 's4']);
  });

  it('shows a listing of the right count at once, then names exactly the stored images once their records are read', async () => {
    // s2 was deleted and s3 added by a tab that closed before it saved the listing: same count.
    const store = listingStore([image(1), image(3), image(4, { width: 640 })], [image(1), image(2), image(4)]);
    const release = holdRecordReads(store);
    const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
    const loading = library.load();
    await expect.poll(() => library.images.map((i) => i.sha256)).toEqual(['s1', 's2', 's4']);
    library.toggleSelected('s2');
    release();
    await loading;
    await expect.poll(() => library.images.map((i) => i.sha256)).toEqual(['s1', 's3', 's4']);
    expect(library.imageBySha('s2')).toBeUndefined();
    expect(library.imageBySha('s4')?.width).toBe(640);
    expect(library.selected.has('s2')).toBe(false);
    await expect.poll(() => store.listing?.map((i) => i.sha256)).toEqual(['s1', 's3', 's4']);
  });

  it('keeps what this tab changed while the records were being read', async () => {
    const store = listingStore([image(1), image(3)], [image(1), image(2)]);
    const release = holdRecordReads(store);
    const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
    const loading = library.load();
    await expect.poll(() => library.images.length).toBe(2);
    // This tab saves s2 again (say, its thumbnail) after the records were read.
    library.addImages([image(2, { width: 320 })]);
    release();
    await loading;
    await expect.poll(() => library.images.map((i) => i.sha256)).toEqual(['s1', 's2', 's3']);
    expect(library.imageBySha('s2')?.width).toBe(320);
  });

  it('saves the listing once additions pause, and every 10 s while they go on, not after every batch', async () => {
    vi.useFakeTimers();
    try {
      const store = listingStore([], undefined);
      let saves = 0;
      const save = store.saveImageListing;
      store.saveImageListing = async (images) => (saves++, save(images));
      const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
      await library.load();
      await vi.advanceTimersByTimeAsync(10);
      saves = 0;
      // A batch every 400 ms for 12 s, as a large drop lists them.
      for (let n = 1; n <= 30; n++) {
        library.addImages([image(n)]);
        await vi.advanceTimersByTimeAsync(400);
      }
      expect(saves).toBe(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(saves).toBe(2);
      expect(store.listing?.length).toBe(30);
    } finally {
      vi.useRealTimers();
    }
  });
});
