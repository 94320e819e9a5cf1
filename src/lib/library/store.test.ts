import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, set } from 'idb-keyval';
import { DATABASES } from './databases.ts';
import { readListingAhead, takeListingAhead } from './listing-ahead.ts';
import { LibraryStore, StorageFullError } from './store.ts';
import type { ImageRecord, ResultRecord } from './types.ts';

const image: ImageRecord = { sha256: 'aa', name: 'a.png', type: 'image/png', size: 3, width: 10, height: 10, addedAt: 1 };
const result = (over: Partial<ResultRecord> = {}): ResultRecord => ({
  key: 'aa:m:1', sha256: 'aa', model: 'm', taskId: 'extract-markdown', prompt: 'p',
  options: { maxSide: 1536 }, text: 'model text', author: 'model', createdAt: 1, ...over, jobKey: over.jobKey ?? 'aa:m:1',
});

describe('LibraryStore', () => {
  let store: LibraryStore;
  beforeEach(async () => {
    store = new LibraryStore();
    await store.clearLibrary();
  });

  it('keeps image bytes apart from the metadata it lists', async () => {
    await store.saveImage(image, new Blob(['png']), { thumbnail: new Blob(['thumb']) });
    const listed = await store.listImages();
    expect(listed).toEqual([image]);
    expect(Object.values(listed[0] ?? {}).some((v) => v instanceof Blob)).toBe(false);
    expect(await (await store.getImageBlob('aa'))?.text()).toBe('png');
    expect(await (await store.getThumbnail('aa'))?.text()).toBe('thumb');
    // No preview for a small image: the detail view shows the original.
    expect(await (await store.getDisplayImage('aa'))?.text()).toBe('png');
  });

  it('reads the saved listing with the number of images stored now', async () => {
    await store.saveImage(image, new Blob(['png']), { thumbnail: new Blob(['t']) });
    expect(await store.readImageListing()).toEqual({ listing: undefined, count: 1 });
    await store.saveImageListing([image]);
    await store.saveImage({ ...image, sha256: 'bb' }, new Blob(['png']), { thumbnail: new Blob(['t']) });
    expect(await store.readImageListing()).toEqual({ listing: [image], count: 2 });
  });

  it('hands the reads started by the first script to the first taker only', async () => {
    await store.saveImage(image, new Blob(['png']), { thumbnail: new Blob(['t']) });
    await store.saveImageListing([image]);
    readListingAhead();
    readListingAhead();
    const ahead = takeListingAhead();
    expect(ahead).toBeDefined();
    expect(takeListingAhead()).toBeUndefined();
    expect(await ahead).toEqual({ listing: [image], count: 1 });
  });

  it('reads the listing itself when the read started ahead failed', async () => {
    await store.saveImage(image, new Blob(['png']), { thumbnail: new Blob(['t']) });
    await store.saveImageListing([image]);
    const open = indexedDB.open;
    indexedDB.open = () => {
      throw new DOMException('The databases could not be opened.', 'InvalidStateError');
    };
    try {
      readListingAhead();
    } finally {
      indexedDB.open = open;
    }
    expect(await store.readImageListing()).toEqual({ listing: [image], count: 1 });
    expect(takeListingAhead()).toBeUndefined();
  });

  it("never replaces a person's text with a model's", async () => {
    await store.saveResult(result({ author: 'person', text: 'my words' }));
    const kept = await store.saveResult(result({ text: 'new model text', createdAt: 2 }));
    expect(kept.text).toBe('my words');
    expect((await store.getResult('aa:m:1'))?.text).toBe('my words');
  });

  it('reads an OCR confidence stored by an earlier version (0–100, weakest line) as 0–1', async () => {
    const old = { mean: 91.5, lowestLine: 80 } as unknown as ResultRecord['confidence'];
    await store.saveResult(result({ confidence: old }));
    const upgraded = { source: 'ocr', mean: 0.915, lowest: 0.8 };
    expect((await store.getResult('aa:m:1'))?.confidence).toEqual(upgraded);
    expect((await store.listResults())[0]?.confidence).toEqual(upgraded);
  });

  it("replaces a model's text with a newer model text or a person's", async () => {
    await store.saveResult(result());
    await store.saveResult(result({ text: 'rerun', createdAt: 2 }));
    expect((await store.getResult('aa:m:1'))?.text).toBe('rerun');
    await store.saveResult(result({ text: 'fixed', author: 'person' }));
    expect((await store.getResult('aa:m:1'))?.author).toBe('person');
  });

  it("never lets an import replace a person's text saved since its merge was planned: both are kept", async () => {
    // Another tab saved a person's edit after this tab planned its import from memory.
    await store.saveResult(result({ author: 'person', text: 'my words', createdAt: 5 }));
    const written = await store.saveResults([result({ text: 'imported model text', createdAt: 9 }), result({ key: 'cc:m:1', sha256: 'cc', jobKey: 'cc:m:1', text: 'new one' })]);
    expect(written.map((r) => r.text)).toEqual(['imported model text', 'new one']);
    expect((await store.getResult('aa:m:1'))?.text).toBe('my words');
    // The import's text went under a key of its own, a version of the same ask.
    const versions = await store.listVersionsOfAsk('aa:m:1');
    expect(versions.map((v) => v.text).sort()).toEqual(['imported model text', 'my words']);
  });

  it('adds an imported version once, and only its verification to the same version already here', async () => {
    await store.saveResult(result({ key: 'aa:m:1/x', text: 'same' }));
    expect(await store.saveResults([result({ key: 'aa:m:1/x', text: 'same', verifiedAt: 7 })])).toHaveLength(1);
    expect((await store.getResult('aa:m:1/x'))?.verifiedAt).toBe(7);
    expect(await store.saveResults([result({ key: 'aa:m:1/x', text: 'same', verifiedAt: 8 })])).toEqual([]);
    expect((await store.getResult('aa:m:1/x'))?.verifiedAt).toBe(7);
  });

  it('reads results stored before versions as versions of their ask, losing nothing', async () => {
    // A record as the app stored it before versions: keyed by its ask, no jobKey field.
    const { jobKey: _ask, ...old } = result({ text: 'old text', author: 'person' });
    await set('aa:m:1', old, createStore(...DATABASES.results));
    const [listed] = await store.listResults();
    expect(listed).toMatchObject({ key: 'aa:m:1', jobKey: 'aa:m:1', text: 'old text', author: 'person' });
    expect((await store.getResult('aa:m:1'))?.jobKey).toBe('aa:m:1');
    // New versions of the same ask sit beside it and are found with it; other asks are not.
    await store.saveResult(result({ key: 'aa:m:1/k2', text: 'rerun', createdAt: 2 }));
    await store.saveResult(result({ key: 'aa:m:10/k3', jobKey: 'aa:m:10', text: 'other ask' }));
    expect((await store.listVersionsOfAsk('aa:m:1')).map((v) => v.text)).toEqual(['old text', 'rerun']);
  });

  it('deletes an image with its bytes, results and jobs', async () => {
    await store.saveImage(image, new Blob(['png']), { thumbnail: new Blob(['t']), preview: new Blob(['p']) });
    await store.saveResult(result());
    await store.saveJob({ key: 'j', sha256: 'aa', model: 'm', taskId: 't', prompt: 'p', options: { maxSide: 1 }, queuedAt: 1 });
    await store.deleteImage('aa', ['aa:m:1'], ['j']);
    expect(await store.listImages()).toEqual([]);
    expect(await store.listResults()).toEqual([]);
    expect(await store.listJobs()).toEqual([]);
    expect(await store.getImageBlob('aa')).toBeUndefined();
    expect(await store.getDisplayImage('aa')).toBeUndefined();
  });

  it('deletes many images at once and leaves the others', async () => {
    const other = { ...image, sha256: 'bb', name: 'b.png' };
    const third = { ...image, sha256: 'cc', name: 'c.png' };
    for (const record of [image, other, third]) await store.saveImage(record, new Blob(['png']), { thumbnail: new Blob(['t']) });
    await store.saveResult(result());
    await store.deleteImages(['aa', 'bb'], ['aa:m:1'], []);
    expect((await store.listImages()).map((i) => i.sha256)).toEqual(['cc']);
    expect(await store.listResults()).toEqual([]);
    expect(await store.getImageBlob('bb')).toBeUndefined();
    expect(await store.getThumbnail('cc')).toBeDefined();
  });

  it('turns a quota error into StorageFullError and leaves nothing half-written', async () => {
    const huge = new Blob(['x']);
    const original = IDBObjectStore.prototype.put;
    let calls = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      // The second write (the thumbnail) hits a full disk.
      if (++calls === 2) throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await expect(store.saveImage(image, huge, { thumbnail: huge })).rejects.toBeInstanceOf(StorageFullError);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(await store.listImages()).toEqual([]);
    expect(await store.getImageBlob('aa')).toBeUndefined();
  });
});
