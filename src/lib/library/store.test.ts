import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { LibraryStore, StorageFullError } from './store.ts';
import type { ImageRecord, ResultRecord } from './types.ts';

const image: ImageRecord = { sha256: 'aa', name: 'a.png', type: 'image/png', size: 3, width: 10, height: 10, addedAt: 1 };
const result = (over: Partial<ResultRecord> = {}): ResultRecord => ({
  key: 'aa:m:1', sha256: 'aa', model: 'm', taskId: 'extract-markdown', prompt: 'p',
  options: { maxSide: 1536 }, text: 'model text', author: 'model', createdAt: 1, ...over,
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

  it("never lets an import replace a person's text saved since its merge was planned", async () => {
    // Another tab saved a person's edit after this tab planned its import from memory.
    await store.saveResult(result({ author: 'person', text: 'my words', createdAt: 5 }));
    await store.saveResult(result({ key: 'bb:m:1', sha256: 'bb', text: 'old', createdAt: 1 }));
    const stored = await store.saveResults([
      result({ text: 'imported model text', createdAt: 9 }),
      result({ key: 'bb:m:1', sha256: 'bb', text: 'newer import', createdAt: 2 }),
      result({ key: 'cc:m:1', sha256: 'cc', text: 'new one', createdAt: 1 }),
    ]);
    expect(stored.map((r) => r.text)).toEqual(['my words', 'newer import', 'new one']);
    expect((await store.getResult('aa:m:1'))?.text).toBe('my words');
    expect((await store.getResult('bb:m:1'))?.text).toBe('newer import');
    expect((await store.getResult('cc:m:1'))?.text).toBe('new one');
  });

  it('keeps a newer stored text over an older imported one of the same author', async () => {
    await store.saveResult(result({ text: 'rerun today', createdAt: 10 }));
    const [stored] = await store.saveResults([result({ text: 'from last week', createdAt: 3 })]);
    expect(stored?.text).toBe('rerun today');
    expect((await store.getResult('aa:m:1'))?.text).toBe('rerun today');
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
