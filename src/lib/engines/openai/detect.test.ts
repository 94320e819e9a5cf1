// What only a browser shows (CORS hides answers), with a fetch that behaves like one.
import { describe, expect, it } from 'vitest';
import { detectServer } from './detect.ts';

type Answer = Response | 'cors' | 'down';

/** A browser-like fetch: 'cors' answers only no-cors requests (opaquely); 'down' refuses everything. */
function browserFetch(answer: (path: string, init?: RequestInit) => Answer): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const result = answer(new URL(String(input)).pathname, init);
    if (result === 'down') throw new TypeError('Failed to fetch');
    if (result === 'cors') {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    }
    return result;
  }) as typeof fetch;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('detectServer in a browser', () => {
  it('tells CORS refusal (something answers opaquely) from nothing listening, guessing the server from its port', async () => {
    expect(await detectServer('http://10.0.0.5:1234', { fetch: browserFetch(() => 'cors') })).toEqual({
      status: 'cors-refused',
      baseUrl: 'http://10.0.0.5:1234',
      flavourGuess: 'lmstudio',
    });
    expect(await detectServer('10.0.0.5:8000/v1/', { fetch: browserFetch(() => 'down') })).toEqual({
      status: 'unreachable',
      baseUrl: 'http://10.0.0.5:8000',
      flavourGuess: 'vllm',
    });
  });

  it('guesses Ollama on port 11434', async () => {
    expect(await detectServer('http://gpu:11434', { fetch: browserFetch(() => 'cors') })).toMatchObject({ status: 'cors-refused', flavourGuess: 'ollama' });
  });

  it("says the model list is hidden when open paths answer but /v1/models does not (vLLM's 401 without CORS)", async () => {
    const fetchImpl = browserFetch((path) => {
      if (path === '/v1/models') return 'cors';
      if (path === '/version') return json({ version: '0.11.0' });
      return json({ detail: 'Not Found' }, 404);
    });
    expect(await detectServer('http://gpu:8000', { fetch: fetchImpl })).toEqual({
      status: 'models-hidden',
      baseUrl: 'http://gpu:8000',
      flavourGuess: 'vllm',
      hasKey: false,
    });
  });

  it('reports an address that is not an OpenAI-compatible server', async () => {
    const detection = await detectServer('http://nas:8080', { fetch: browserFetch(() => new Response('<html>NAS</html>', { status: 404 })) });
    expect(detection).toMatchObject({ status: 'not-openai', httpStatus: 404 });
  });

  it('finds a generic server when nothing names it', async () => {
    const fetchImpl = browserFetch((path) => (path === '/v1/models' ? json({ object: 'list', data: [{ id: 'm', owned_by: 'someone' }] }) : json({}, 404)));
    expect(await detectServer('https://llm.example:4443', { fetch: fetchImpl })).toMatchObject({
      status: 'found',
      server: { kind: 'openai', flavour: 'generic', concurrency: 1 },
    });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetchImpl = ((_input: RequestInfo | URL, init?: RequestInit) => {
      init?.signal?.throwIfAborted();
      return Promise.resolve(json({}));
    }) as typeof fetch;
    await expect(detectServer('http://x:8000', { fetch: fetchImpl, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
