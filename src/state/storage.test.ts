import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageState } from './storage.svelte.ts';

/** A StorageManager that counts persistence requests and estimates. */
function fakeStorage() {
  const calls = { persist: 0, estimate: 0 };
  const storage = {
    persisted: async () => false,
    persist: async () => {
      calls.persist++;
      return true;
    },
    estimate: async () => {
      calls.estimate++;
      return { usage: 1_000, quota: 1_000_000 };
    },
  } as unknown as StorageManager;
  return { storage, calls };
}

describe('StorageState.refresh', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('asks for persistence when the first image comes while a measure of the empty library waits', async () => {
    const { storage, calls } = fakeStorage();
    const state = new StorageState(storage);
    await state.start(false);
    const waiting = state.refresh(false);
    void state.refresh(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await waiting;
    expect(calls.persist).toBe(1);
    expect(state.isPersisted).toBe(true);
  });

  it('measures at most once a second during a burst, and once more after a change that came mid-measure', async () => {
    const { storage, calls } = fakeStorage();
    const state = new StorageState(storage);
    await state.start(true);
    expect(calls.estimate).toBe(1);
    for (let i = 0; i < 20; i++) void state.refresh(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls.estimate).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.estimate).toBe(2);
    // A change while nothing waits is measured a second after the last measure.
    void state.refresh(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.estimate).toBe(3);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls.estimate).toBe(3);
  });
});
