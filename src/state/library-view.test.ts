import { describe, expect, it } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord, ResultRecord } from '../lib/library/types.ts';
import { LibraryState } from './library.svelte.ts';
import { LibraryViewState } from './library-view.svelte.ts';
import type { QueuedJob } from './queue.svelte.ts';

const image = (n: number): ImageRecord => ({ sha256: `s${n}`, name: `IMG_${n}.jpg`, type: 'image/jpeg', size: 1, width: 1, height: 1, addedAt: n });
const result = (n: number, text: string, model = 'gemma3:4b'): ResultRecord => ({
  key: `s${n}:${model}`, jobKey: `s${n}:${model}`, sha256: `s${n}`, model, taskId: 'extract-markdown', prompt: 'p', options: { maxSide: 1 }, text, author: 'model', createdAt: n,
});

async function view(jobs: QueuedJob[] = []) {
  const images = Array.from({ length: 6 }, (_, i) => image(i));
  const results = [result(0, 'invoice total'), result(1, 'holiday photo'), result(2, 'second invoice'), result(3, 'menu', 'qwen2.5vl:3b')];
  const store = { listImages: async () => images, readImageListing: async () => ({ listing: undefined, count: images.length }), saveImageListing: async () => {}, listResults: async () => results, listDocuments: async () => [] };
  const library = new LibraryState(store as unknown as LibraryStore);
  await library.load();
  await expect.poll(() => library.search.isIndexing).toBe(false);
  return { library, view: new LibraryViewState({ library, queue: { jobs } }) };
}

const shownShas = (v: LibraryViewState) => v.shown.map((i) => i.sha256);

describe('LibraryViewState', () => {
  it('narrows the list as the query is typed, and counts what is shown', async () => {
    const { view: v } = await view();
    // Newest first.
    expect(shownShas(v)).toEqual(['s5', 's4', 's3', 's2', 's1', 's0']);
    v.setQuery('i');
    expect(shownShas(v)).toEqual(['s5', 's4', 's3', 's2', 's1', 's0']);
    v.setQuery('inv');
    expect(shownShas(v)).toEqual(['s2', 's0']);
    v.setQuery('invoice sec');
    expect(shownShas(v)).toEqual(['s2']);
    expect(v.isFiltered).toBe(true);
    v.resetFilter();
    expect(v.counts).toMatchObject({ all: 6, done: 4, 'not-run': 2, failed: 0 });
    v.setModel('qwen2.5vl:3b');
    expect(shownShas(v)).toEqual(['s3']);
    expect(v.models).toEqual(['gemma3:4b', 'qwen2.5vl:3b']);
  });

  it('finds a result put in after load, and forgets a deleted one', async () => {
    const { library, view: v } = await view();
    library.putResult(result(5, 'a brand new receipt'));
    v.setQuery('receipt');
    expect(shownShas(v)).toEqual(['s5']);
    library.putResult(result(5, 'replaced text'));
    expect(shownShas(v)).toEqual([]);
  });

  it('counts a failed run as failed, under its model', async () => {
    const failed = { job: { sha256: 's4', model: 'qwen2.5vl:3b', taskId: 'describe' } as JobRecord, phase: 'failed', isFailed: true } as QueuedJob;
    const { view: v } = await view([failed]);
    v.setStatus('failed');
    expect(shownShas(v)).toEqual(['s4']);
    v.setModel('gemma3:4b');
    expect(shownShas(v)).toEqual([]);
  });

  it('selects ranges in the filtered order, everything shown, and counts what the filter hides', async () => {
    const { library, view: v } = await view();
    v.setStatus('done');
    expect(shownShas(v)).toEqual(['s3', 's2', 's1', 's0']);
    library.toggleSelected('s3');
    v.toggleRangeTo('s1');
    expect([...library.selected].sort()).toEqual(['s1', 's2', 's3']);
    // The last row clicked is the new anchor; shift-click on a ticked row unticks the range.
    v.toggleRangeTo('s2');
    expect([...library.selected].sort()).toEqual(['s3']);
    v.selectAllShown();
    expect(library.selected.size).toBe(4);
    v.setQuery('invoice');
    expect(v.hiddenSelectedCount).toBe(2);
    v.clearSelection();
    expect(library.selected.size).toBe(0);
  });
});
