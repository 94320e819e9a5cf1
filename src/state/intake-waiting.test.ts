import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LibraryStore } from '../lib/library/store.ts';
import type { JobRecord } from '../lib/library/types.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import type { QueueState } from './queue.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

describe('IntakeState with no model yet', () => {
  it('keeps images waiting and runs them, with no click, once a model is chosen', async () => {
    const store = new LibraryStore();
    const settings = new SettingsState(store);
    const queued: JobRecord[] = [];
    const queue = { enqueue: async (jobs: JobRecord[]) => void queued.push(...jobs) } as unknown as QueueState;
    const intake = new IntakeState({ store, encoder: { identify: async () => { throw new Error('unused'); } }, library: new LibraryState(store), queue, settings });

    await intake.run(['aa', 'bb'], false);
    expect(queued).toEqual([]);
    expect(intake.isAwaitingModel('aa')).toBe(true);
    expect(intake.notice).toMatch(/as soon as a model is available/);

    settings.set('model', 'gemma3:4b');
    await expect.poll(() => queued.map((j) => [j.sha256, j.model])).toEqual([['aa', 'gemma3:4b'], ['bb', 'gemma3:4b']]);
    expect(intake.isAwaitingModel('aa')).toBe(false);
  });
});
