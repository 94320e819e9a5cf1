import { describe, expect, it } from 'vitest';
import { StorageFullError, type LibraryStore } from '../lib/library/store.ts';
import type { ResultRecord } from '../lib/library/types.ts';
import { LibraryState } from './library.svelte.ts';

const MODEL_RESULT: ResultRecord = {
  key: 'k1', sha256: 'a'.repeat(64), model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'p',
  options: { maxSide: 1536 }, text: 'model text', author: 'model', createdAt: 1,
};

/** A store that holds one result in memory and refuses writes while `isFull`. */
function fakeStore() {
  const saved: ResultRecord[] = [];
  const fake = {
    isFull: false,
    saved,
    listImages: async () => [],
    listResults: async () => [MODEL_RESULT],
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
  it('saves a person\'s text and shows it instead of the model\'s', async () => {
    const { store, library } = await loadedLibrary();
    expect(await library.editResult('k1', 'my text')).toBe(true);
    expect(store.saved.map((r) => [r.text, r.author])).toEqual([['my text', 'person']]);
    expect(library.results.find((r) => r.key === 'k1')).toMatchObject({ text: 'my text', author: 'person' });
    expect(library.editErrorFor('k1')).toBe('');
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
