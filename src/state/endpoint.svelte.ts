// One server added beside the main Ollama: whether it answers, its models, and its queue slot.
import { createEndpointEngine, explainEndpointTrouble, offersModel, type EndpointConfig, type EndpointEngine } from '../lib/engines/endpoint.ts';
import { explainBlocked } from '../lib/engines/openai/doctor.ts';
import { FLAVOURS } from '../lib/engines/openai/flavours.ts';
import type { EngineModel } from '../lib/engines/types.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';

/** Where a server stands. */
export type EndpointStatus = 'checking' | 'connected' | 'away' | 'error';

/** Backoff while a server is away: quick at first, then every 15 s at most. */
const POLL_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
/** While connected, a model list this often notices a server quitting while nothing runs on it. */
const HEARTBEAT_MS = 30_000;

/** What EndpointState works with; tests pass fakes. */
export interface EndpointDeps {
  createEngine?: (config: EndpointConfig) => EndpointEngine;
  /** The page's origin, which CORS advice is worked out for. */
  origin: string;
  /** True when the page's Content-Security-Policy refused this address (it can never answer then). */
  isBlocked?: (url: string) => boolean;
}

/** A server's live state. */
export class EndpointState {
  #config = $state.raw<EndpointConfig>() as EndpointConfig;
  #engine = $state.raw<EndpointEngine>() as EndpointEngine;
  #status = $state<EndpointStatus>('checking');
  #message = $state('');
  #steps = $state.raw<string[]>([]);
  #models = $state.raw<EngineModel[]>([]);
  #waiters: (() => void)[] = [];
  /** One slot object for the server's life: the queue counts a slot's running jobs by identity. */
  readonly #slot: EngineSlot;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #generation = 0;
  #isDisposed = false;
  readonly #deps: EndpointDeps;

  constructor(config: EndpointConfig, deps: EndpointDeps) {
    this.#deps = deps;
    this.#config = config;
    this.#engine = (deps.createEngine ?? createEndpointEngine)(config);
    this.#slot = this.#createSlot();
  }

  get id() { return this.#config.id; }
  get config() { return this.#config; }
  get label() { return this.#engine.label; }
  get status() { return this.#status; }
  get isAvailable() { return this.#status === 'connected'; }
  /** Why it is not connected, in words. */
  get message() { return this.#message; }
  /** How to fix it (the exact CORS setting for this server and page). */
  get steps() { return this.#steps; }
  get models() { return this.#models; }

  /** True when this server can run jobs for the model. */
  offers(model: string): boolean {
    return this.isAvailable && offersModel(this.#models, model);
  }

  /** Ask the server for its models now; keeps polling while it is away. */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const generation = ++this.#generation;
    const engine = this.#engine;
    try {
      const models = await engine.listModels();
      if (generation !== this.#generation || this.#isDisposed) return;
      this.#models = models;
      this.#status = 'connected';
      this.#message = '';
      this.#steps = [];
      this.#failures = 0;
      this.#wake();
      this.#timer = setTimeout(() => void this.refresh(), HEARTBEAT_MS);
    } catch (error) {
      const trouble = await explainEndpointTrouble(this.#config, engine, error, this.#deps.origin);
      if (generation !== this.#generation || this.#isDisposed) return;
      if (this.#deps.isBlocked?.(this.#config.url)) {
        const advice = explainBlocked(this.#config.url);
        this.#status = 'error';
        this.#message = advice.headline;
        this.#steps = advice.steps;
        return;
      }
      this.#status = trouble.isAway ? 'away' : 'error';
      this.#message = trouble.message;
      this.#steps = trouble.steps;
      this.#schedulePoll();
    }
  }

  /** Use new settings (concurrency, key, vision marks); a new key or mark asks the server again. */
  update(config: EndpointConfig): void {
    const needsEngine = config.apiKey !== this.#config.apiKey || config.visionModels.join('\n') !== this.#config.visionModels.join('\n');
    this.#config = config;
    if (needsEngine) {
      this.#engine = (this.#deps.createEngine ?? createEndpointEngine)(config);
      void this.refresh();
    }
  }

  /** Stop polling; the server was removed. */
  dispose(): void {
    this.#isDisposed = true;
    clearTimeout(this.#timer);
  }

  /** This server as a queue slot for the models it offers (always the same object). */
  slot(): EngineSlot {
    return this.#slot;
  }

  #createSlot(): EngineSlot {
    const config = () => this.#config;
    const engine = () => this.#engine;
    const isAvailable = () => this.isAvailable;
    return {
      get id() { return config().id; },
      get concurrency() { return config().concurrency; },
      get queuesAhead() {
        const { kind, flavour } = config();
        return kind === 'ollama' || FLAVOURS[flavour ?? 'generic'].queuesAhead;
      },
      get engine() { return engine(); },
      get isAvailable() { return isAvailable(); },
      waitUntilAvailable: (signal) => this.#waitUntilAvailable(signal),
      reportUnavailable: () => this.#reportUnavailable(),
      accepts: (job) => offersModel(this.#models, job.model),
      modelDigest: (model) => this.#models.find((m) => m.name === model)?.digest,
    };
  }

  #waitUntilAvailable(signal: AbortSignal): Promise<void> {
    if (this.isAvailable) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(done);
      this.#schedulePoll();
    });
  }

  #reportUnavailable(): void {
    if (this.#status === 'connected') {
      this.#status = 'away';
      this.#message = `${this.label} stopped answering. Its images went to the other servers; it rejoins when it answers.`;
      // The heartbeat would ask again only in 30 s: poll at the quick pace instead.
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#failures = 0;
    }
    this.#schedulePoll();
  }

  #schedulePoll(): void {
    if (this.#isDisposed || (this.#timer !== undefined && this.#status !== 'connected')) return;
    clearTimeout(this.#timer);
    const delay = POLL_DELAYS_MS[Math.min(this.#failures, POLL_DELAYS_MS.length - 1)] ?? 15000;
    this.#failures++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, delay);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
