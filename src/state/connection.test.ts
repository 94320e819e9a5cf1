import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import type { OllamaApi } from '../lib/ollama/client.ts';
import { OllamaUnreachableError } from '../lib/ollama/errors.ts';
import type { ShowResponse } from '../lib/ollama/wire.ts';
import { ConnectionState } from './connection.svelte.ts';
import { ollamaSlot } from './engine-slots.ts';
import { SettingsState } from './settings.svelte.ts';

/** A fake Ollama: answers from a model table while `isUp`, else refuses like a stopped server. */
function fakeOllama(models: Record<string, ShowResponse>) {
  const server = { isUp: true, isListening: false, versionCalls: 0, warmed: [] as string[] };
  const refuse = () => Promise.reject(new OllamaUnreachableError(OLLAMA_URL));
  const api: OllamaApi = {
    baseUrl: OLLAMA_URL,
    version: () => (server.versionCalls++, server.isUp ? Promise.resolve('0.13.0') : refuse()),
    listModels: () => (server.isUp ? Promise.resolve(Object.keys(models).map((name) => ({ name }))) : refuse()),
    showModel: async (name) => models[name] ?? {},
    streamChat: () => {
      throw new Error('not used');
    },
    warmUp: async (model) => void server.warmed.push(model),
    pullModel: () => {
      throw new Error('not used');
    },
    // A no-cors probe resolves when something listens (CORS refused), rejects when nothing does.
    isServerAnswering: async () => server.isListening,
  };
  return { api, server };
}

// Not the default address, so the state builds its client through the factory (this fake).
const OLLAMA_URL = 'http://ollama.test:11434';
const VISION: ShowResponse = { capabilities: ['completion', 'vision'] };
const TEXT: ShowResponse = { capabilities: ['completion'] };

function setup(models: Record<string, ShowResponse>, chosen = '') {
  const saved = new Map<string, unknown>();
  const store = { getSetting: async () => undefined, setSetting: async (name: string, value: unknown) => void saved.set(name, value) };
  const settings = new SettingsState(store as unknown as LibraryStore);
  settings.set('ollamaUrl', OLLAMA_URL);
  if (chosen) settings.set('model', chosen);
  const { api, server } = fakeOllama(models);
  const connection = new ConnectionState(settings, () => api);
  return { settings, connection, server, saved };
}

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

describe('ConnectionState model choice', () => {
  it('picks a suggested vision model, never a text-only one', async () => {
    const { connection, settings, server } = setup({ 'llama3.2:3b': TEXT, 'llava:7b': VISION, 'gemma3:4b': VISION });
    await connection.refresh();
    expect(connection.status).toBe('connected');
    expect(connection.visionModels.map((m) => m.name)).toEqual(['llava:7b', 'gemma3:4b']);
    expect(settings.model).toBe('gemma3:4b');
    await flush();
    // The chosen model is loaded at once, so the first image does not pay for it silently.
    expect(server.warmed).toEqual(['gemma3:4b']);
  });

  it('spells a chosen "moondream" the way Ollama lists it', async () => {
    const { connection, settings } = setup({ 'gemma3:4b': VISION, 'moondream:latest': VISION }, 'moondream');
    await connection.refresh();
    expect(settings.model).toBe('moondream:latest');
    expect(connection.selectedModel?.name).toBe('moondream:latest');
  });

  it('keeps a chosen model that is not installed, so the user is told', async () => {
    const { connection, settings } = setup({ 'gemma3:4b': VISION }, 'qwen2.5vl:7b');
    await connection.refresh();
    expect(settings.model).toBe('qwen2.5vl:7b');
    expect(connection.isSelectedModelMissing).toBe(true);
  });

  it('says when Ollama has no vision model at all', async () => {
    const { connection, settings } = setup({ 'llama3.2:3b': TEXT });
    await connection.refresh();
    expect(connection.hasNoVisionModel).toBe(true);
    expect(settings.model).toBe('');
  });
});

describe('ConnectionState while Ollama is away', () => {
  it('tells a stopped Ollama from a CORS refusal', async () => {
    const { connection, server } = setup({ 'gemma3:4b': VISION });
    server.isUp = false;
    await connection.refresh();
    expect(connection.status).toBe('not-running');
    server.isListening = true;
    await connection.refresh();
    expect(connection.status).toBe('cors-blocked');
  });

  it('polls with a growing backoff, and recovery wakes every waiter', async () => {
    const { connection, server } = setup({ 'gemma3:4b': VISION });
    server.isUp = false;
    await connection.refresh();
    expect(server.versionCalls).toBe(1);
    const woken: string[] = [];
    void connection.waitUntilConnected().then(() => woken.push('first'));
    void connection.waitUntilConnected().then(() => woken.push('second'));
    // 1 s, then 2 s, then 4 s: several waiters do not speed up the polling.
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(server.versionCalls).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    await flush();
    expect(server.versionCalls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.versionCalls).toBe(3);
    expect(woken).toEqual([]);

    server.isUp = true;
    await vi.advanceTimersByTimeAsync(4000);
    await flush();
    expect(connection.status).toBe('connected');
    expect(woken).toEqual(['first', 'second']);
    // Connected and nobody waiting: polling stops.
    await vi.advanceTimersByTimeAsync(60_000);
    await flush();
    expect(server.versionCalls).toBe(4);
  });

  it('lets a waiter give up through its signal', async () => {
    const { connection, server } = setup({ 'gemma3:4b': VISION });
    server.isUp = false;
    await connection.refresh();
    const controller = new AbortController();
    const waiting = connection.waitUntilConnected(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });

  it('as a queue slot: unavailable once a job reports Ollama gone, available again on recovery', async () => {
    const { connection, server } = setup({ 'gemma3:4b': VISION });
    await connection.refresh();
    const slot = ollamaSlot(connection);
    expect(slot).toMatchObject({ isAvailable: true, concurrency: 1, id: `ollama ${OLLAMA_URL}` });
    expect(slot.engine).toBe(connection.engine);
    server.isUp = false;
    slot.reportUnavailable();
    expect(slot.isAvailable).toBe(false);
    const back = slot.waitUntilAvailable(new AbortController().signal);
    server.isUp = true;
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    await back;
    expect(slot.isAvailable).toBe(true);
  });
});
