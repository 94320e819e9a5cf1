// Every engine that can read images: the main Ollama, servers the user added, and the built-in
// OCR. It lists the models they offer together and gives the queue one slot per engine, so a
// batch spreads over all of them.
import { BUILTIN_OCR_MODEL } from '../lib/engines/builtin-ocr/index.ts';
import type { EndpointConfig } from '../lib/engines/endpoint.ts';
import { detectServer, type Detection } from '../lib/engines/openai/detect.ts';
import { explainBlocked, explainDetection, type Advice } from '../lib/engines/openai/doctor.ts';
import { normaliseOpenAiBaseUrl } from '../lib/engines/openai/http.ts';
import type { Engine } from '../lib/engines/types.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import { findModelName } from '../lib/ollama/models.ts';
import type { ConnectionState } from './connection.svelte.ts';
import { EndpointState, type EndpointDeps } from './endpoint.svelte.ts';
import { ollamaSlot } from './engine-slots.ts';
import { endpointServerView, primaryServerView, type ServerView } from './server-view.ts';
import type { SettingsState } from './settings.svelte.ts';

export type { ServerModelView, ServerView } from './server-view.ts';

/** The built-in OCR's one model, as jobs and results name it. */
export const OCR_MODEL = BUILTIN_OCR_MODEL;

/** A model the picker offers, with the servers that have it. */
export interface ModelChoice {
  name: string;
  isVision: boolean;
  /** The built-in OCR: it reads printed text only. */
  isOcr: boolean;
  /** Labels of the engines that offer it ("Ollama at localhost:11434", "vLLM at gpu:8000"). */
  engines: string[];
}

/** What EnginesState works with; tests pass fakes. */
export interface EnginesDeps extends EndpointDeps {
  settings: SettingsState;
  connection: ConnectionState;
  /** The built-in OCR, when this build has it. */
  ocr?: Engine;
  detect?: (url: string, options: { apiKey?: string }) => Promise<Detection>;
  /** Called when the slots changed, so the queue hands out work again. */
  onSlotsChanged?: () => void;
}

/** The engines and their slots. */
export class EnginesState {
  #endpoints = $state.raw<EndpointState[]>([]);
  #isDetecting = $state(false);
  #advice = $state.raw<Advice | undefined>();
  #notice = $state('');
  /** The address the last add found silent: the policy's report that it blocked it may come later. */
  #silentUrl = $state('');
  readonly #primary: EngineSlot;
  readonly #ocr: EngineSlot | undefined;
  readonly #deps: EnginesDeps;

  constructor(deps: EnginesDeps) {
    this.#deps = deps;
    const { connection, settings } = deps;
    this.#primary = ollamaSlot(connection, {
      concurrency: () => settings.ollamaConcurrency,
      // A model on no other server still goes to the main Ollama, which then says it lacks it.
      accepts: (job) => job.model !== OCR_MODEL && (connection.offers(job.model) || !this.#endpoints.some((e) => e.offers(job.model))),
    });
    this.#ocr = deps.ocr && ocrSlot(deps.ocr);
  }

  /** Servers added beside the main Ollama. */
  get endpoints(): readonly EndpointState[] { return this.#endpoints; }
  /** True while an address typed in is being identified. */
  get isDetecting() { return this.#isDetecting; }
  /** What went wrong adding the last address, with the fix. */
  get advice(): Advice | undefined {
    // The policy's refusal looks like silence to fetch; its violation report tells them apart.
    if (this.#silentUrl && this.#deps.isBlocked?.(this.#silentUrl)) return explainBlocked(this.#silentUrl);
    return this.#advice;
  }
  /** What the last add did ("Added vLLM at gpu:8000."), for a live region. */
  get notice() { return this.#notice; }
  /** The main Ollama's slot id, for its progress figures. */
  get primarySlotId() { return this.#primary.id; }
  get hasOcr() { return this.#ocr !== undefined; }
  get ocrLabel() { return this.#ocr?.engine.label ?? ''; }

  /** The main Ollama, then each added server, as the Servers list shows them. */
  get servers(): ServerView[] {
    const { connection, settings } = this.#deps;
    return [primaryServerView(connection, settings, this.#primary.id), ...this.#endpoints.map(endpointServerView)];
  }

  /** Every slot jobs can run on (for the queue: a slot holds its engine, which components never get). */
  slotsForQueue(): EngineSlot[] {
    return this.#slots;
  }

  /** Built once per change of the server list: every queued job's status reads it. */
  readonly #slots = $derived.by(() => [this.#primary, ...this.#endpoints.map((e) => e.slot()), ...(this.#ocr ? [this.#ocr] : [])]);

  /** Models across all engines, the same name on several servers listed once. */
  get modelChoices(): ModelChoice[] {
    const choices = new Map<string, ModelChoice>();
    const add = (name: string, isVision: boolean, engine: string) => {
      const key = findModelName([...choices.keys()], name) ?? name;
      const choice = choices.get(key) ?? { name: key, isVision: false, isOcr: false, engines: [] };
      choice.isVision ||= isVision;
      if (!choice.engines.includes(engine)) choice.engines.push(engine);
      choices.set(key, choice);
    };
    const { connection } = this.#deps;
    for (const model of connection.visionModels) add(model.name, true, connection.engine.label);
    for (const endpoint of this.#endpoints) {
      if (!endpoint.isAvailable) continue;
      for (const model of endpoint.models) add(model.name, model.capabilities.vision, endpoint.label);
    }
    const list = [...choices.values()];
    if (this.#ocr) list.push({ name: OCR_MODEL, isVision: false, isOcr: true, engines: [this.#ocr.engine.label] });
    return list;
  }

  /** Start the saved servers. */
  load(): void {
    this.#endpoints = this.#deps.settings.endpoints.map((config) => this.#start(config));
  }

  /** Identify the server at `url` and add it; on failure, `advice` says why and how to fix it. */
  async addServer(url: string, apiKey?: string): Promise<boolean> {
    const key = apiKey?.trim() || undefined;
    this.#isDetecting = true;
    this.#advice = undefined;
    this.#notice = '';
    this.#silentUrl = '';
    try {
      const baseUrl = normaliseOpenAiBaseUrl(url);
      const detection = await (this.#deps.detect ?? detectServer)(baseUrl, { apiKey: key });
      if (detection.status !== 'found') {
        if (detection.status === 'unreachable') this.#silentUrl = baseUrl;
        this.#advice = explainDetection(detection, this.#deps.origin);
        return false;
      }
      const { server } = detection;
      const config: EndpointConfig = {
        id: `${server.kind} ${server.baseUrl}`,
        kind: server.kind,
        url: server.baseUrl,
        ...(server.kind === 'openai' && server.flavour !== 'ollama' ? { flavour: server.flavour } : {}),
        ...(key && server.kind === 'openai' ? { apiKey: key } : {}),
        concurrency: server.concurrency,
        visionModels: [],
      };
      const isPrimary = server.kind === 'ollama' && server.baseUrl === this.#deps.settings.ollamaUrl;
      if (isPrimary || this.#endpoints.some((e) => e.id === config.id)) {
        this.#advice = { headline: `${server.label} at ${server.baseUrl} is already in the list.`, steps: [] };
        return false;
      }
      const endpoint = this.#start(config);
      this.#endpoints = [...this.#endpoints, endpoint];
      this.#save();
      this.#notice = `Added ${endpoint.label}.`;
      return true;
    } finally {
      this.#isDetecting = false;
    }
  }

  /** Forget a server; its queued images go to the others. */
  removeServer(id: string): void {
    this.#endpoints.find((e) => e.id === id)?.dispose();
    this.#endpoints = this.#endpoints.filter((e) => e.id !== id);
    this.#save();
  }

  /** How many images a server (or the main Ollama, by its slot id) reads at once, 1–16; returns what was kept. */
  setConcurrency(id: string, concurrency: number): number {
    const value = Math.max(1, Math.min(16, Math.round(concurrency) || 1));
    if (id === this.#primary.id) this.#deps.settings.set('ollamaConcurrency', value);
    else this.#change(id, (config) => ({ ...config, concurrency: value }));
    this.#deps.onSlotsChanged?.();
    return value;
  }

  /** Keep an API key for one server (sent to it only). */
  setApiKey(id: string, apiKey: string): void {
    this.#change(id, (config) => ({ ...config, apiKey: apiKey.trim() || undefined }));
  }

  /** Mark a model as seeing images (or not) where its server does not say. */
  markVision(id: string, model: string, isVision: boolean): void {
    this.#change(id, (config) => ({
      ...config,
      visionModels: isVision ? [...new Set([...config.visionModels, model])] : config.visionModels.filter((m) => m !== model),
    }));
  }

  #start(config: EndpointConfig): EndpointState {
    const endpoint = new EndpointState(config, this.#deps);
    void endpoint.refresh().then(() => this.#deps.onSlotsChanged?.());
    return endpoint;
  }

  #change(id: string, edit: (config: EndpointConfig) => EndpointConfig): void {
    const endpoint = this.#endpoints.find((e) => e.id === id);
    if (!endpoint) return;
    endpoint.update(edit(endpoint.config));
    this.#save();
  }

  #save(): void {
    this.#deps.settings.set('endpoints', this.#endpoints.map((e) => e.config));
  }
}

/** The built-in OCR as a slot: always there, one image at a time (it uses one worker). */
function ocrSlot(engine: Engine): EngineSlot {
  return {
    id: engine.id,
    concurrency: 1,
    engine,
    isAvailable: true,
    waitUntilAvailable: () => Promise.resolve(),
    reportUnavailable: () => {},
    accepts: (job) => job.model === OCR_MODEL,
  };
}
