import { describe, expect, it } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, ResultRecord } from '../lib/library/types.ts';
import { LibraryState } from './library.svelte.ts';
import { LibraryViewState } from './library-view.svelte.ts';
import { ReviewState } from './review.svelte.ts';

const image = (n: number): ImageRecord => ({ sha256: `s${n}`, name: `scan-${n}.png`, type: 'image/png', size: 1, width: 1, height: 1, addedAt: n });
const result = (n: number, fields: Partial<ResultRecord> = {}): ResultRecord => ({
  key: `k${n}`, jobKey: `k${n}`, sha256: `s${n}`, model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'p', options: { maxSide: 1 }, text: `text ${n}`, author: 'model', createdAt: n, ...fields,
});
const ocr = (n: number, mean: number) => result(n, { model: 'tesseract-eng', confidence: { source: 'ocr', mean: mean / 100, lowest: mean / 100 } });

/** A library of five texts (one flagged, three with a confidence, one without) over a store in memory. */
async function session(options: { failSave?: boolean } = {}) {
  const images = [0, 1, 2, 3, 4].map(image);
  const results = [result(0), ocr(1, 92), ocr(2, 48), result(3, { needsReview: true, reviewReason: 'The model repeated itself.' }), ocr(4, 75)];
  const saved: ResultRecord[] = [];
  const store = {
    listImages: async () => images,
    readImageListing: async () => ({ listing: undefined, count: images.length }),
    saveImageListing: async () => {},
    listResults: async () => results,
    listDocuments: async () => [],
    saveResult: async (record: ResultRecord) => {
      if (options.failSave) throw new Error('Storage is full.');
      saved.push(record);
      return record;
    },
  };
  const library = new LibraryState(store as unknown as LibraryStore, queueMicrotask);
  await library.load();
  const rerun: string[] = [];
  const listView = new LibraryViewState({ library, queue: { jobs: [] } });
  const review = new ReviewState({ library, listView, rerun: async (sha256) => void rerun.push(sha256) });
  return { library, listView, review, saved, rerun };
}

const names = (review: ReviewState) => {
  const seen: string[] = [];
  for (let i = 0; i < review.total; i++) {
    seen.push(review.image?.name ?? '');
    review.next();
  }
  return seen;
};

describe('ReviewState', () => {
  it('opens on the least certain text and walks the queue in that order', async () => {
    const { review } = await session();
    expect(review.toReviewCount).toBe(5);
    review.open();
    expect(review.isOpen).toBe(true);
    expect(review.positionLabel).toBe('Text 1 of 5');
    expect(review.announcement).toBe('Text 1 of 5: scan-3.png. 0 of 5 reviewed.');
    expect(review.nextImage?.name).toBe('scan-2.png');
    expect(names(review)).toEqual(['scan-3.png', 'scan-2.png', 'scan-4.png', 'scan-1.png', 'scan-0.png']);
    expect(review.announcement).toBe('End of the queue. 0 of 5 reviewed.');
    review.previous();
    expect(review.image?.name).toBe('scan-1.png');
  });

  it('accepts, skips, rejects and edits, moving on after each and counting what was reviewed', async () => {
    const { review, library, saved, rerun } = await session();
    review.open();
    await review.accept();
    expect(saved.map((r) => [r.key, r.verifiedAt !== undefined, r.needsReview])).toEqual([['k3', true, undefined]]);
    expect(review.announcement).toBe('Accepted scan-3.png. Text 2 of 5: scan-2.png. 1 of 5 reviewed.');
    review.skip();
    expect(review.announcement).toBe('Skipped scan-2.png. Text 3 of 5: scan-4.png. 1 of 5 reviewed.');
    await review.reject();
    expect(rerun).toEqual(['s4']);
    expect(review.image?.name).toBe('scan-1.png');
    review.startEdit();
    expect(review.isEditing).toBe(true);
    expect(review.draft).toBe('text 1');
    review.draft = 'text one, corrected';
    await review.saveEdit();
    expect(review.isEditing).toBe(false);
    // The edit is a new version beside the model's, and the one the image now uses.
    expect(library.results.find((r) => r.key === 'k1')).toMatchObject({ text: 'text 1', author: 'model' });
    expect(library.preferredByImage.get('s1')?.[0]).toMatchObject({ text: 'text one, corrected', author: 'person', editedFrom: 'k1' });
    expect(review.progressLabel).toBe('2 of 5 reviewed');
    expect(review.toReviewCount).toBe(3);
    expect(review.image?.name).toBe('scan-0.png');
  });

  it('keeps the editor open with the draft when the save fails', async () => {
    const { review, library } = await session({ failSave: true });
    review.open();
    review.startEdit();
    review.draft = 'my text';
    await review.saveEdit();
    expect(review.isEditing).toBe(true);
    expect(review.draft).toBe('my text');
    expect(review.image?.name).toBe('scan-3.png');
    expect(library.editErrorFor('k3')).toMatch(/Storage is full/);
    review.cancelEdit();
    expect(library.editErrorFor('k3')).toBe('');
    expect(review.current?.text).toBe('text 3');
  });

  it('reopens at the first text not yet reviewed, and can follow the list filter instead', async () => {
    const { review, listView } = await session();
    review.open();
    await review.accept();
    await review.accept();
    review.close();
    expect(review.isOpen).toBe(false);
    review.open();
    expect(review.image?.name).toBe('scan-4.png');
    expect(review.progressLabel).toBe('2 of 5 reviewed');
    listView.setModel('tesseract-eng');
    review.setOrder('list');
    // Newest first, as the list shows; the first one not yet reviewed is scan-4.png.
    expect(review.total).toBe(3);
    expect(review.image?.name).toBe('scan-4.png');
    review.next();
    expect(review.image?.name).toBe('scan-2.png');
    review.setOrder('least-certain-unknown-first');
    expect(review.image?.name).toBe('scan-0.png');
  });

  it('says so when there is nothing to review', async () => {
    const { review, listView } = await session();
    listView.setQuery('nothing matches this');
    review.open('list');
    expect(review.total).toBe(0);
    expect(review.current).toBeUndefined();
    expect(review.announcement).toBe('Nothing to review.');
    review.skip();
    await review.accept();
    expect(review.progressLabel).toBe('0 of 0 reviewed');
  });
});
