import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServiceWorkerEvents } from '../lib/pwa/register.ts';
import { PwaState } from './pwa.svelte.ts';

/** A PwaState over a fake service worker whose events the test fires. */
function setup() {
  let events: ServiceWorkerEvents | undefined;
  const applyUpdate = vi.fn();
  const reload = vi.fn();
  const work = { isBusy: false };
  const pwa = new PwaState({
    isBusy: () => work.isBusy,
    register: (_url, e) => {
      events = e;
      return { applyUpdate };
    },
    reload,
  });
  pwa.start();
  if (!events) throw new Error('the service worker was not registered');
  return { pwa, events, applyUpdate, reload, work };
}

beforeEach(() => {
  // start() registers only in the built app, and listens for CSP reports on the document.
  vi.stubEnv('PROD', true);
  vi.stubGlobal('document', new EventTarget());
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('PwaState update gate', () => {
  it('offers a waiting version and takes it at once when nothing runs', () => {
    const { pwa, events, applyUpdate, reload } = setup();
    expect(pwa.update).toBe('none');
    events.onUpdateWaiting();
    expect(pwa.update).toBe('available');
    pwa.acceptUpdate();
    expect(pwa.update).toBe('reloading');
    expect(applyUpdate).toHaveBeenCalledOnce();
    // The page reloads only once the new version controls it.
    expect(reload).not.toHaveBeenCalled();
    events.onNewVersionControlling();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('waits for running work to finish before it reloads, and never reloads by itself', () => {
    const { pwa, events, applyUpdate, work } = setup();
    work.isBusy = true;
    events.onUpdateWaiting();
    vi.advanceTimersByTime(60_000);
    expect(pwa.update).toBe('available');
    pwa.acceptUpdate();
    expect(pwa.update).toBe('finishing');
    vi.advanceTimersByTime(10_000);
    expect(applyUpdate).not.toHaveBeenCalled();
    work.isBusy = false;
    vi.advanceTimersByTime(500);
    expect(pwa.update).toBe('reloading');
    expect(applyUpdate).toHaveBeenCalledOnce();
  });

  it('postpones: no reload later, even when the work ends', () => {
    const { pwa, events, applyUpdate, reload, work } = setup();
    work.isBusy = true;
    events.onUpdateWaiting();
    pwa.acceptUpdate();
    pwa.postponeUpdate();
    expect(pwa.update).toBe('none');
    work.isBusy = false;
    vi.advanceTimersByTime(60_000);
    expect(applyUpdate).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('offers a reload when another tab already switched to the new version', () => {
    const { pwa, events, applyUpdate, reload } = setup();
    events.onNewVersionControlling();
    expect(pwa.update).toBe('available');
    expect(reload).not.toHaveBeenCalled();
    pwa.acceptUpdate();
    expect(reload).toHaveBeenCalledOnce();
    expect(applyUpdate).not.toHaveBeenCalled();
  });

  it('says once that the app works offline', () => {
    const { pwa, events } = setup();
    events.onOfflineReady();
    expect(pwa.isOfflineReady).toBe(true);
    pwa.dismissOfflineReady();
    expect(pwa.isOfflineReady).toBe(false);
  });
});
