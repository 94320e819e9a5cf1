// Whether Ollama answers, which models it has, and what to tell the user when it does not.
import { OllamaClient, type OllamaApi } from '../lib/ollama/client.ts';
import { describeModel, type ModelInfo } from '../lib/ollama/capabilities.ts';
import { OllamaHttpError, OllamaUnreachableError, isAbortError } from '../lib/ollama/errors.ts';
import { pickDefaultModel } from '../lib/ollama/models.ts';
import type { SettingsState } from './settings.svelte.ts';

/** Where the connection stands. */
export type ConnectionStatus = 'checking' | 'connected' | 'not-running' | 'cors-blocked' | 'error';

/** Backoff while Ollama is away: quick at first, then every 15 s at most. */
const POLL_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

/** The live connection to Ollama and its models. */
export class ConnectionState {
  #status = $state<ConnectionStatus>('checking');
  #version = $state('');
  #error = $state('');
  #models = $state.raw<ModelInfo[]>([]);
  #warmModel = $state('');
  #isWarming = $state(false);
  #client = $state.raw<OllamaApi>(new OllamaClient());
  #waiters: (() => void)[] = [];
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  readonly #settings: SettingsState;
  readonly #createClient: (url: string) => OllamaApi;

  constructor(settings: SettingsState, createClient: (url: string) => OllamaApi = (url) => new OllamaClient(url)) {
    this.#settings = settings;
    this.#createClient = createClient;
  }

  get status() { return this.#status; }
  get version() { return this.#version; }
  /** Ollama's own error text when it answered with an error. */
  get error() { return this.#error; }
  get models() { return this.#models; }
  get client() { return this.#client; }
  get isConnected() { return this.#status === 'connected'; }
  /** True while the chosen model is being loaded into memory. */
  get isWarming() { return this.#isWarming; }
  get visionModels() { return this.#models.filter((m) => m.isVision); }
  /** The chosen model's details, if Ollama has it. */
  get selectedModel(): ModelInfo | undefined {
    return this.#models.find((m) => m.name === this.#settings.model);
  }
  get hasNoVisionModel() { return this.isConnected && this.visionModels.length === 0; }
  get isSelectedModelMissing() {
    return this.isConnected && this.#settings.model !== '' && this.visionModels.length > 0 && !this.selectedModel;
  }

  /** Check Ollama now: version, models and their capabilities. Keeps polling while it is away. */
  async refresh(): Promise<void> {
    clearTimeout(this.#pollTimer);
    const client = this.#client.baseUrl === this.#settings.ollamaUrl ? this.#client : this.#createClient(this.#settings.ollamaUrl);
    this.#client = client;
    try {
      const version = await client.version();
      const tags = await client.listModels();
      const shows = await Promise.all(tags.map((tag) => client.showModel(tag.name).catch(() => undefined)));
      this.#models = tags.map((tag, i) => describeModel(tag, shows[i]));
      this.#version = version;
      this.#error = '';
      this.#status = 'connected';
      this.#failures = 0;
      this.#chooseModelIfNeeded();
      this.#wake();
    } catch (error) {
      await this.#explain(error, client);
      this.#schedulePoll();
    }
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
    this.#schedulePoll();
  }

  /** Load the chosen model so the first image does not pay the load time silently. */
  async warmUp(model: string): Promise<void> {
    if (!model || this.#warmModel === model || !this.isConnected) return;
    this.#isWarming = true;
    try {
      await this.#client.warmUp(model, '10m');
      this.#warmModel = model;
    } catch {
      // A failed warm-up is not an error to show: the first real request reports it properly.
    } finally {
      this.#isWarming = false;
    }
  }

  /** Called after a model was pulled or removed. */
  async reloadModels(): Promise<void> {
    await this.refresh();
  }

  async #explain(error: unknown, client: OllamaApi): Promise<void> {
    if (isAbortError(error)) return;
    if (error instanceof OllamaHttpError) {
      this.#status = 'error';
      this.#error = error.message;
    } else if (error instanceof OllamaUnreachableError) {
      // A refused CORS preflight and a stopped server look the same to fetch; a no-cors probe
      // resolves only when something is listening.
      this.#status = (await client.isServerAnswering().catch(() => false)) ? 'cors-blocked' : 'not-running';
      this.#error = '';
    } else {
      this.#status = 'error';
      this.#error = error instanceof Error ? error.message : String(error);
    }
  }

  #chooseModelIfNeeded(): void {
    const names = this.visionModels.map((m) => m.name);
    if (names.includes(this.#settings.model)) return;
    const choice = pickDefaultModel(names);
    if (choice && (this.#settings.model === '' || !this.#models.some((m) => m.name === this.#settings.model))) {
      this.#settings.set('model', choice);
    }
  }

  #schedulePoll(): void {
    if (this.#status === 'connected' && this.#waiters.length === 0) return;
    clearTimeout(this.#pollTimer);
    const delay = POLL_DELAYS_MS[Math.min(this.#failures, POLL_DELAYS_MS.length - 1)] ?? 15000;
    this.#failures++;
    this.#pollTimer = setTimeout(() => void this.refresh(), delay);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
