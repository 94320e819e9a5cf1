// The fake must be as awkward as Ollama: these tests pin the awkward parts down.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { goBase64Decode } from './go.ts';
import { ALLOW_HEADERS, MANIFEST_MISSING, SERVER_BUSY, UNKNOWN_FORMAT, startFakeOllama } from './server.ts';
import type { FakeOllama, FakeOllamaOptions } from './server.ts';

// A 1×1 PNG, a 1×1 GIF, and a minimal JPEG header with a 640×480 SOF0.
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const GIF_1x1 = 'R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==';
const JPEG_640x480 = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00,
]).toString('base64');

let fake: FakeOllama | undefined;
async function start(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  fake = await startFakeOllama({ chunkDelayMs: 1, firstChunkDelayMs: 1, splitDelayMs: 1, pullDelayMs: 1, ...options });
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const post = (f: FakeOllama, path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${f.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), ...init });

const chatBody = (model: string, content: string, extra: Record<string, unknown> = {}, images?: string[]) => ({
  model,
  messages: [{ role: 'user', content, ...(images ? { images } : {}) }],
  ...extra,
});

/** Read an NDJSON body with a proper line buffer (the fake splits lines across reads). */
async function readLines(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const contentOf = (lines: Record<string, unknown>[], field = 'content') =>
  lines.map((l) => ((l.message as Record<string, string> | undefined)?.[field] ?? '')).join('');

describe('plain endpoints', () => {
  it('answers /, /api/version, /api/tags like Ollama 0.12.6', async () => {
    const f = await start();
    const root = await fetch(`${f.url}/`);
    expect(root.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await root.text()).toBe('Ollama is running');
    expect((await fetch(`${f.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect(await (await fetch(`${f.url}/api/version`)).json()).toEqual({ version: '0.12.6' });
    const tags = (await (await fetch(`${f.url}/api/tags`)).json()) as { models: Record<string, unknown>[] };
    expect(tags.models.map((m) => m.name)).toEqual(['gemma3:4b', 'qwen3-vl:4b', 'llama3.2:3b', 'llava:7b']);
    expect(tags.models[0]).not.toHaveProperty('capabilities');
    expect(tags.models[3]?.details).toMatchObject({ families: ['llama', 'clip'], format: 'gguf' });
    expect((await fetch(`${f.url}/api/nope`)).status).toBe(404);
    expect((await fetch(`${f.url}/api/chat`)).status).toBe(405);
  });

  it('shows capabilities, omits them for an old-style model, 404s unknown names', async () => {
    const f = await start();
    const show = async (model: string) => post(f, '/api/show', { model });
    expect(await (await show('gemma3:4b')).json()).toMatchObject({ capabilities: ['completion', 'vision'], model_info: {} });
    const llava = (await (await show('llava:7b')).json()) as Record<string, unknown>;
    expect(llava).not.toHaveProperty('capabilities');
    expect(llava).toHaveProperty('projector_info');
    const missing = await show('nope:1b');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'nope:1b' not found" });
    expect(await (await post(f, '/api/show', '')).json()).toEqual({ error: 'missing request body' });
    expect(await (await post(f, '/api/show', {})).json()).toEqual({ error: 'model is required' });
  });
});

describe('CORS as gin-contrib/cors does it for Ollama', () => {
  it('answers an allowed preflight with 204 and the fixed header list', async () => {
    const f = await start();
    const res = await fetch(`${f.url}/api/chat`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-custom' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe(ALLOW_HEADERS);
    expect(ALLOW_HEADERS.split(',')).not.toContain('X-Custom');
    expect(res.headers.get('access-control-max-age')).toBe('43200');
  });

  it('gives a disallowed origin a bare 403: no CORS headers, empty body, preflight or not', async () => {
    const f = await start();
    const attempts: [string, RequestInit][] = [
      ['/api/chat', { method: 'OPTIONS' }],
      ['/api/chat', { method: 'POST', body: JSON.stringify(chatBody('gemma3:4b', 'hi')) }],
      ['/api/tags', { method: 'GET' }],
    ];
    for (const [path, init] of attempts) {
      const res = await fetch(`${f.url}${path}`, { ...init, headers: { Origin: 'https://someone.github.io' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.text()).toBe('');
    }
    expect(f.activeChats).toBe(0);
  });

  it('echoes an allowed origin on actual requests and lets Origin-less requests through', async () => {
    const f = await start();
    const res = await fetch(`${f.url}/api/version`, { headers: { Origin: 'http://127.0.0.1:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(res.headers.get('vary')).toBe('Origin');
    const plain = await fetch(`${f.url}/api/version`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${f.url}/`, { headers: { Origin: 'null' } })).status).toBe(403);
    expect((await fetch(`${f.url}/`, { headers: { Origin: 'http://192.168.1.5:4173' } })).status).toBe(403);
  });

  it('adds OLLAMA_ORIGINS entries with one wildcard each; * allows everything', async () => {
    let f = await start({ origins: ['https://*.github.io,https://app.example'] });
    const from = async (origin: string) => (await fetch(`${f.url}/`, { headers: { Origin: origin } })).status;
    expect(await from('https://me.github.io')).toBe(200);
    expect(await from('https://app.example')).toBe(200);
    expect(await from('https://app.example.evil')).toBe(403);
    await f.close();
    f = await start({ origins: ['*'] });
    const res = await fetch(`${f.url}/`, { headers: { Origin: 'null' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    await expect(startFakeOllama({ origins: ['example.com'] })).rejects.toThrow(/bad origin/);
    await expect(startFakeOllama({ origins: ['https://*.*.example'] })).rejects.toThrow(/only one \*/);
  });

  it('refuses a foreign Host header (DNS-rebinding guard on a loopback bind)', async () => {
    const f = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${f.url}/api/tags`, { headers: { Host: 'evil.example:11434' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('POST /api/chat', () => {
  it('sends status and headers only with the first chunk', async () => {
    const f = await start({ firstChunkDelayMs: 300 });
    const t0 = Date.now();
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'Extract all text'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await readLines(res);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', message: { role: 'assistant', content: '' } });
    expect(Number.isInteger(lines.at(-1)?.total_duration)).toBe(true);
    expect(contentOf(lines)).toContain('Reply from gemma3:4b: Extract all text');
  });

  it('keeps fetch pending while held, streams chunk by chunk on release', async () => {
    const f = await start();
    f.setReply(['alpha ', 'beta ', 'gamma']);
    f.hold();
    let resolved = false;
    const pending = post(f, '/api/chat', chatBody('gemma3:4b', 'hi')).then((r) => {
      resolved = true;
      return r;
    });
    await f.whenHeld();
    await new Promise((r) => setTimeout(r, 50));
    expect(resolved).toBe(false);
    f.release(1);
    const res = await pending;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text).toContain('"content":"alpha "');
    await f.whenHeld();
    expect(text).not.toContain('beta');
    f.releaseAll();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('"done":true');
  });

  it('splits NDJSON lines across network reads', async () => {
    const f = await start({ splitDelayMs: 40 });
    f.setReply(['one', ' two', ' three']);
    const reads = await new Promise<string[]>((resolve, reject) => {
      const req = httpRequest(`${f.url}/api/chat`, { method: 'POST' }, (res) => {
        const got: string[] = [];
        res.on('data', (chunk: Buffer) => got.push(chunk.toString('latin1')));
        res.on('end', () => resolve(got));
      });
      req.on('error', reject);
      req.end(JSON.stringify(chatBody('gemma3:4b', 'x')));
    });
    expect(reads.some((r) => !r.endsWith('\n'))).toBe(true);
    expect(reads.join('').split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('returns Go-exact errors for bad requests', async () => {
    const f = await start();
    const expectError = async (body: unknown, status: number, error: string) => {
      const res = await post(f, '/api/chat', body);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error });
    };
    await expectError('', 400, 'missing request body');
    await expectError({ messages: [] }, 400, 'model is required');
    await expectError(chatBody('nope:7b', 'hi'), 404, "model 'nope:7b' not found");
    await expectError(chatBody('gemma3:4b', 'hi', {}, [`data:image/png;base64,${PNG_1x1}`]), 400, 'illegal base64 data at input byte 4');
    await expectError(chatBody('gemma3:4b', 'hi', {}, ['QQ']), 400, 'illegal base64 data at input byte 0');
    await expectError(chatBody('gemma3:4b', 'hi', { stream: 'no' }), 400, 'json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool');
    await expectError(chatBody('gemma3:4b', 'hi', { keep_alive: '10' }), 400, 'time: missing unit in duration "10"');
    await expectError(chatBody('llama3.2:3b', 'hi', { think: true }), 400, '"llama3.2:3b" does not support thinking');
    await expectError(chatBody('llama3.2:3b', 'hi', { think: false }), 400, '"llama3.2:3b" does not support thinking');
    await expectError('{"model": x}', 400, "invalid character 'x' looking for beginning of value");
  });

  it('answers messages: [] with one plain load object (unload with keep_alive 0)', async () => {
    const f = await start();
    const load = await post(f, '/api/chat', { model: 'gemma3:4b', messages: [] });
    expect(load.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await load.json()).toMatchObject({ model: 'gemma3:4b', message: { role: 'assistant', content: '' }, done_reason: 'load', done: true });
    expect(f.loadedModels()).toEqual(['gemma3:4b']);
    const unload = await post(f, '/api/chat', { model: 'gemma3:4b', messages: [], keep_alive: 0 });
    expect(await unload.json()).toMatchObject({ done_reason: 'unload' });
    expect(f.loadedModels()).toEqual([]);
  });

  it('fails undecodable images with 500 before the stream, ignores images on text-only models', async () => {
    const f = await start();
    const gif = await post(f, '/api/chat', chatBody('gemma3:4b', 'read', {}, [GIF_1x1]));
    expect(gif.status).toBe(500);
    expect(gif.headers.get('content-type')).toBe('application/json');
    expect(await gif.json()).toEqual({ error: UNKNOWN_FORMAT });
    const text = await post(f, '/api/chat', chatBody('llama3.2:3b', 'read this', {}, [GIF_1x1]));
    expect(text.status).toBe(200);
    expect(contentOf(await readLines(text))).toBe('Reply from llama3.2:3b: read this');
  });

  it('describes the images in its default reply', async () => {
    const f = await start();
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'Extract the text', { stream: false }, [PNG_1x1, JPEG_640x480]));
    const body = (await res.json()) as { message: { content: string } };
    expect(body.message.content).toContain('Image 1: PNG 1×1, 70 bytes');
    expect(body.message.content).toContain('Image 2: JPEG 640×480, 21 bytes');
    expect(body.message.content).toContain('Prompt: Extract the text');
  });

  it('puts a thinking model’s answer in message.thinking unless think:false', async () => {
    const f = await start();
    const thinking = await readLines(await post(f, '/api/chat', chatBody('qwen3-vl:4b', 'hello')));
    expect(contentOf(thinking)).toBe('');
    expect(contentOf(thinking, 'thinking')).toBe('Reply from qwen3-vl:4b: hello');
    const plain = await readLines(await post(f, '/api/chat', chatBody('qwen3-vl:4b', 'hello', { think: false })));
    expect(contentOf(plain)).toBe('Reply from qwen3-vl:4b: hello');
    f.setReply({ thinking: 'Hmm.', content: 'Answer.' });
    const both = await readLines(await post(f, '/api/chat', chatBody('qwen3-vl:4b', 'hello')));
    expect([contentOf(both, 'thinking'), contentOf(both)]).toEqual(['Hmm.', 'Answer.']);
  });

  it('stops at num_predict with done_reason length', async () => {
    const f = await start();
    f.setReply(['a', 'b', 'c', 'd']);
    const lines = await readLines(await post(f, '/api/chat', chatBody('gemma3:4b', 'x', { options: { num_predict: 2 } })));
    expect(contentOf(lines)).toBe('ab');
    expect(lines.at(-1)).toMatchObject({ done_reason: 'length', eval_count: 2 });
  });

  it('sends each chunk’s token logprobs when asked, on 0.12.11+, last in the chunk as Ollama orders it', async () => {
    const f = await start({ version: '0.12.11', reply: { content: ['Total', ' 42'], logprobs: [-0.1, -2.5] } });
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'hi', { logprobs: true }));
    const lines = await readLines(res);
    expect(lines.slice(0, 2).map((l) => l.logprobs)).toEqual([
      [{ token: 'Total', logprob: -0.1, bytes: [84, 111, 116, 97, 108] }],
      [{ token: ' 42', logprob: -2.5, bytes: [32, 52, 50] }],
    ]);
    expect(Object.keys(lines[0]!).at(-1)).toBe('logprobs');
    // The done line carries none (omitempty).
    expect('logprobs' in lines[2]!).toBe(false);
    const top = await readLines(await post(f, '/api/chat', chatBody('gemma3:4b', 'hi', { logprobs: true, top_logprobs: 2 })));
    expect((top[0]?.logprobs as { top_logprobs: unknown[] }[])[0]?.top_logprobs).toHaveLength(2);
  });

  it('sends no logprobs unless asked, and an older Ollama ignores the field (even a wrong type)', async () => {
    const f = await start({ version: '0.12.11', reply: { content: ['Hi'] } });
    expect((await readLines(await post(f, '/api/chat', chatBody('gemma3:4b', 'hi')))).some((l) => 'logprobs' in l)).toBe(false);
    const bad = await post(f, '/api/chat', chatBody('gemma3:4b', 'hi', { logprobs: 'yes' }));
    expect(bad.status).toBe(400);
    await fake?.close();
    const old = await start({ version: '0.12.6', reply: { content: ['Hi'] } });
    for (const logprobs of [true, 'yes']) {
      const res = await post(old, '/api/chat', chatBody('gemma3:4b', 'hi', { logprobs }));
      expect(res.status).toBe(200);
      const lines = await readLines(res);
      expect(contentOf(lines)).toBe('Hi');
      expect(lines.some((l) => 'logprobs' in l)).toBe(false);
    }
  });

  it('reports a mid-stream error as one more line on the 200 stream, with no done:true', async () => {
    const f = await start();
    f.setReply(['one', ' two', ' three']);
    f.failMidStream('an error was encountered while running the model: boom', 2);
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'x'));
    expect(res.status).toBe(200);
    const lines = await readLines(res);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ error: 'an error was encountered while running the model: boom' });
    expect(lines.some((l) => l.done === true)).toBe(false);
    // Before the first chunk the same failure still has a real status.
    f.failMidStream('boom', 0);
    const early = await post(f, '/api/chat', chatBody('gemma3:4b', 'x'));
    expect(early.status).toBe(500);
  });

  it('injects failNext statuses and socket drops', async () => {
    const f = await start();
    f.failNext({ status: 503, error: SERVER_BUSY });
    // A warm-up does not consume it.
    expect((await post(f, '/api/chat', { model: 'gemma3:4b', messages: [] })).status).toBe(200);
    const busy = await post(f, '/api/chat', chatBody('gemma3:4b', 'x'));
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ error: SERVER_BUSY });
    f.dropMidStream(1);
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'x'));
    await expect(res.text()).rejects.toThrow();
    expect(f.cancelled).toBe(0);
  });

  it('generates one request at a time and moves on when a client aborts', async () => {
    const f = await start();
    f.hold();
    const first = new AbortController();
    const a = post(f, '/api/chat', chatBody('gemma3:4b', 'first'), { signal: first.signal }).catch((e: Error) => e);
    await f.whenHeld();
    const b = post(f, '/api/chat', chatBody('gemma3:4b', 'second'));
    await expect.poll(() => f.queuedChats).toBe(1);
    expect(f.activeChats).toBe(1);
    first.abort();
    expect(await a).toBeInstanceOf(Error);
    await expect.poll(() => f.cancelled).toBe(1);
    f.releaseAll();
    expect(contentOf(await readLines(await b))).toContain('second');
    await f.whenIdle();
  });

  it('stalls as a stuck model does: silent until the client gives up, headers only once text came', async () => {
    const f = await start();
    f.setReply({ content: ['never'], stallAfter: 0 });
    const silent = new AbortController();
    let hasHeaders = false;
    const a = post(f, '/api/chat', chatBody('gemma3:4b', 'a'), { signal: silent.signal }).then(() => (hasHeaders = true), (e: Error) => e);
    await expect.poll(() => f.activeChats).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(hasHeaders).toBe(false);
    silent.abort();
    expect(await a).toBeInstanceOf(Error);
    await expect.poll(() => f.cancelled).toBe(1);

    f.setReply({ content: ['Half ', 'a ', 'page'], stallAfter: 1 });
    const stuck = new AbortController();
    const res = await post(f, '/api/chat', chatBody('gemma3:4b', 'b'), { signal: stuck.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    // The first line may come in two reads (the fake splits lines as networks do).
    let first = '';
    while (!first.endsWith('\n')) first += new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"content":"Half "');
    stuck.abort();
    await expect.poll(() => f.cancelled).toBe(2);
    await f.whenIdle();
  });

  it('answers 503 when the queue is full', async () => {
    const f = await start({ maxQueue: 1 });
    f.hold();
    const a = post(f, '/api/chat', chatBody('gemma3:4b', 'a'));
    await f.whenHeld();
    const b = post(f, '/api/chat', chatBody('gemma3:4b', 'b'));
    await expect.poll(() => f.queuedChats).toBe(1);
    const c = await post(f, '/api/chat', chatBody('gemma3:4b', 'c'));
    expect(c.status).toBe(503);
    f.releaseAll();
    expect((await a).status).toBe(200);
    expect((await b).status).toBe(200);
  });
});

describe('POST /api/pull', () => {
  it('streams progress, then the model is installed and vision capable', async () => {
    const f = await start();
    const res = await post(f, '/api/pull', { model: 'moondream' });
    const lines = await readLines(res);
    expect(lines[0]).toEqual({ status: 'pulling manifest' });
    const progress = lines.filter((l) => String(l.status).startsWith('pulling ') && l.digest);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[0]).not.toHaveProperty('completed');
    expect(progress.some((l) => l.completed === l.total)).toBe(true);
    expect(lines.slice(-3).map((l) => l.status)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    expect(f.modelNames()[0]).toBe('moondream:latest');
    const show = (await (await post(f, '/api/show', { model: 'moondream' })).json()) as { capabilities: string[] };
    expect(show.capabilities).toContain('vision');
  });

  it('reports an unknown model as an error line on a 200 stream', async () => {
    const f = await start();
    const res = await post(f, '/api/pull', { model: 'no-such-model' });
    expect(res.status).toBe(200);
    expect(await readLines(res)).toEqual([{ status: 'pulling manifest' }, { error: MANIFEST_MISSING }]);
    const waited = await post(f, '/api/pull', { model: 'no-such-model', stream: false });
    expect(waited.status).toBe(500);
  });
});

describe('lifecycle', () => {
  it('stops like Ollama quitting and starts again on the same port', async () => {
    const f = await start();
    const port = f.port;
    await f.stop();
    await expect(fetch(`${f.url}/`)).rejects.toThrow();
    await f.start();
    expect(f.port).toBe(port);
    expect(await (await fetch(`${f.url}/`)).text()).toBe('Ollama is running');
  });

  it('cuts streams that are open when it stops, without counting a client cancel', async () => {
    const f = await start();
    f.hold();
    const res = post(f, '/api/chat', chatBody('gemma3:4b', 'x'));
    await f.whenHeld();
    await f.stop();
    await expect(res).rejects.toThrow();
    expect(f.cancelled).toBe(0);
  });

  it('records requests', async () => {
    const f = await start();
    await post(f, '/api/show', { model: 'gemma3:4b' }, { headers: { Origin: 'http://localhost:4173' } });
    expect(f.requests).toHaveLength(1);
    expect(f.requests[0]).toMatchObject({ method: 'POST', path: '/api/show', origin: 'http://localhost:4173', body: { model: 'gemma3:4b' }, status: 200 });
    f.clearRequests();
    expect(f.requests).toHaveLength(0);
  });
});

describe('Go base64', () => {
  it('matches encoding/base64 StdEncoding error offsets', () => {
    const err = (s: string) => {
      const r = goBase64Decode(s);
      return r.ok ? r.bytes.toString('latin1') : r.error;
    };
    expect(err('QUJD')).toBe('ABC');
    expect(err('QUJD\nREVG\r\n')).toBe('ABCDEF');
    expect(err('QQ==')).toBe('A');
    expect(err('QQ=')).toBe('illegal base64 data at input byte 3');
    expect(err('QUJ')).toBe('illegal base64 data at input byte 0');
    expect(err('QQ==QQ==')).toBe('illegal base64 data at input byte 4');
    expect(err('QU-D')).toBe('illegal base64 data at input byte 2');
    expect(err('Q===')).toBe('illegal base64 data at input byte 1');
  });
});
