import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EndpointConfig } from '../lib/engines/endpoint.ts';
import type { Detection } from '../lib/engines/openai/detect.ts';
import type { EngineModel } from '../lib/engines/types.ts';
import { FakeEngine, fakeEncoder, makeJob } from '../lib/jobs/test-fakes.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { JobRecord, ResultRecord } from '../lib/library/types.ts';
import type { OllamaApi } from '../lib/ollama/client.ts';
import { OllamaUnreachableError } from '../lib/ollama/errors.ts';
import { ConnectionState } from './connection.svelte.ts';
import { EndpointState } from './endpoint.svelte.ts';
import { EnginesState } from './engines.svelte.ts';
import { QueueState } from './queue.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

const MAIN_URL = 'http://main.test:11434';
const ORIGIN = 'https://lenscribe.example';
const model = (name: string, vision: boolean, visionSource: EngineModel['visionSource'] = 'server'): EngineModel => ({
  name,
  capabilities: { vision, thinking: false, structuredOutput: false, logprobs: false },
  visionSource,
});

/** A server's engine that can stop and start, and list what it offers. */
class FakeServer extends FakeEngine {
  isUp = true;
  /** Answers but refuses this page (CORS). */
  isRefusing = false;
  listCalls = 0;
  models: EngineModel[];
  config: EndpointConfig;

  constructor(config: EndpointConfig, models: EngineModel[] = [model('gemma3:4b', true)]) {
    super([{ pieces: ['Read'] }]);
    this.config = config;
    this.models = models;
  }

  override async listModels(): Promise<EngineModel[]> {
    this.listCalls++;
    if (!this.isUp || this.isRefusing) throw new OllamaUnreachableError(this.config.url);
    return this.models;
  }

  async isServerAnswering(): Promise<boolean> {
    return this.isRefusing;
  }
}

const config = (url: string, over: Partial<EndpointConfig> = {}): EndpointConfig => ({
  id: `ollama ${url}`,
  kind: 'ollama',
  url,
  concurrency: 1,
  visionModels: [],
  ...over,
});

/** A main Ollama that answers with one vision model, or not at all. */
function mainOllama(isUp: boolean): OllamaApi {
  const refuse = () => Promise.reject(new OllamaUnreachableError(MAIN_URL));
  return {
    baseUrl: MAIN_URL,
    version: () => (isUp ? Promise.resolve('0.13.0') : refuse()),
    listModels: () => (isUp ? Promise.resolve([{ name: 'gemma3:4b' }]) : refuse()),
    showModel: async () => ({ capabilities: ['completion', 'vision'] }),
    streamChat: () => {
      throw new Error('not used');
    },
    warmUp: async () => {},
    pullModel: () => {
      throw new Error('not used');
    },
    isServerAnswering: async () => false,
  };
}

function setup(options: { isMainUp?: boolean; detect?: (url: string) => Detection; blocked?: string[] } = {}) {
  const saved = new Map<string, unknown>();
  const store = { getSetting: async () => undefined, setSetting: async (name: string, value: unknown) => void saved.set(name, value) };
  const settings = new SettingsState(store as unknown as LibraryStore);
  settings.set('ollamaUrl', MAIN_URL);
  const connection = new ConnectionState(settings, () => mainOllama(options.isMainUp ?? false));
  const servers = new Map<string, FakeServer>();
  const slotsChanged = { count: 0 };
  const engines = new EnginesState({
    settings,
    connection,
    origin: ORIGIN,
    createEngine: (c) => {
      const server = servers.get(c.url) ?? new FakeServer(c);
      server.config = c;
      servers.set(c.url, server);
      return server;
    },
    detect: async (url) => options.detect?.(url) ?? { status: 'unreachable', baseUrl: url },
    isBlocked: (url) => (options.blocked ?? []).includes(url),
    onSlotsChanged: () => void slotsChanged.count++,
  });
  return { settings, connection, engines, servers, saved, slotsChanged };
}

const found = (url: string, kind: 'ollama' | 'openai' = 'ollama'): Detection => ({
  status: 'found',
  server: kind === 'ollama'
    ? { kind, flavour: 'ollama', baseUrl: url, label: 'Ollama', concurrency: 1 }
    : { kind, flavour: 'vllm', baseUrl: url, label: 'vLLM', concurrency: 4 },
});

/** Let pending promise callbacks run (setImmediate is real: only timeouts are faked). */
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('EndpointState', () => {
  it('lists its models when it answers, and is the same queue slot every time', async () => {
    const engine = new FakeServer(config('http://gpu.test:11434'));
    const endpoint = new EndpointState(engine.config, { origin: ORIGIN, createEngine: () => engine });
    expect(endpoint.status).toBe('checking');
    await endpoint.refresh();
    expect(endpoint.status).toBe('connected');
    expect(endpoint.offers('gemma3:4b')).toBe(true);
    expect(endpoint.offers('llava:7b')).toBe(false);
    expect(endpoint.slot()).toBe(endpoint.slot());
    expect(endpoint.slot().accepts(makeJob('aa'))).toBe(true);
    endpoint.dispose();
  });

  it('polls a stopped server quickly after a job lost it, and wakes the waiting queue when it answers', async () => {
    const engine = new FakeServer(config('http://gpu.test:11434'));
    const endpoint = new EndpointState(engine.config, { origin: ORIGIN, createEngine: () => engine });
    await endpoint.refresh();
    engine.isUp = false;
    endpoint.slot().reportUnavailable();
    expect(endpoint.status).toBe('away');
    expect(endpoint.message).toMatch(/stopped answering/);
    let isWoken = false;
    void endpoint.slot().waitUntilAvailable(new AbortController().signal).then(() => (isWoken = true));

    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(endpoint.status).toBe('away');
    expect(endpoint.message).toMatch(/does not answer/);
    engine.isUp = true;
    // Well before the 30 s heartbeat: the backoff starts at 1 s again.
    await vi.advanceTimersByTimeAsync(2000);
    await flush();
    expect(endpoint.status).toBe('connected');
    expect(isWoken).toBe(true);
    endpoint.dispose();
  });

  it("names the server's own CORS setting when it answers but refuses the page", async () => {
    const engine = new FakeServer(config('http://lm.test:1234', { id: 'openai http://lm.test:1234', kind: 'openai', flavour: 'lmstudio' }));
    engine.isRefusing = true;
    const endpoint = new EndpointState(engine.config, { origin: ORIGIN, createEngine: () => engine });
    await endpoint.refresh();
    expect(endpoint.message).toMatch(/refuses this page/);
    expect(endpoint.steps.join('\n')).toMatch(/Enable CORS/);
    endpoint.dispose();
  });

  it('says the security policy blocks an address instead of calling it stopped', async () => {
    const engine = new FakeServer(config('http://far.test:5000'));
    engine.isUp = false;
    const endpoint = new EndpointState(engine.config, { origin: ORIGIN, createEngine: () => engine, isBlocked: () => true });
    await endpoint.refresh();
    expect(endpoint.status).toBe('error');
    expect(endpoint.message).toMatch(/security policy blocks http:\/\/far\.test:5000/);
    expect(endpoint.steps.join()).toContain('LENSCRIBE_CONNECT_SRC');
    endpoint.dispose();
  });
});

describe('EnginesState', () => {
  it('adds a detected server, saves it, and refuses the same address twice', async () => {
    const { engines, settings } = setup({ detect: (url) => found(url) });
    expect(await engines.addServer('gpu.test:11434/')).toBe(true);
    expect(engines.notice).toBe('Added Fake engine.');
    expect(settings.endpoints.map((e) => e.url)).toEqual(['http://gpu.test:11434']);
    await flush();
    expect(engines.endpoints[0]?.status).toBe('connected');

    expect(await engines.addServer('http://gpu.test:11434')).toBe(false);
    expect(engines.advice?.headline).toMatch(/already in the list/);
    expect(await engines.addServer(MAIN_URL)).toBe(false);
    expect(engines.endpoints).toHaveLength(1);
  });

  it('keeps an API key only for an OpenAI-compatible server', async () => {
    const { engines, settings } = setup({ detect: (url) => found(url, url.includes('8000') ? 'openai' : 'ollama') });
    await engines.addServer('http://gpu.test:8000', ' secret ');
    await engines.addServer('http://other.test:11434', 'ignored');
    expect(settings.endpoints.map((e) => [e.kind, e.apiKey, e.concurrency])).toEqual([
      ['openai', 'secret', 4],
      ['ollama', undefined, 1],
    ]);
    expect(engines.servers.map((s) => s.takesApiKey)).toEqual([false, true, false]);
  });

  it('explains a failed add, and a blocked address as blocked', async () => {
    const blocked: string[] = [];
    const { engines } = setup({
      detect: (url) => (url.includes('1234') ? { status: 'cors-refused', baseUrl: url, flavourGuess: 'lmstudio' } : { status: 'unreachable', baseUrl: url }),
      blocked,
    });
    expect(await engines.addServer('http://lm.test:1234')).toBe(false);
    expect(engines.advice?.headline).toMatch(/LM Studio at http:\/\/lm\.test:1234 answers, but does not allow this page/);
    expect(engines.advice?.steps.join()).toMatch(/Enable CORS/);
    expect(await engines.addServer('http://far.test:5000')).toBe(false);
    expect(engines.advice?.headline).toMatch(/Nothing answers/);
    // The browser's report that its policy refused the address may come after the fetch failed.
    blocked.push('http://far.test:5000');
    expect(engines.advice?.headline).toMatch(/security policy blocks http:\/\/far\.test:5000/);
    expect(await engines.addServer('http://down.test:8000')).toBe(false);
    expect(engines.advice?.headline).toMatch(/Nothing answers at http:\/\/down\.test:8000/);
    expect(engines.isDetecting).toBe(false);
    expect(engines.endpoints).toEqual([]);
  });

  it('shows each server with its models, and lets the user mark a model the server says nothing about', async () => {
    const { engines, servers, settings } = setup({ isMainUp: true, detect: (url) => found(url, 'openai') });
    await engines.addServer('http://gpu.test:8000');
    const server = servers.get('http://gpu.test:8000')!;
    server.models = [model('mystery', false, 'unknown'), model('qwen-vl', true)];
    await engines.endpoints[0]!.refresh();
    const view = engines.servers[1]!;
    expect(view.models).toEqual([
      { name: 'mystery', isVision: false, canMarkVision: true },
      { name: 'qwen-vl', isVision: true, canMarkVision: false },
    ]);

    engines.markVision(view.id, 'mystery', true);
    expect(settings.endpoints[0]?.visionModels).toEqual(['mystery']);
    // A mark gives the server a new engine that knows it, and lists the models again.
    expect(server.config.visionModels).toEqual(['mystery']);
    engines.markVision(view.id, 'mystery', false);
    expect(settings.endpoints[0]?.visionModels).toEqual([]);
  });

  it('keeps concurrency between 1 and 16, the main Ollama in its own setting, and tells the queue', async () => {
    const { engines, settings, slotsChanged } = setup({ detect: (url) => found(url) });
    await engines.addServer('http://gpu.test:11434');
    const [main, added] = engines.servers;
    expect(engines.setConcurrency(main!.id, 3)).toBe(3);
    expect(settings.ollamaConcurrency).toBe(3);
    expect(engines.setConcurrency(added!.id, 40)).toBe(16);
    expect(engines.setConcurrency(added!.id, Number.NaN)).toBe(1);
    expect(engines.servers.map((s) => s.concurrency)).toEqual([3, 1]);
    expect(slotsChanged.count).toBeGreaterThanOrEqual(3);
  });

  it('forgets a removed server', async () => {
    const { engines, settings } = setup({ detect: (url) => found(url) });
    await engines.addServer('http://gpu.test:11434');
    engines.removeServer(engines.endpoints[0]!.id);
    expect(engines.endpoints).toEqual([]);
    expect(settings.endpoints).toEqual([]);
    expect(engines.servers).toHaveLength(1);
  });
});

describe('a pool of servers', () => {
  it('gives each server at most its concurrency (and one request waiting in its queue), spreads a batch over them, and saves every image once', async () => {
    const { engines, servers } = setup({ detect: (url) => found(url) });
    await engines.addServer('http://one.test:11434');
    await engines.addServer('http://two.test:11434');
    await flush();
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    const pool = [servers.get('http://one.test:11434')!, servers.get('http://two.test:11434')!];
    for (const server of pool) server.replies = [{ pieces: ['Text'], hold }];

    const results: ResultRecord[] = [];
    const jobs = new Map<string, JobRecord>();
    const store = {
      listJobs: async () => [...jobs.values()],
      saveJob: async (job: JobRecord) => void jobs.set(job.key, job),
      saveJobs: async (list: JobRecord[]) => void list.forEach((job) => jobs.set(job.key, job)),
      deleteJob: async (key: string) => void jobs.delete(key),
      saveResult: async (result: ResultRecord) => (results.push(result), result),
      getImageBlob: async () => new Blob(['image']),
      getSetting: async () => undefined,
      setSetting: async () => {},
    };
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => engines.slotsForQueue() });
    const shas = ['a', 'b', 'c', 'd', 'e', 'f'];
    await queue.enqueue(shas.map((sha) => makeJob(sha, { key: `${sha}:job` })));
    queue.reschedule();
    queue.reschedule();
    await flush();
    // One image read at a time on each, however often the queue looks for room, and one more
    // waiting in each Ollama's own queue so its model goes straight on to it.
    expect(pool.map((server) => server.requests.length)).toEqual([2, 2]);
    expect(engines.endpoints.map((e) => queue.statsFor(e.id).running)).toEqual([1, 1]);
    expect(queue.jobs.map((r) => r.phase).sort()).toEqual(['lined-up', 'lined-up', 'queued', 'queued', 'waiting', 'waiting']);

    release();
    await flush();
    expect(results.map((r) => r.sha256).sort()).toEqual(shas);
    expect(pool.map((server) => server.requests.length).reduce((a, b) => a + b)).toBe(shas.length);
    expect(pool.every((server) => server.requests.length >= 2)).toBe(true);
    expect(engines.endpoints.map((e) => queue.statsFor(e.id).done).reduce((a, b) => a + b)).toBe(shas.length);
  });
});
