// The installed app's life: ready offline, a new version to take, and addresses the CSP refused.
import { watchBlockedConnections } from '../lib/pwa/blocked-connections.ts';
import { type RegisterServiceWorker, type ServiceWorkerControl, registerServiceWorker } from '../lib/pwa/register.ts';

/** Where an update stands: none, offered, accepted but waiting for work to end, being applied. */
export type UpdatePhase = 'none' | 'available' | 'finishing' | 'reloading';

/** How often to look whether running work has ended, once the user accepted an update. */
const IDLE_POLL_MS = 500;

/** What PwaState works with; tests pass fakes. */
export interface PwaDeps {
  /** True while reloading would lose work (an image being read, run or exported). */
  isBusy: () => boolean;
  register?: RegisterServiceWorker;
  reload?: () => void;
}

/** Offline readiness and updates, which never reload the page while work is running. */
export class PwaState {
  #isOfflineReady = $state(false);
  #update = $state<UpdatePhase>('none');
  #blockedUrl = $state('');
  /** Every origin refused this session (the banner shows only the last). */
  #blockedOrigins = $state.raw<ReadonlySet<string>>(new Set());
  #control: ServiceWorkerControl | undefined;
  #isAccepted = false;
  #hasNewController = false;
  #idleTimer: ReturnType<typeof setInterval> | undefined;
  readonly #deps: Required<PwaDeps>;

  constructor(deps: PwaDeps) {
    this.#deps = { register: registerServiceWorker, reload: () => location.reload(), ...deps };
  }

  /** True once, after the first visit cached the app. */
  get isOfflineReady() { return this.#isOfflineReady; }
  get update() { return this.#update; }
  /** An address the Content-Security-Policy refused to contact (an Ollama on an unusual port). */
  get blockedUrl() { return this.#blockedUrl; }

  /** Register the service worker (built app only: the dev server has none). */
  start(): void {
    watchBlockedConnections((url) => {
      this.#blockedUrl = url;
      this.#blockedOrigins = new Set([...this.#blockedOrigins, originOf(url)]);
    });
    if (!import.meta.env.PROD) return;
    this.#control = this.#deps.register('/sw.js', {
      onOfflineReady: () => (this.#isOfflineReady = true),
      onUpdateWaiting: () => this.#offer(),
      onNewVersionControlling: () => {
        this.#hasNewController = true;
        if (this.#isAccepted) this.#proceed();
        else this.#offer();
      },
      onError: (error) => console.warn('Service worker registration failed; Lenscribe works, but not offline.', error),
    });
  }

  /** True when the policy refused a connection to this address's origin this session (reactive: the report may come late). */
  isBlocked(url: string): boolean {
    return this.#blockedOrigins.has(originOf(url));
  }

  dismissOfflineReady(): void {
    this.#isOfflineReady = false;
  }

  dismissBlocked(): void {
    this.#blockedUrl = '';
  }

  /** The user chose to reload into the new version: now, or as soon as running work ends. */
  acceptUpdate(): void {
    this.#isAccepted = true;
    this.#proceed();
  }

  /** Not now: the waiting version is offered again on the next visit. */
  postponeUpdate(): void {
    this.#isAccepted = false;
    clearInterval(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#update = 'none';
  }

  #offer(): void {
    if (this.#update === 'none') this.#update = 'available';
  }

  #proceed(): void {
    if (this.#deps.isBusy()) {
      this.#update = 'finishing';
      this.#idleTimer ??= setInterval(() => {
        if (this.#deps.isBusy()) return;
        clearInterval(this.#idleTimer);
        this.#idleTimer = undefined;
        this.#proceed();
      }, IDLE_POLL_MS);
      return;
    }
    this.#update = 'reloading';
    // The new version already controls the page (another tab took it): only the page is old.
    if (this.#hasNewController) this.#deps.reload();
    else this.#control?.applyUpdate();
  }
}

/** A URL's origin; the text itself when it is not a URL. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
