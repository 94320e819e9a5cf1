import { describe, expect, it } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import { SettingsState } from './settings.svelte.ts';

/** The settings part of the store, in memory. */
function fakeStore(initial: Record<string, unknown> = {}) {
  const saved = new Map(Object.entries(initial));
  return {
    saved,
    getSetting: async (name: string) => saved.get(name),
    setSetting: async (name: string, value: unknown) => void saved.set(name, value),
  };
}

describe('SettingsState stall limits', () => {
  it('waits 5 minutes for a reply to start and 60 s between pieces by default', () => {
    const settings = new SettingsState(fakeStore() as unknown as LibraryStore);
    expect(settings.stallLimits).toEqual({ firstTextMs: 300_000, idleMs: 60_000 });
  });

  it('keeps what the user typed in whole seconds, from 1 s to an hour, and saves it', async () => {
    const store = fakeStore();
    const settings = new SettingsState(store as unknown as LibraryStore);
    settings.setStallLimit('firstTextLimitSeconds', 600);
    settings.setStallLimit('idleLimitSeconds', 2.4);
    expect(settings.stallLimits).toEqual({ firstTextMs: 600_000, idleMs: 2_000 });
    settings.setStallLimit('idleLimitSeconds', 0);
    expect(settings.idleLimitSeconds).toBe(1);
    settings.setStallLimit('firstTextLimitSeconds', 99_999);
    expect(settings.firstTextLimitSeconds).toBe(3600);
    // An emptied number field gives NaN: the last good value stays.
    settings.setStallLimit('firstTextLimitSeconds', Number.NaN);
    expect(settings.firstTextLimitSeconds).toBe(3600);
    await Promise.resolve();
    expect(store.saved.get('idleLimitSeconds')).toBe(1);

    const reloaded = new SettingsState(store as unknown as LibraryStore);
    await reloaded.load();
    expect(reloaded.stallLimits).toEqual({ firstTextMs: 3_600_000, idleMs: 1_000 });
  });
});

describe('SettingsState review and compared models', () => {
  it('flags below 60% by default and keeps a whole percentage from 0 to 100', () => {
    const settings = new SettingsState(fakeStore() as unknown as LibraryStore);
    expect(settings.reviewBelowPercent).toBe(60);
    settings.setReviewBelow(72.6);
    expect(settings.reviewBelowPercent).toBe(73);
    settings.setReviewBelow(250);
    expect(settings.reviewBelowPercent).toBe(100);
    settings.setReviewBelow(Number.NaN);
    expect(settings.reviewBelowPercent).toBe(100);
  });

  it('runs the chosen model alone until two or more are ticked', () => {
    const settings = new SettingsState(fakeStore() as unknown as LibraryStore);
    settings.set('model', 'a');
    settings.toggleCompareModel('b', true);
    expect(settings.runModels).toEqual(['a']);
    settings.toggleCompareModel('c', true);
    expect(settings.runModels).toEqual(['b', 'c']);
  });
});
