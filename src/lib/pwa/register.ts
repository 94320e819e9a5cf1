// The service worker's lifecycle through workbox-window, told as a few plain events.
import { Workbox } from 'workbox-window';

/** What the page hears from its service worker. */
export interface ServiceWorkerEvents {
  /** The first service worker has cached the whole app: it now opens with no network. */
  onOfflineReady(): void;
  /** A new version is installed and waits for `applyUpdate`. */
  onUpdateWaiting(): void;
  /** A new version took control of this page (ours or another tab's doing): reload to run it. */
  onNewVersionControlling(): void;
  onError(error: unknown): void;
}

/** What the page can ask of its service worker. */
export interface ServiceWorkerControl {
  /** Let the waiting version take over; `onNewVersionControlling` follows. */
  applyUpdate(): void;
}

/** A registration function, so state can be tested with a fake. */
export type RegisterServiceWorker = (url: string, events: ServiceWorkerEvents) => ServiceWorkerControl | undefined;

/** Register the app's service worker; undefined where the browser has none (or in a non-secure context). */
export const registerServiceWorker: RegisterServiceWorker = (url, events) => {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox(url, { scope: '/' });
  // First visit: nothing controlled the page at load. `ready` resolves once a worker is active,
  // which happens only after its install (the whole precache) succeeded. workbox-window's own
  // 'installed' event guesses first-install versus external from timing, and missed it under load.
  if (!navigator.serviceWorker.controller) void navigator.serviceWorker.ready.then(() => events.onOfflineReady());
  // Also fires at register() for a version left waiting by an earlier visit (wasWaitingBeforeRegister).
  wb.addEventListener('waiting', () => events.onUpdateWaiting());
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate || event.isExternal) events.onNewVersionControlling();
  });
  wb.register().catch(events.onError);
  return { applyUpdate: () => wb.messageSkipWaiting() };
};
