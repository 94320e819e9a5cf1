import { describe, expect, it } from 'vitest';
import type { OllamaApi } from '../ollama/client.ts';
import { OllamaUnreachableError } from '../ollama/errors.ts';
import type { ChatChunk, ChatMetrics, ChatRequest, ShowResponse, TagModel } from '../ollama/wire.ts';
import { OllamaEngine, isVersionAtLeast } from './ollama.ts';
import type { ReadChunk, ReadOutcome, ReadRequest } from './types.ts';

/** An OllamaApi that answers from tables and records every chat body. */
function fakeApi(over: Partial<{ version: string; tags: TagModel[]; shows: Record<string, ShowResponse>; chunks: ChatChunk[]; final: ChatMetrics }> = {}) {
  const chats: ChatRequest[] = [];
  const shown: string[] = [];
  const api: OllamaApi = {
    baseUrl: 'http://localhost:11434',
    version: async () => over.version ?? '0.12.11',
    listModels: async () => over.tags ?? [],
    showModel: async (name) => {
      shown.push(name);
      const show = over.shows?.[name];
      if (!show) throw new Error(`model '${name}' not found`);
      return show;
    },
    async *streamChat(request) {
      chats.push(request);
      for (const chunk of over.chunks ?? []) yield chunk;
      return over.final ?? { done_reason: 'stop' };
    },
    warmUp: async () => {},
    async *pullModel() {},
    isServerAnswering: async () => true,
  };
  return { api, chats, shown };
}

const request: ReadRequest = {
  model: 'gemma3:4b',
  prompt: 'Read it',
  images: [{ blob: new Blob(['x']), base64: new TextEncoder().encode('eA=='), type: 'image/png', width: 1, height: 1 }],
  options: { maxTokens: 64 },
};

async function readAll(engine: OllamaEngine, req = request): Promise<{ chunks: ReadChunk[]; outcome: ReadOutcome }> {
  const stream = engine.read(req);
  const chunks: ReadChunk[] = [];
  let step = await stream.next();
  while (!step.done) {
    chunks.push(step.value);
    step = await stream.next();
  }
  return { chunks, outcome: step.value };
}

const SHOWS: Record<string, ShowResponse> = {
  'gemma3:4b': { capabilities: ['completion', 'vision'] },
  'qwen3-vl:4b': { capabilities: ['completion', 'vision', 'thinking'] },
  'llama3.2:3b': { capabilities: ['completion', 'tools'] },
  // Before 0.6.4 /api/show had no capabilities: a CLIP projector means vision.
  'llava:7b': { details: { families: ['llama', 'clip'] } },
  'old-vision:1b': { projector_info: { 'clip.vision.image_size': 336 } },
};

describe('OllamaEngine', () => {
  it('is known by its address', () => {
    const engine = new OllamaEngine(fakeApi().api);
    expect(engine).toMatchObject({ id: 'ollama http://localhost:11434', kind: 'ollama', label: 'Ollama at localhost:11434' });
  });

  it('lists models with vision (projector fallback included), thinking and version-gated features', async () => {
    const tags = Object.keys(SHOWS).map((name) => ({ name, size: 3_300_000_000, digest: `d-${name}`, details: { parameter_size: '4.3B', quantization_level: 'Q4_K_M', family: 'gemma3' } }));
    const engine = new OllamaEngine(fakeApi({ tags, shows: SHOWS }).api);
    const models = await engine.listModels();
    const caps = Object.fromEntries(models.map((m) => [m.name, m.capabilities]));
    expect(caps['gemma3:4b']).toEqual({ vision: true, thinking: false, structuredOutput: true, logprobs: true });
    expect(caps['qwen3-vl:4b']).toMatchObject({ vision: true, thinking: true });
    expect(caps['llama3.2:3b']).toMatchObject({ vision: false, thinking: false });
    expect(caps['llava:7b']?.vision).toBe(true);
    expect(caps['old-vision:1b']?.vision).toBe(true);
    expect(models[0]).toMatchObject({ size: 3_300_000_000, parameterSize: '4.3B', quantization: 'Q4_K_M', family: 'gemma3', digest: 'd-gemma3:4b' });
    expect(engine.version).toBe('0.12.11');
  });

  it('offers logprobs only from Ollama 0.12.11, and not when the version is unknown', async () => {
    const tags = [{ name: 'gemma3:4b' }];
    for (const [version, expected] of [['0.12.10', false], ['0.13.0', true], ['unknown', false]] as const) {
      const [model] = await new OllamaEngine(fakeApi({ version, tags, shows: SHOWS }).api).listModels();
      expect(model?.capabilities.logprobs).toBe(expected);
    }
  });

  it('still lists a model whose /api/show fails, as text-only', async () => {
    const [model] = await new OllamaEngine(fakeApi({ tags: [{ name: 'broken:1b' }] }).api).listModels();
    expect(model).toMatchObject({ name: 'broken:1b', capabilities: { vision: false, thinking: false } });
  });

  it('streams the reply and returns Ollama’s done_reason and nanosecond metrics', async () => {
    const { api, chats } = fakeApi({
      tags: [{ name: 'gemma3:4b' }],
      shows: SHOWS,
      chunks: [{ message: { role: 'assistant', content: 'Hel' } }, { message: { role: 'assistant', content: '' } }, { message: { role: 'assistant', content: 'lo' } }],
      final: { done_reason: 'length', eval_count: 64, total_duration: 5_000_000_000, eval_duration: 4_000_000_000 },
    });
    const engine = new OllamaEngine(api);
    await engine.listModels();
    const { chunks, outcome } = await readAll(engine);
    expect(chunks.map((c) => c.text)).toEqual(['Hel', 'lo']);
    expect(outcome).toEqual({ doneReason: 'length', metrics: { eval_count: 64, total_duration: 5_000_000_000, eval_duration: 4_000_000_000 } });
    expect(chats[0]).toMatchObject({ model: 'gemma3:4b', options: { num_predict: 64 }, keep_alive: '10m' });
    expect('think' in (chats[0] ?? {})).toBe(false);
  });

  it('sends think:false to a thinking model, learning that from /api/show once when not yet listed', async () => {
    const { api, chats, shown } = fakeApi({ shows: SHOWS, chunks: [{ message: { role: 'assistant', content: 'ok' } }] });
    const engine = new OllamaEngine(api);
    await readAll(engine, { ...request, model: 'qwen3-vl:4b' });
    await readAll(engine, { ...request, model: 'qwen3-vl:4b' });
    expect(chats.map((c) => c.think)).toEqual([false, false]);
    expect(shown).toEqual(['qwen3-vl:4b']);
  });

  it('asks for logprobs when a read wants them and the version (learned once if never listed) allows', async () => {
    const { api, chats } = fakeApi({ version: '0.12.11', shows: SHOWS, chunks: [{ message: { role: 'assistant', content: 'ok' } }] });
    const engine = new OllamaEngine(api);
    await readAll(engine, { ...request, logprobs: true });
    expect(chats[0]?.logprobs).toBe(true);
    const old = fakeApi({ version: '0.12.6', shows: SHOWS, chunks: [{ message: { role: 'assistant', content: 'ok' } }] });
    await readAll(new OllamaEngine(old.api), { ...request, logprobs: true });
    expect('logprobs' in (old.chats[0] ?? {})).toBe(false);
  });

  it('skips thinking text and passes logprobs through', async () => {
    const { api } = fakeApi({
      shows: SHOWS,
      chunks: [
        { message: { role: 'assistant', content: '', thinking: 'hmm' } },
        { message: { role: 'assistant', content: 'A' }, logprobs: [{ token: 'A', logprob: -0.1 }] },
      ],
    });
    const { chunks, outcome } = await readAll(new OllamaEngine(api), { ...request, logprobs: true });
    expect(chunks).toEqual([{ text: 'A', logprobs: [{ token: 'A', logprob: -0.1 }] }]);
    expect(outcome.doneReason).toBe('stop');
  });

  it("lets Ollama's own errors through for the queue to judge", async () => {
    const { api } = fakeApi({ shows: SHOWS });
    api.streamChat = async function* () {
      yield* [];
      throw new OllamaUnreachableError('http://localhost:11434');
    };
    await expect(readAll(new OllamaEngine(api))).rejects.toBeInstanceOf(OllamaUnreachableError);
  });
});

describe('isVersionAtLeast', () => {
  it('compares numerically and refuses what it cannot read', () => {
    expect(isVersionAtLeast('0.12.11', [0, 12, 11])).toBe(true);
    expect(isVersionAtLeast('0.9.99', [0, 12, 11])).toBe(false);
    expect(isVersionAtLeast('1.0.0-rc1', [0, 12, 11])).toBe(true);
    expect(isVersionAtLeast('unknown', [0, 0, 0])).toBe(false);
    expect(isVersionAtLeast(undefined, [0, 0, 0])).toBe(false);
  });
});
