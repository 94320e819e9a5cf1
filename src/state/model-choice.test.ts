import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_OCR_LIMITS } from '../lib/engines/builtin-ocr/index.ts';
import type { EndpointConfig } from '../lib/engines/endpoint.ts';
import type { Engine } from '../lib/engines/types.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { OllamaApi } from '../lib/ollama/client.ts';
import { OllamaUnreachableError } from '../lib/ollama/errors.ts';
import type { ShowResponse } from '../lib/ollama/wire.ts';
import { ConnectionState } from './connection.svelte.ts';
import { EnginesState, OCR_MODEL } from './engines.svelte.ts';
import { ModelChoiceState } from './model-choice.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

const OLLAMA_URL = 'http://ollama.test:11434';
const VISION: ShowResponse = { capabilities: ['completion', 'vision'], details: { parameter_size: '4.3B' } };
const TEXT: ShowResponse = { capabilities: ['completion'] };

/** An Ollama that is away (refused, or refusing this page's CORS) until `isUp`, with a model table. */
function fakeOllama() {
  const server = { isUp: false, isListening: false, models: {} as Record<string, ShowResponse>, warmed: [] as string[] };
  const refuse = () => Promise.reject(new OllamaUnreachableError(OLLAMA_URL));
  const api: OllamaApi = {
    baseUrl: OLLAMA_URL,
    version: () => (server.isUp ? Promise.resolve('0.13.0') : refuse()),
    listModels: () => (server.isUp ? Promise.resolve(Object.keys(server.models).map((name) => ({ name }))) : refuse()),
    showModel: async (name) => server.models[name] ?? {},
    streamChat: () => {
      throw new Error('not used');
    },
    warmUp: async (model) => void server.warmed.push(model),
    pullModel: () => {
      throw new Error('not used');
    },
    isServerAnswering: async () => server.isListening,
  };
  return { api, server };
}

const ocr: Engine = {
  id: 'builtin-ocr',
  kind: 'builtin-ocr',
  label: 'Built-in OCR (text only)',
  listModels: async () => [],
  read: () => {
    throw new Error('not used');
  },
};

/** A server the user added, answering with one vision model. */
const addedServer: EndpointConfig = { id: 'openai http://gpu.test:8000/v1', kind: 'openai', url: 'http://gpu.test:8000/v1', concurrency: 1, visionModels: [] };
const addedEngine = {
  ...ocr,
  id: addedServer.id,
  kind: 'openai' as const,
  label: 'vLLM at gpu.test:8000',
  listModels: async () => [{ name: 'Qwen/Qwen2.5-VL-7B', capabilities: { vision: true, thinking: false, structuredOutput: false, logprobs: false } }],
  isServerAnswering: async () => true,
};

function setup({ model = '', taskId = '', withOcr = true } = {}) {
  const saved = new Map<string, unknown>();
  const store = { getSetting: async () => undefined, setSetting: async (name: string, value: unknown) => void saved.set(name, value) };
  const settings = new SettingsState(store as unknown as LibraryStore);
  settings.set('ollamaUrl', OLLAMA_URL);
  if (model) settings.set('model', model);
  if (taskId) settings.set('taskId', taskId);
  const { api, server } = fakeOllama();
  const connection = new ConnectionState(settings, () => api);
  const engines = new EnginesState({ settings, connection, origin: 'http://localhost:4173', createEngine: () => addedEngine, ...(withOcr ? { ocr } : {}) });
  const models = new ModelChoiceState({ settings, connection, engines });
  return { settings, connection, engines, models, server, saved };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ModelChoiceState with no Ollama', () => {
  it('chooses the built-in OCR for a new user once the first check finds nothing, and says why', async () => {
    const { settings, connection, models, saved } = setup();
    expect(models.notice).toBe('');
    await connection.refresh();
    expect(connection.status).toBe('not-running');
    expect(settings.model).toBe(OCR_MODEL);
    expect(models.isOcr).toBe(true);
    expect(models.isOcrStandIn).toBe(true);
    // Remembered, so a reload with Ollama still away keeps saying why.
    expect(saved.get('isOcrAutomatic')).toBe(true);
    expect(models.notice).toBe(
      `No Ollama answered at ${OLLAMA_URL}, so images are read by the built-in OCR (text only). Start Ollama with a vision model for descriptions and alt text.`,
    );
  });

  it('offers only text extraction with the OCR, giving the reason for the rest', async () => {
    const { connection, models } = setup();
    await connection.refresh();
    expect(models.taskUnavailableReason('extract-markdown')).toBe('');
    for (const task of ['describe', 'objects', 'translate', 'alt-text', 'custom']) expect(models.taskUnavailableReason(task)).toBe(BUILTIN_OCR_LIMITS);
    models.chooseTask('describe');
    expect(models.notice).not.toContain('Describe');
  });

  it('switches a task the OCR cannot do to text extraction, and says so', async () => {
    const { settings, connection, models } = setup({ taskId: 'alt-text' });
    await connection.refresh();
    expect(settings.taskId).toBe('extract-markdown');
    expect(models.notice).toContain('The built-in OCR cannot do "Alt text (one sentence for a screen reader)", so the task is now "Extract text as Markdown".');
  });

  it('says when Ollama refuses the page (CORS) and when it has no vision model', async () => {
    const refused = setup();
    refused.server.isListening = true;
    await refused.connection.refresh();
    expect(refused.connection.status).toBe('cors-blocked');
    expect(refused.settings.model).toBe(OCR_MODEL);
    expect(refused.models.notice).toContain(`Ollama at ${OLLAMA_URL} refused this page, so images are read by the built-in OCR (text only).`);

    const textOnly = setup();
    Object.assign(textOnly.server, { isUp: true, models: { 'llama3.2:3b': TEXT } });
    await textOnly.connection.refresh();
    expect(textOnly.settings.model).toBe(OCR_MODEL);
    expect(textOnly.models.notice).toContain('has no vision model, so images are read by the built-in OCR');
  });

  it('chooses nothing while the first check is under way, nor without the OCR in this build', async () => {
    const { settings, models } = setup();
    expect(settings.model).toBe('');
    expect(models.isOcrStandIn).toBe(false);
    const bare = setup({ withOcr: false });
    await bare.connection.refresh();
    expect(bare.settings.model).toBe('');
  });

  it('chooses a vision model of an added server over the OCR', async () => {
    const { settings, connection, engines, models } = setup();
    settings.set('endpoints', [addedServer]);
    engines.load();
    await vi.waitFor(() => expect(engines.endpoints[0]?.isAvailable).toBe(true));
    await connection.refresh();
    expect(settings.model).toBe('Qwen/Qwen2.5-VL-7B');
    expect(models.notice).toBe('');
  });

  it('never replaces a model the user chose with the OCR', async () => {
    const { settings, connection, models } = setup({ model: 'llava:7b' });
    await connection.refresh();
    expect(settings.model).toBe('llava:7b');
    expect(models.notice).toBe('');
  });
});

describe('ModelChoiceState when Ollama comes', () => {
  it('gives future work to the default vision model when the OCR was chosen automatically, and says so', async () => {
    const { settings, connection, models, server } = setup();
    await connection.refresh();
    expect(settings.model).toBe(OCR_MODEL);
    Object.assign(server, { isUp: true, models: { 'llama3.2:3b': TEXT, 'gemma3:4b': VISION } });
    await connection.refresh();
    expect(settings.model).toBe('gemma3:4b');
    expect(settings.isOcrAutomatic).toBe(false);
    expect(models.isOcrStandIn).toBe(false);
    expect(models.notice).toContain('Ollama answered with the vision model gemma3:4b: new images are read by it from now on.');
    expect(server.warmed).toContain('gemma3:4b');
  });

  it('keeps the OCR when the user chose it, and loads no Ollama model for it', async () => {
    const { settings, connection, models, server } = setup();
    Object.assign(server, { isUp: true, models: { 'gemma3:4b': VISION } });
    await connection.refresh();
    expect(settings.model).toBe('gemma3:4b');
    server.warmed.length = 0;
    models.choose(OCR_MODEL);
    expect(settings.isOcrAutomatic).toBe(false);
    await connection.refresh();
    expect(settings.model).toBe(OCR_MODEL);
    expect(server.warmed).toEqual([]);
    // Ollama lacking the OCR's model is not a missing model.
    expect(connection.isSelectedModelMissing).toBe(false);
    expect(models.notice).toBe('');
  });

  it('keeps the OCR chosen automatically while Ollama has no vision model yet', async () => {
    const { settings, connection, server } = setup();
    await connection.refresh();
    Object.assign(server, { isUp: true, models: { 'llama3.2:3b': TEXT } });
    await connection.refresh();
    expect(settings.model).toBe(OCR_MODEL);
    expect(settings.isOcrAutomatic).toBe(true);
  });
});

describe('ModelChoiceState picker', () => {
  it('lists vision models with their size, and the built-in OCR, and names them', async () => {
    const { connection, models, server } = setup();
    Object.assign(server, { isUp: true, models: { 'llama3.2:3b': TEXT, 'gemma3:4b': VISION } });
    await connection.refresh();
    expect(models.options).toEqual([
      { value: 'gemma3:4b', label: 'gemma3:4b (4.3B)', title: 'On Ollama at ollama.test:11434' },
      { value: OCR_MODEL, label: 'Built-in OCR (text only)', title: expect.stringContaining('no Ollama needed') },
    ]);
    expect(models.labelOf(OCR_MODEL)).toBe('Built-in OCR (text only)');
    expect(models.labelOf('gemma3:4b')).toBe('gemma3:4b');
    expect(models.isPlainText(OCR_MODEL)).toBe(true);
    expect(models.isPlainText('gemma3:4b')).toBe(false);
  });
});
