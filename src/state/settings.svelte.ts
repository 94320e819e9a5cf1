// The user's choices, kept across reloads in the settings store.
import { DEFAULT_OLLAMA_URL, normaliseBaseUrl } from '../lib/ollama/client.ts';
import type { EndpointConfig } from '../lib/engines/endpoint.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import { DEFAULT_STALL_LIMITS, type StallLimits } from '../lib/jobs/stall-watchdog.ts';
import { DEFAULT_REVIEW_BELOW_PERCENT } from '../lib/confidence/review.ts';
import type { TaskPreset } from '../lib/tasks/presets.ts';

/** Every persisted choice with its default. */
const DEFAULTS = {
  ollamaUrl: DEFAULT_OLLAMA_URL,
  model: '',
  /** The built-in OCR was chosen for the user because no Ollama answered, not by the user. */
  isOcrAutomatic: false,
  taskId: 'extract-markdown',
  language: 'English',
  customPrompt: '',
  context: '',
  /** Add each image's file name (its path inside a dropped folder) to the context. */
  contextAddsFileName: false,
  /** The user's presets: edited built-ins (under the built-in's id) and their own. */
  presets: [] as TaskPreset[],
  textExtension: 'md' as 'md' | 'txt',
  includeImages: true,
  /** How many images the main Ollama reads at once (its OLLAMA_NUM_PARALLEL is 1 by default). */
  ollamaConcurrency: 1,
  /** Servers added beside the main Ollama. */
  endpoints: [] as EndpointConfig[],
  /** Seconds to wait for a reply to start (a cold model load can take minutes). */
  firstTextLimitSeconds: DEFAULT_STALL_LIMITS.firstTextMs / 1000,
  /** Seconds of silence between pieces of a reply before it counts as stalled. */
  idleLimitSeconds: DEFAULT_STALL_LIMITS.idleMs / 1000,
  /** A model's text whose confidence (or agreement with other models) is below this percentage needs review. */
  reviewBelowPercent: DEFAULT_REVIEW_BELOW_PERCENT,
  /** Two or more models to run each image with at once (fewer: only `model` runs). */
  compareModels: [] as string[],
};

/** A persisted setting's name. */
export type SettingName = keyof typeof DEFAULTS;
type Settings = typeof DEFAULTS;

/** The user's settings; each change is saved at once. */
export class SettingsState {
  #values = $state<Settings>({ ...DEFAULTS });
  readonly #listeners = new Set<(name: SettingName) => void>();
  readonly #store: LibraryStore;

  constructor(store: LibraryStore) {
    this.#store = store;
  }

  /** Read saved values; missing ones keep their defaults. */
  async load(): Promise<void> {
    const entries = await Promise.all(
      (Object.keys(DEFAULTS) as SettingName[]).map(async (name) => [name, await this.#store.getSetting(name)] as const),
    );
    for (const [name, value] of entries) {
      if (value !== undefined && typeof value === typeof DEFAULTS[name]) (this.#values as Record<string, unknown>)[name] = value;
    }
  }

  get ollamaUrl() { return this.#values.ollamaUrl; }
  get model() { return this.#values.model; }
  get isOcrAutomatic() { return this.#values.isOcrAutomatic; }
  get taskId() { return this.#values.taskId; }
  get language() { return this.#values.language; }
  get customPrompt() { return this.#values.customPrompt; }
  get context() { return this.#values.context; }
  get contextAddsFileName() { return this.#values.contextAddsFileName; }
  get presets() { return this.#values.presets; }
  get textExtension() { return this.#values.textExtension; }
  get includeImages() { return this.#values.includeImages; }
  get ollamaConcurrency() { return this.#values.ollamaConcurrency; }
  get endpoints() { return this.#values.endpoints; }
  get firstTextLimitSeconds() { return this.#values.firstTextLimitSeconds; }
  get idleLimitSeconds() { return this.#values.idleLimitSeconds; }
  get reviewBelowPercent() { return this.#values.reviewBelowPercent; }
  get compareModels() { return this.#values.compareModels; }
  /** The models a run uses: the compared ones when two or more are chosen, else the chosen model. */
  get runModels(): string[] {
    return this.#values.compareModels.length >= 2 ? this.#values.compareModels : this.#values.model ? [this.#values.model] : [];
  }

  /** Set the review threshold from a number input: a whole percentage, 0–100; anything else is ignored. */
  setReviewBelow(percent: number): void {
    if (!Number.isFinite(percent)) return;
    this.set('reviewBelowPercent', Math.min(100, Math.max(0, Math.round(percent))));
  }

  /** Add a model to, or take it from, the models run side by side. */
  toggleCompareModel(name: string, isChosen: boolean): void {
    const others = this.#values.compareModels.filter((model) => model !== name);
    this.set('compareModels', isChosen ? [...others, name] : others);
  }
  /** The stall limits in the job runner's terms. */
  get stallLimits(): StallLimits {
    return { firstTextMs: this.#values.firstTextLimitSeconds * 1000, idleMs: this.#values.idleLimitSeconds * 1000 };
  }

  /** Set a stall limit from a number input: whole seconds, 1 s to an hour; anything else is ignored. */
  setStallLimit(name: 'firstTextLimitSeconds' | 'idleLimitSeconds', seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    this.set(name, Math.min(3600, Math.max(1, Math.round(seconds))));
  }

  /** Call `listener` after each change, so state can act on a choice (run images waiting for a model). */
  onChange(listener: (name: SettingName) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Change one setting and save it. */
  set<K extends SettingName>(name: K, value: Settings[K]): void {
    const next = name === 'ollamaUrl' ? (normaliseBaseUrl(value as string) || DEFAULT_OLLAMA_URL) : value;
    (this.#values as Record<string, unknown>)[name] = next;
    // A snapshot: IndexedDB cannot store the reactive proxy of a list.
    void this.#store.setSetting(name, $state.snapshot(next)).catch(() => {});
    for (const listener of this.#listeners) listener(name);
  }
}
