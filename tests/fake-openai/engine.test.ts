// OpenAiEngine and detectServer over real HTTP against the fake, one flavour at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { detectServer } from '../../src/lib/engines/openai/detect.ts';
import { OpenAiEngine } from '../../src/lib/engines/openai/engine.ts';
import type { OpenAiEngineOptions } from '../../src/lib/engines/openai/engine.ts';
import { OpenAiHttpError, OpenAiStreamError, OpenAiTruncatedError, OpenAiUnreachableError } from '../../src/lib/engines/openai/errors.ts';
import type { OpenAiFlavour } from '../../src/lib/engines/openai/flavours.ts';
import type { EngineImage, ReadChunk, ReadOutcome, ReadRequest } from '../../src/lib/engines/types.ts';
import { startFakeOpenAi } from './server.ts';
import type { FakeFlavour, FakeOpenAi, FakeOpenAiOptions } from './server.ts';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const FLAVOURS: FakeFlavour[] = ['vllm', 'llama-server', 'lmstudio', 'litellm', 'ollama-v1'];
const VISION_MODEL: Record<FakeFlavour, string> = {
  vllm: 'Qwen/Qwen2.5-VL-7B-Instruct',
  'llama-server': 'gemma-3-4b-it-Q4_K_M.gguf',
  lmstudio: 'google/gemma-3-4b',
  litellm: 'gpt-vision',
  'ollama-v1': 'gemma3:4b',
};

const fakes: FakeOpenAi[] = [];
async function start(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi({ firstTokenDelayMs: 1, chunkDelayMs: 1, splitDelayMs: 1, lmStudioCors: true, ...options });
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const engineFor = (fake: FakeOpenAi, options: OpenAiEngineOptions = {}) => new OpenAiEngine(`${fake.url}/v1/`, { flavour: fake.flavour as OpenAiFlavour, ...options });

function image(): EngineImage {
  return { blob: new Blob(), base64: new TextEncoder().encode(PNG_1x1), type: 'image/png', width: 1, height: 1 };
}

function request(model: string, extra: Partial<ReadRequest> = {}): ReadRequest {
  return { model, prompt: 'Transcribe the text.', images: [image()], options: {}, ...extra };
}

async function drain(stream: AsyncGenerator<ReadChunk, ReadOutcome>): Promise<{ text: string; chunks: ReadChunk[]; outcome: ReadOutcome }> {
  const chunks: ReadChunk[] = [];
  let step = await stream.next();
  while (!step.done) {
    chunks.push(step.value);
    step = await stream.next();
  }
  return { text: chunks.map((c) => c.text).join(''), chunks, outcome: step.value };
}

describe('detectServer', () => {
  it('names each server, its default concurrency and version', async () => {
    const found: Record<string, unknown> = {};
    for (const flavour of FLAVOURS) {
      const fake = await start({ flavour, totalSlots: 2 });
      const detection = await detectServer(`${fake.url}/v1`);
      expect(detection.status).toBe('found');
      if (detection.status === 'found') found[flavour] = [detection.server.kind, detection.server.flavour, detection.server.concurrency, detection.server.version];
    }
    expect(found).toEqual({
      vllm: ['openai', 'vllm', 4, '0.11.0'],
      'llama-server': ['openai', 'llama-server', 2, 'b6500-1a2b3c4d'],
      lmstudio: ['openai', 'lmstudio', 2, undefined],
      litellm: ['openai', 'litellm', 2, undefined],
      // Ollama's /v1 is Ollama: the native API says more (capabilities, pulls), so it wins.
      'ollama-v1': ['ollama', 'ollama', 1, '0.12.6'],
    });
  });

  it('reports a key problem with the server it guessed', async () => {
    const fake = await start({ flavour: 'vllm', apiKey: 'sk-1' });
    expect(await detectServer(fake.url)).toMatchObject({ status: 'key-missing', flavourGuess: 'vllm', message: 'Unauthorized' });
    expect(await detectServer(fake.url, { apiKey: 'sk-2' })).toMatchObject({ status: 'key-refused' });
    expect(await detectServer(fake.url, { apiKey: 'sk-1' })).toMatchObject({ status: 'found', server: { flavour: 'vllm' } });
  });

  it('reaches a keyed llama-server through X-Api-Key, which its Allow-Headers: * covers', async () => {
    const fake = await start({ flavour: 'llama-server', apiKey: 'k', totalSlots: 3 });
    expect(await detectServer(fake.url, { apiKey: 'k' })).toMatchObject({ status: 'found', server: { flavour: 'llama-server', concurrency: 3 } });
    const props = fake.requests.find((r) => r.path === '/props');
    expect(props?.headers['x-api-key']).toBe('k');
    expect(props?.headers.authorization).toBeUndefined();
  });

  it('says unreachable when nothing listens', async () => {
    const fake = await start({ flavour: 'vllm' });
    const url = fake.url;
    await fake.close();
    fakes.splice(0);
    expect(await detectServer(url)).toMatchObject({ status: 'unreachable', baseUrl: url });
  });
});

describe('listModels', () => {
  it("reads each server's vision hint", async () => {
    const vision: Record<string, unknown> = {};
    for (const flavour of FLAVOURS) {
      const fake = await start({ flavour });
      const models = await engineFor(fake).listModels();
      vision[flavour] = models.map((m) => [m.name, m.capabilities.vision, m.visionSource]);
    }
    expect(vision).toEqual({
      vllm: [
        ['Qwen/Qwen2.5-VL-7B-Instruct', false, 'unknown'],
        ['meta-llama/Llama-3.1-8B-Instruct', false, 'unknown'],
      ],
      'llama-server': [['gemma-3-4b-it-Q4_K_M.gguf', true, 'server']],
      lmstudio: [
        ['google/gemma-3-4b', true, 'server'],
        ['qwen/qwen3-4b', false, 'server'],
      ],
      litellm: [
        ['gpt-vision', true, 'server'],
        ['local-text', false, 'unknown'],
      ],
      'ollama-v1': [
        ['gemma3:4b', true, 'server'],
        ['llama3.2:3b', false, 'server'],
      ],
    });
  });

  it("applies the user's vision marks where the server is silent", async () => {
    const fake = await start({ flavour: 'vllm' });
    const models = await engineFor(fake, { visionModels: ['Qwen/Qwen2.5-VL-7B-Instruct'] }).listModels();
    expect(models[0]).toMatchObject({ name: 'Qwen/Qwen2.5-VL-7B-Instruct', capabilities: { vision: true, logprobs: true }, visionSource: 'user' });
    expect(models[1]?.capabilities.vision).toBe(false);
  });

  it('leaves LM Studio embedding models out', async () => {
    const fake = await start({ flavour: 'lmstudio', models: [{ id: 'nomic-embed', isEmbedding: true }, { id: 'gemma', vision: true }] });
    expect((await engineFor(fake).listModels()).map((m) => m.name)).toEqual(['gemma']);
  });

  it('reads capabilities from the newest llama-server /v1/models without /props', async () => {
    const fake = await start({ flavour: 'llama-server', listsCapabilities: true, models: [{ id: 'text.gguf', vision: false }] });
    expect((await engineFor(fake).listModels())[0]).toMatchObject({ capabilities: { vision: false }, visionSource: 'server' });
  });
});

describe('read', () => {
  it('streams the reply from every server, with events split, packed, CRLF and pings', async () => {
    for (const flavour of FLAVOURS) {
      for (const tuning of [{}, { isCrlf: true, hasPings: true }, { isSplit: false, isPacked: false }]) {
        const fake = await start({ flavour, reply: 'Grüße aus Zürich, 1 2 3.', ...tuning });
        const { text, outcome } = await drain(engineFor(fake).read(request(VISION_MODEL[flavour])));
        expect(text, `${flavour} ${JSON.stringify(tuning)}`).toBe('Grüße aus Zürich, 1 2 3.');
        expect(outcome.doneReason).toBe('stop');
        expect(outcome.metrics.eval_count).toBe(6);
      }
    }
  });

  it('sends the image as a data URL and the options under OpenAI names, with Content-Type JSON', async () => {
    const fake = await start({ flavour: 'vllm' });
    await drain(engineFor(fake).read(request(VISION_MODEL.vllm, { options: { maxTokens: 100, temperature: 0.2, seed: 3 } })));
    const sent = fake.requests.find((r) => r.path === '/v1/chat/completions')!;
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      model: VISION_MODEL.vllm,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Transcribe the text.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1x1}` } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      temperature: 0.2,
      seed: 3,
    });
  });

  it("ends with 'length' at max_tokens and reports usage and llama-server timings", async () => {
    const fake = await start({ flavour: 'llama-server', reply: 'one two three four' });
    const { text, outcome } = await drain(engineFor(fake).read(request('x', { options: { maxTokens: 2 } })));
    expect(text).toBe('one two ');
    expect(outcome.doneReason).toBe('length');
    expect(outcome.metrics).toMatchObject({ eval_count: 2, prompt_eval_count: 271, prompt_eval_duration: 12_500_000, eval_duration: 40_000_000 });
  });

  it('leaves reasoning out and collects logprobs when asked', async () => {
    const fake = await start({ flavour: 'vllm', reply: { reasoning: 'Let me look.', content: 'A cat.' } });
    const { text, chunks } = await drain(engineFor(fake).read(request(VISION_MODEL.vllm, { logprobs: true })));
    expect(text).toBe('A cat.');
    expect(chunks[0]?.logprobs?.[0]).toMatchObject({ token: 'A ' });
  });

  it('asks for logprobs only from servers known to stream them, and passes the server’s figures on', async () => {
    const reply = { content: ['Total', ' 42'], logprobs: [-0.1, -2.5] };
    for (const flavour of ['vllm', 'llama-server', 'ollama-v1'] as const) {
      const fake = await start({ flavour, reply });
      const { chunks } = await drain(engineFor(fake).read(request(VISION_MODEL[flavour], { logprobs: true })));
      expect(chunks.flatMap((c) => c.logprobs ?? []), flavour).toEqual([{ token: 'Total', logprob: -0.1 }, { token: ' 42', logprob: -2.5 }]);
    }
    for (const flavour of ['lmstudio', 'litellm'] as const) {
      const fake = await start({ flavour, reply });
      const { chunks } = await drain(engineFor(fake).read(request(VISION_MODEL[flavour], { logprobs: true })));
      expect(chunks.some((c) => c.logprobs), flavour).toBe(false);
      expect(fake.requests.find((r) => r.path.endsWith('/chat/completions'))?.body, flavour).not.toHaveProperty('logprobs');
    }
  });

  it('throws the server words of an error mid-stream, and a truncation for Ollama /v1', async () => {
    for (const flavour of ['vllm', 'llama-server', 'litellm', 'lmstudio'] as const) {
      const fake = await start({ flavour, reply: 'a b c d' });
      fake.failMidStream('CUDA error: out of memory', 2);
      const error = await drain(engineFor(fake).read(request(VISION_MODEL[flavour]))).catch((e: unknown) => e);
      expect(error, flavour).toBeInstanceOf(OpenAiStreamError);
      expect((error as Error).message).toBe('CUDA error: out of memory');
    }
    const ollama = await start({ flavour: 'ollama-v1', reply: 'a b c d' });
    ollama.failMidStream('runner stopped', 2);
    await expect(drain(engineFor(ollama).read(request('gemma3:4b')))).rejects.toThrow(OpenAiTruncatedError);
  });

  it('throws a truncation for an empty 200 stream (LM Studio overflowing its context)', async () => {
    const fake = await start({ flavour: 'lmstudio' });
    fake.failNext({ kind: 'empty-stream' });
    await expect(drain(engineFor(fake).read(request('google/gemma-3-4b')))).rejects.toThrow(OpenAiTruncatedError);
  });

  it('reads an injected failure before the first token with its real status', async () => {
    const fake = await start({ flavour: 'llama-server' });
    fake.failNext({ status: 503, body: { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } } });
    const error = await drain(engineFor(fake).read(request('x'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, problem: 'busy', message: 'Loading model', code: 503 });
  });

  it('throws a truncation when the connection drops mid-reply', async () => {
    const fake = await start({ flavour: 'litellm', reply: 'a b c d' });
    fake.dropMidStream(2);
    await expect(drain(engineFor(fake).read(request('gpt-vision')))).rejects.toThrow(OpenAiTruncatedError);
  });

  it('names the problem: missing model, text-only model, missing or refused key', async () => {
    const problem = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAiHttpError);
      return (error as OpenAiHttpError).problem;
    };
    for (const flavour of ['vllm', 'lmstudio', 'litellm', 'ollama-v1'] as const) {
      const fake = await start({ flavour });
      expect(await problem(drain(engineFor(fake).read(request('no-such-model')))), flavour).toBe('model-not-found');
    }
    for (const flavour of ['vllm', 'llama-server', 'lmstudio'] as const) {
      const fake = await start({ flavour, models: [{ id: 'text-only', vision: false }] });
      expect(await problem(drain(engineFor(fake).read(request('text-only')))), flavour).toBe('no-vision');
    }
    const locked = await start({ flavour: 'litellm', apiKey: 'sk-right' });
    expect(await problem(drain(engineFor(locked).read(request('gpt-vision'))))).toBe('key-missing');
    expect(await problem(drain(engineFor(locked, { apiKey: 'sk-wrong' }).read(request('gpt-vision'))))).toBe('key-refused');
    const { text } = await drain(engineFor(locked, { apiKey: 'sk-right' }).read(request('gpt-vision')));
    expect(text).toContain('Fake reply');
  });

  it('sends the key as a Bearer token to its own server only', async () => {
    const mine = await start({ flavour: 'litellm', apiKey: 'sk-mine' });
    const other = await start({ flavour: 'vllm' });
    await engineFor(mine, { apiKey: 'sk-mine' }).listModels();
    await drain(engineFor(mine, { apiKey: 'sk-mine' }).read(request('gpt-vision')));
    await engineFor(other).listModels();
    await drain(engineFor(other).read(request(VISION_MODEL.vllm)));
    expect(mine.requests.length).toBeGreaterThan(1);
    expect(mine.requests.every((r) => r.headers.authorization === 'Bearer sk-mine')).toBe(true);
    expect(other.requests.some((r) => r.headers.authorization !== undefined)).toBe(false);
  });

  it('sends the key to llama-server as X-Api-Key, never as Authorization', async () => {
    const fake = await start({ flavour: 'llama-server', apiKey: 'k', reply: 'ok' });
    const engine = engineFor(fake, { apiKey: 'k' });
    expect((await engine.listModels())[0]?.capabilities.vision).toBe(true);
    expect((await drain(engine.read(request('x')))).text).toBe('ok');
    expect(fake.requests.every((r) => r.headers['x-api-key'] === 'k' && r.headers.authorization === undefined)).toBe(true);
  });

  it('stops the server generating when aborted', async () => {
    const fake = await start({ flavour: 'llama-server', reply: 'a b c d e f' });
    const controller = new AbortController();
    const stream = engineFor(fake).read(request('x'), { signal: controller.signal });
    fake.hold();
    fake.release(2);
    expect((await stream.next()).value).toMatchObject({ text: 'a ' });
    controller.abort();
    await expect(stream.next()).rejects.toMatchObject({ name: 'AbortError' });
    await fake.whenIdle();
    expect(fake.cancelled).toBe(1);
  });

  it('throws OpenAiUnreachableError when nothing listens', async () => {
    const fake = await start({ flavour: 'vllm' });
    const engine = engineFor(fake);
    await fake.close();
    fakes.splice(0);
    await expect(drain(engine.read(request('m')))).rejects.toThrow(OpenAiUnreachableError);
    await expect(engine.isServerAnswering()).resolves.toBe(false);
  });
});
