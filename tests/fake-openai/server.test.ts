// The fake must be as awkward as the real servers: these tests pin the awkward parts down
// (docs/openai-compatible.md §9). Node's fetch enforces no CORS, so CORS headers are read directly.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from './server.ts';
import type { FakeFlavour, FakeOpenAi, FakeOpenAiOptions } from './server.ts';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const ORIGIN = 'https://someone.github.io';

let fake: FakeOpenAi | undefined;
async function start(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  fake = await startFakeOpenAi({ firstTokenDelayMs: 1, chunkDelayMs: 1, splitDelayMs: 1, ...options });
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const MODEL: Record<FakeFlavour, string> = {
  vllm: 'Qwen/Qwen2.5-VL-7B-Instruct',
  'llama-server': 'anything',
  lmstudio: 'google/gemma-3-4b',
  litellm: 'gpt-vision',
  'ollama-v1': 'gemma3:4b',
};

function chatBody(flavour: FakeFlavour, extra: Record<string, unknown> = {}, images: string[] = []) {
  return {
    model: MODEL[flavour],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Read this' }, ...images.map((url) => ({ type: 'image_url', image_url: { url } }))] }],
    stream: true,
    ...extra,
  };
}

const chat = (f: FakeOpenAi, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${f.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });

/** Every network read of a body, as text. */
async function reads(response: Response): Promise<string[]> {
  const out: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) out.push(decoder.decode(chunk, { stream: true }));
  return out;
}

/** The data payloads of a whole SSE body, parsed where JSON. */
function events(text: string): unknown[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

type Chunk = { choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage?: unknown; error?: unknown };

describe('GET /v1/models and each server’s own endpoints', () => {
  it('lists models with the owned_by of each server', async () => {
    for (const [flavour, ownedBy] of [['vllm', 'vllm'], ['llama-server', 'llamacpp'], ['ollama-v1', 'library']] as const) {
      const f = await start({ flavour });
      const list = (await (await fetch(`${f.url}/v1/models`)).json()) as { object: string; data: { owned_by: string }[] };
      expect(list.object).toBe('list');
      expect(list.data.every((m) => m.owned_by === ownedBy)).toBe(true);
      await f.close();
    }
  });

  it("serves each flavour's vision hint", async () => {
    let f = await start({ flavour: 'llama-server', totalSlots: 2 });
    expect(await (await fetch(`${f.url}/props`)).json()).toMatchObject({ total_slots: 2, modalities: { vision: true } });
    await f.close();
    f = await start({ flavour: 'lmstudio', lmStudioCors: true });
    const lm = (await (await fetch(`${f.url}/api/v0/models`)).json()) as { data: { id: string; type: string }[] };
    expect(lm.data.map((m) => [m.id, m.type])).toEqual([['google/gemma-3-4b', 'vlm'], ['qwen/qwen3-4b', 'llm']]);
    await f.close();
    f = await start({ flavour: 'litellm' });
    const info = (await (await fetch(`${f.url}/model/info`)).json()) as { data: { model_name: string; model_info: { supports_vision: unknown } }[] };
    expect(info.data.map((m) => [m.model_name, m.model_info.supports_vision])).toEqual([['gpt-vision', true], ['local-text', null]]);
    expect(await (await fetch(`${f.url}/health/liveliness`)).json()).toBe("I'm alive!");
  });
});

describe('POST /v1/chat/completions streaming', () => {
  it('splits events across reads and packs the end into one read', async () => {
    const f = await start({ flavour: 'vllm', reply: 'one two three' });
    const parts = await reads(await chat(f, chatBody('vllm', { stream_options: { include_usage: true } })));
    const whole = parts.join('');
    // Some read ends in the middle of an event…
    expect(parts.some((p) => !p.endsWith('\n\n'))).toBe(true);
    // …and one read ends more than one event (the last token, usage and [DONE]).
    expect(parts.some((p) => (p.match(/\n\n/g) ?? []).length > 1)).toBe(true);
    expect(whole.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(whole).not.toContain('event:');
  });

  it('places finish_reason per server: on the last token (vLLM) or its own delta:{} chunk (llama-server)', async () => {
    let f = await start({ flavour: 'vllm', reply: 'a b' });
    let chunks = events(await (await chat(f, chatBody('vllm'))).text()) as Chunk[];
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: { content: 'b' }, finish_reason: 'stop' }] });
    expect(chunks[0]).toMatchObject({ choices: [{ delta: { role: 'assistant', content: '' } }] });
    await f.close();
    f = await start({ flavour: 'llama-server', reply: 'a b' });
    chunks = events(await (await chat(f, chatBody('llama-server'))).text()) as Chunk[];
    expect(chunks[0]).toMatchObject({ choices: [{ delta: { role: 'assistant', content: null } }] });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }], timings: {} });
  });

  it('sends usage only when asked, in a chunk with choices: []', async () => {
    const f = await start({ flavour: 'ollama-v1', reply: 'a b' });
    const without = events(await (await chat(f, chatBody('ollama-v1'))).text()) as Chunk[];
    expect(without.some((c) => typeof c === 'object' && 'usage' in c)).toBe(false);
    const withUsage = events(await (await chat(f, chatBody('ollama-v1', { stream_options: { include_usage: true } }))).text());
    expect(withUsage.at(-2)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
    expect(withUsage.at(-1)).toBe('[DONE]');
  });

  it('cuts the reply at max_tokens with finish_reason length', async () => {
    const f = await start({ flavour: 'litellm', reply: 'one two three four' });
    const chunks = events(await (await chat(f, chatBody('litellm', { max_tokens: 2 }))).text()) as Chunk[];
    const text = chunks.flatMap((c) => (typeof c === 'object' ? c.choices.map((ch) => ch.delta.content ?? '') : [])).join('');
    expect(text).toBe('one two ');
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: 'length' }] });
  });

  it('uses CRLF and comment pings when asked', async () => {
    const f = await start({ flavour: 'llama-server', isCrlf: true, hasPings: true, reply: 'a b c' });
    const text = await (await chat(f, chatBody('llama-server'))).text();
    expect(text).toContain(': ping\r\n\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text.endsWith('data: [DONE]\r\n\r\n')).toBe(true);
  });

  it('sends reasoning under each server’s field name, apart from content', async () => {
    const f = await start({ flavour: 'vllm', reply: { reasoning: 'hmm', content: 'ok' } });
    const chunks = events(await (await chat(f, chatBody('vllm'))).text()) as Chunk[];
    expect(chunks[1]).toMatchObject({ choices: [{ delta: { reasoning: 'hmm' } }] });
  });

  it('sends headers only with the first token on late-header servers, at once on vLLM', async () => {
    let f = await start({ flavour: 'vllm' });
    f.hold();
    // vLLM answers 200 before any token: fetch resolves while every token is held.
    const early = await chat(f, chatBody('vllm'));
    expect(early.status).toBe(200);
    f.releaseAll();
    await early.text();
    await f.close();
    f = await start({ flavour: 'llama-server' });
    f.hold();
    const late = chat(f, chatBody('llama-server'));
    await f.whenHeld(1);
    const settled = await Promise.race([late.then(() => 'headers'), new Promise((r) => setTimeout(() => r('waiting'), 50))]);
    expect(settled).toBe('waiting');
    f.releaseAll();
    expect((await late).status).toBe(200);
  });
});

describe('errors', () => {
  it('fails mid-stream each server’s way', async () => {
    const tail = async (flavour: FakeFlavour) => {
      const f = await start({ flavour, reply: 'a b c' });
      f.failMidStream('CUDA out of memory', 2);
      const response = await chat(f, chatBody(flavour));
      expect(response.status).toBe(200);
      const all = events(await response.text());
      await f.close();
      return all.slice(-2);
    };
    expect(await tail('vllm')).toEqual([{ error: { message: 'CUDA out of memory', type: 'BadRequestError', param: null, code: 400 } }, '[DONE]']);
    expect((await tail('llama-server')).at(-1)).toEqual({ error: { code: 500, message: 'CUDA out of memory', type: 'server_error' } });
    expect((await tail('litellm')).at(-1)).toMatchObject({ error: { code: '500' } });
    // Ollama /v1 loses the error: an empty delta, no finish_reason, no [DONE].
    const ollama = await tail('ollama-v1');
    expect(ollama.at(-1)).toMatchObject({ choices: [{ delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    expect(ollama).not.toContain('[DONE]');
  });

  it('gives errors before the first token a real status', async () => {
    const f = await start({ flavour: 'llama-server' });
    f.failMidStream('model crashed', 0);
    const response = await chat(f, chatBody('llama-server'));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 500, message: 'model crashed', type: 'server_error' } });
  });

  it("refuses unknown models and images for text-only models in each server's words", async () => {
    let f = await start({ flavour: 'vllm' });
    let response = await chat(f, { ...chatBody('vllm'), model: 'nope' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
    response = await chat(f, { ...chatBody('vllm', {}, [`data:image/png;base64,${PNG_1x1}`]), model: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('meta-llama/Llama-3.1-8B-Instruct is not a multimodal model');
    await f.close();
    f = await start({ flavour: 'litellm' });
    response = await chat(f, { ...chatBody('litellm'), model: 'nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: '400', message: expect.stringContaining('Invalid model name passed in model=nope') } });
    await f.close();
    f = await start({ flavour: 'ollama-v1' });
    response = await chat(f, chatBody('ollama-v1', {}, ['https://example.com/cat.png']));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'image URLs are not currently supported, please use base64 encoded data instead' } });
  });

  it('ignores the requested model where the server does (llama-server)', async () => {
    const f = await start({ flavour: 'llama-server', reply: 'ok' });
    const response = await chat(f, { ...chatBody('llama-server'), model: 'gpt-4o' });
    expect(response.status).toBe(200);
    expect(events(await response.text())[0]).toMatchObject({ model: 'gemma-3-4b-it-Q4_K_M.gguf' });
  });
});

describe('API keys', () => {
  it('answers a missing or wrong key with 401, keeping CORS headers on llama-server and LiteLLM, not on vLLM', async () => {
    const cases = [
      ['vllm', { error: 'Unauthorized' }, null],
      ['llama-server', { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } }, ORIGIN],
      ['litellm', { error: { message: 'Authentication Error, No api key passed in.', type: 'auth_error', param: 'None', code: '401' } }, '*'],
    ] as const;
    for (const [flavour, body, allowOrigin] of cases) {
      const f = await start({ flavour, apiKey: 'sk-right' });
      const response = await chat(f, chatBody(flavour), { Origin: ORIGIN });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowOrigin);
      expect(await response.json()).toEqual(body);
      expect((await chat(f, chatBody(flavour), { Authorization: 'Bearer sk-right' })).status).toBe(200);
      await f.close();
    }
  });

  it('tells a wrong key from a missing one (LiteLLM) and keeps open paths open (vLLM /version, llama-server /v1/models)', async () => {
    let f = await start({ flavour: 'litellm', apiKey: 'sk-right' });
    const wrong = await chat(f, chatBody('litellm'), { Authorization: 'Bearer sk-wrong' });
    expect(await wrong.json()).toMatchObject({ error: { message: expect.stringContaining('Invalid proxy server token') } });
    expect((await fetch(`${f.url}/health/liveliness`)).status).toBe(200);
    expect((await fetch(`${f.url}/model/info`)).status).toBe(401);
    await f.close();
    f = await start({ flavour: 'vllm', apiKey: 'k' });
    expect((await fetch(`${f.url}/version`)).status).toBe(200);
    expect((await fetch(`${f.url}/v1/models`)).status).toBe(401);
    await f.close();
    f = await start({ flavour: 'llama-server', apiKey: 'k' });
    expect((await fetch(`${f.url}/v1/models`)).status).toBe(200);
    expect((await fetch(`${f.url}/props`)).status).toBe(401);
    expect((await fetch(`${f.url}/props`, { headers: { 'X-Api-Key': 'k' } })).status).toBe(200);
  });
});

describe('CORS as each server answers it', () => {
  const preflight = (f: FakeOpenAi, origin = ORIGIN) =>
    fetch(`${f.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });

  it('vLLM: any origin by default; with --allowed-origins a stranger gets 400 Disallowed CORS origin', async () => {
    let f = await start({ flavour: 'vllm' });
    let response = await preflight(f);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    await f.close();
    f = await start({ flavour: 'vllm', corsOrigins: ['http://localhost:4173'] });
    response = await preflight(f);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Disallowed CORS origin');
    expect((await preflight(f, 'http://localhost:4173')).headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    // A simple request from a stranger still runs; only the header is missing.
    const models = await fetch(`${f.url}/v1/models`, { headers: { Origin: ORIGIN } });
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('llama-server echoes the origin on everything, and answers OPTIONS with Allow-Headers *', async () => {
    const f = await start({ flavour: 'llama-server' });
    const response = await preflight(f);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect((await fetch(`${f.url}/nope`, { headers: { Origin: ORIGIN } })).headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('LM Studio: off by default, so the preflight is read as a chat without messages', async () => {
    let f = await start({ flavour: 'lmstudio' });
    const response = await preflight(f);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({ error: "'messages' field is required" });
    expect((await fetch(`${f.url}/v1/models`, { headers: { Origin: ORIGIN } })).headers.get('access-control-allow-origin')).toBeNull();
    await f.close();
    f = await start({ flavour: 'lmstudio', lmStudioCors: true });
    expect((await preflight(f)).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('Ollama /v1: localhost pages only unless OLLAMA_ORIGINS, a bare 403 otherwise', async () => {
    const f = await start({ flavour: 'ollama-v1' });
    const refused = await chat(f, chatBody('ollama-v1'), { Origin: ORIGIN });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('');
    const allowed = await fetch(`${f.url}/v1/models`, { headers: { Origin: 'http://localhost:4173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
  });
});

describe('records', () => {
  it('records requests with headers and bodies, and counts parallel and cancelled streams', async () => {
    const f = await start({ flavour: 'vllm', reply: 'a b c d' });
    f.hold();
    const controller = new AbortController();
    const first = chat(f, chatBody('vllm'));
    const second = fetch(`${f.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('vllm')), signal: controller.signal });
    await f.whenHeld(2);
    expect(f.activeChats).toBe(2);
    controller.abort();
    await second.catch(() => {});
    f.releaseAll();
    await (await first).text();
    await f.whenIdle();
    expect(f.peakChats).toBe(2);
    expect(f.cancelled).toBe(1);
    expect(f.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: MODEL.vllm, stream: true } });
    expect(f.requests[0]?.headers['content-type']).toBe('application/json');
  });
});
