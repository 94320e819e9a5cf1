// Whether Ollama answers, which models it has, and what to tell the user when it does not.
import { BUILTIN_OCR_MODEL } from '../lib/engines/builtin-ocr/index.ts';
import { OllamaEngine } from '../lib/engines/ollama.ts';
import { OllamaClient, type OllamaApi } from '../lib/ollama/client.ts';
import { describeModel, type ModelInfo } from '../lib/ollama/capabilities.ts';
import { OllamaHttpError, OllamaUnreachableError, isAbortError } from '../lib/ollama/errors.ts';
import { canonicalModelName, findModelName, pickDefaultModel } from '../lib/ollama/models.ts';
import { KEEP_ALIVE } from '../lib/ollama/request.ts';
import type { SettingsState } from './settings.svelte.ts';

/** Where the connection stands. */
export type ConnectionStatus = 'checking' | 'connected' | 'not-running' | 'cors-blocked' | 'error';

/** Backoff while Ollama is away: quick at first, then every 15 s at most. */
const POLL_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
/** While connected, a cheap version check this often notices Ollama quitting while the page is idle. */
const HEARTBEAT_MS = 30_000;

/** The live connection to Ollama and its models. */
export class ConnectionState {
  #status = $state<ConnectionStatus>('checking');
  #version = $state('');
  #error = $state('');
  #models = $state.raw<ModelInfo[]>([]);
  #warmModel = '';
  /** Warm-ups in flight (the user may switch models while one loads). */
  #warmUps = $state(0);
  #client: OllamaApi;
  /** Jobs read through this; a new address gives a new engine. */
  #engine = $state.raw<OllamaEngine>() as OllamaEngine;
  #waiters: (() => void)[] = [];
  readonly #checkListeners = new Set<() => void>();
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #failures = 0;
  /** Bumped by each refresh, so an older one that ends late does not overwrite a newer answer. */
  #generation = 0;
  readonly #settings: SettingsState;
  readonly #createClient: (url: string) => OllamaApi;

  constructor(settings: SettingsState, createClient: (url: string) => OllamaApi = (url) => new OllamaClient(url)) {
    this.#settings = settings;
    this.#createClient = createClient;
    this.#client = createClient(settings.ollamaUrl);
    this.#engine = new OllamaEngine(this.#client);
  }

  get status() { return this.#status; }
  get version() { return this.#version; }
  /** Ollama's own error text when it answered with an error. */
  get error() { return this.#error; }
  get models() { return this.#models; }
  get client() { return this.#client; }
  /** The connected Ollama as an Engine, for the job runner. */
  get engine() { return this.#engine; }
  get isConnected() { return this.#status === 'connected'; }
  /** True while the chosen model is being loaded into memory. */
  get isWarming() { return this.#warmUps > 0; }
  get visionModels() { return this.#models.filter((m) => m.isVision); }
  /** The chosen model's details, if Ollama has it. */
  get selectedModel(): ModelInfo | undefined {
    const name = findModelName(this.#models.map((m) => m.name), this.#settings.model);
    return this.#models.find((m) => m.name === name);
  }
  /** True when Ollama answers and has this model. */
  offers(model: string): boolean {
    return this.isConnected && this.#modelKeys.has(canonicalModelName(model));
  }
  /** The listed models' canonical names: the queue asks offers() of every queued job. */
  readonly #modelKeys = $derived(new Set(this.#models.map((m) => canonicalModelName(m.name))));
  get hasNoVisionModel() { return this.isConnected && this.visionModels.length === 0; }
  get isSelectedModelMissing() {
    const { model } = this.#settings;
    // The built-in OCR is no Ollama model: Ollama lacking it is no news.
    return this.isConnected && model !== '' && model !== BUILTIN_OCR_MODEL && this.visionModels.length > 0 && !this.selectedModel;
  }

  /** Check Ollama now: version, models and their capabilities. Keeps polling while it is away. */
  async refresh(): Promise<void> {
    this.#cancelPoll();
    const generation = ++this.#generation;
    const client = this.#client.baseUrl === this.#settings.ollamaUrl ? this.#client : this.#createClient(this.#settings.ollamaUrl);
    this.#client = client;
    if (this.#engine.api !== client) this.#engine = new OllamaEngine(client);
    try {
      const version = await client.version();
      const tags = await client.listModels();
      const shows = await Promise.all(tags.map((tag) => client.showModel(tag.name).catch(() => undefined)));
      if (generation !== this.#generation) return;
      this.#models = tags.map((tag, i) => describeModel(tag, shows[i]));
      this.#version = version;
      this.#error = '';
      this.#status = 'connected';
      this.#failures = 0;
      this.#chooseModelIfNeeded();
      this.#wake();
      void this.warmUp(this.#settings.model);
      this.#notifyChecked();
    } catch (error) {
      await this.#explain(error, client, generation);
      if (generation === this.#generation) {
        this.#schedulePoll();
        this.#notifyChecked();
      }
    }
  }

  /** Call `listener` after each check of Ollama has settled its status, answered or not; returns the unsubscribe. */
  onChecked(listener: () => void): () => void {
    this.#checkListeners.add(listener);
    return () => this.#checkListeners.delete(listener);
  }

  /**
   * Keep the status true while nothing else talks to Ollama: a version check every 30 s, and a full
   * refresh when the tab comes back into view (models pulled from a terminal meanwhile show up).
   */
  watch(page: Document): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (this.isConnected) void this.#client.version().catch(() => this.refresh());
    }, HEARTBEAT_MS);
    page.addEventListener('visibilitychange', () => {
      if (page.visibilityState === 'visible' && this.#pollTimer === undefined) void this.refresh();
    });
  }

  /** Use this address from now on and check it at once, with the backoff started afresh. */
  async testConnection(url: string): Promise<void> {
    this.#settings.set('ollamaUrl', url);
    this.#failures = 0;
    await this.refresh();
  }

  /** Resolves once Ollama answers again (polled with backoff); rejects if the signal aborts. */
  waitUntilConnected(signal?: AbortSignal): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(done);
      this.#schedulePoll();
    });
  }

  /** Something failed to reach Ollama mid-work: mark it away and start polling. */
  reportUnreachable(): void {
    if (this.#status === 'connected') this.#status = 'not-running';
    // A restarted Ollama has nothing loaded.
    this.#warmModel = '';
    this.#schedulePoll();
  }

  /** Load the chosen model so the first image does not pay the load time silently. */
  async warmUp(model: string): Promise<void> {
    const isInstalled = findModelName(this.#models.map((m) => m.name), model) !== undefined;
    if (!model || this.#warmModel === model || !this.isConnected || !isInstalled) return;
    this.#warmModel = model;
    this.#warmUps++;
    try {
      await this.#client.warmUp(model, KEEP_ALIVE);
    } catch {
      // A failed warm-up is not an error to show: the first real request reports it properly.
      if (this.#warmModel === model) this.#warmModel = '';
    } finally {
      this.#warmUps--;
    }
  }

  async #explain(error: unknown, client: OllamaApi, generation: number): Promise<void> {
    if (isAbortError(error)) return;
    let status: ConnectionStatus = 'error';
    let message = '';
    if (error instanceof OllamaHttpError) {
      message = error.message;
    } else if (error instanceof OllamaUnreachableError) {
      // A refused CORS preflight and a stopped server look the same to fetch; a no-cors probe
      // resolves only when something is listening.
      status = (await client.isServerAnswering().catch(() => false)) ? 'cors-blocked' : 'not-running';
    } else {
      message = error instanceof Error ? error.message : String(error);
    }
    if (generation !== this.#generation) return;
    this.#status = status;
    this.#error = message;
    this.#warmModel = '';
  }

  /** Pick a model on first use; spell a chosen one as Ollama lists it. A missing one stays, so the user is told. */
  #chooseModelIfNeeded(): void {
    const { model } = this.#settings;
    const listed = model ? findModelName(this.visionModels.map((m) => m.name), model) : pickDefaultModel(this.visionModels.map((m) => m.name));
    if (listed && listed !== model) this.#settings.set('model', listed);
  }

  #notifyChecked(): void {
    for (const listener of this.#checkListeners) listener();
  }

  #schedulePoll(): void {
    // One poll at a time: several runs waiting must not restart or speed up the backoff.
    if (this.#pollTimer !== undefined || (this.#status === 'connected' && this.#waiters.length === 0)) return;
    const delay = POLL_DELAYS_MS[Math.min(this.#failures, POLL_DELAYS_MS.length - 1)] ?? 15000;
    this.#failures++;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      void this.refresh();
    }, delay);
  }

  #cancelPoll(): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
