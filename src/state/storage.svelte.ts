// How much room the library has left, and whether the browser promised to keep it.
import { type StorageSpace, assessSpace } from '../lib/storage/space.ts';

/** Measured at most this often: a large drop changes the library several times a second. */
const MEASURE_EVERY_MS = 1000;

/** The site's storage: space used and free, and persistence. */
export class StorageState {
  #space = $state.raw<StorageSpace | undefined>(undefined);
  #isPersisted = $state(false);
  #hasAsked = false;
  #pending: Promise<void> | undefined;
  #measuredAt = -Infinity;
  #hasData = false;
  #isStale = false;
  readonly #storage: StorageManager | undefined;

  constructor(storage: StorageManager | undefined = globalThis.navigator?.storage) {
    this.#storage = storage;
  }

  /** Undefined where the browser gives no estimate. */
  get space() { return this.#space; }
  /** True when the browser will not clear the library to free disk space (only the user can). */
  get isPersisted() { return this.#isPersisted; }

  /** Read persistence and space; ask for persistence once there is something to keep. */
  async start(hasData: boolean): Promise<void> {
    this.#isPersisted = (await this.#storage?.persisted?.().catch(() => false)) ?? false;
    await this.refresh(hasData);
  }

  /**
   * Measure again (after the library changed), at most once a second. Calls meanwhile share one
   * promise, and a call that comes while a measure runs gets another one after it, with the latest
   * view of the library: the first image of a drop must still lead to the persistence request.
   */
  refresh(hasData: boolean): Promise<void> {
    this.#hasData = hasData;
    this.#isStale = true;
    this.#pending ??= this.#measureWhileStale().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #measureWhileStale(): Promise<void> {
    while (this.#isStale) {
      const wait = this.#measuredAt + MEASURE_EVERY_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#isStale = false;
      this.#measuredAt = Date.now();
      await this.#measure(this.#hasData);
    }
  }

  async #measure(hasData: boolean): Promise<void> {
    // Asked only once there is a library: Firefox shows a prompt, which an empty app should not.
    if (hasData && !this.#isPersisted && !this.#hasAsked && this.#storage?.persist) {
      this.#hasAsked = true;
      this.#isPersisted = await this.#storage.persist().catch(() => false);
    }
    this.#space = assessSpace(await this.#storage?.estimate?.().catch(() => undefined));
  }
}
