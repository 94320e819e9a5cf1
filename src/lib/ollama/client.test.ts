import { describe, expect, it } from 'vitest';
import { OllamaClient } from './client.ts';
import { NotOllamaError, OllamaHttpError, OllamaStreamError, OllamaTruncatedError, OllamaUnreachableError } from './errors.ts';

const ndjson = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

function fakeFetch(respond: (url: string, init?: RequestInit) => Response | Promise<Response>): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => respond(String(input), init)) as typeof fetch;
}

async function drain(client: OllamaClient) {
  const stream = client.streamChat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  let text = '';
  let step = await stream.next();
  while (!step.done) {
    text += step.value.message?.content ?? '';
    step = await stream.next();
  }
  return { text, metrics: step.value };
}

describe('OllamaClient', () => {
  it('streams content and returns the final metrics', async () => {
    const body = ndjson([
      { message: { role: 'assistant', content: 'Hel' }, done: false },
      { message: { role: 'assistant', content: 'lo' }, done: false },
      { message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 2, total_duration: 5 },
    ]);
    const client = new OllamaClient('http://x/', fakeFetch(() => new Response(body)));
    const { text, metrics } = await drain(client);
    expect(text).toBe('Hello');
    expect(metrics).toMatchObject({ eval_count: 2, total_duration: 5, done_reason: 'stop' });
  });

  it('maps a refused connection to OllamaUnreachableError', async () => {
    const client = new OllamaClient('http://x', fakeFetch(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(client.listModels()).rejects.toBeInstanceOf(OllamaUnreachableError);
  });

  it("maps an HTTP error to OllamaHttpError with Ollama's own text", async () => {
    const client = new OllamaClient('http://x', fakeFetch(() => Response.json({ error: "model 'nope' not found" }, { status: 404 })));
    const error = await drain(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OllamaHttpError);
    expect((error as OllamaHttpError).status).toBe(404);
    expect((error as OllamaHttpError).message).toBe("model 'nope' not found");
  });

  it('keeps a short non-JSON error body as the message', async () => {
    const client = new OllamaClient('http://x', fakeFetch(() => new Response('Bad Gateway', { status: 502 })));
    await expect(client.version()).rejects.toMatchObject({ status: 502, message: 'Bad Gateway', isWebPage: false });
  });

  it("summarises a proxy's HTML error page by status and title instead of dumping it", async () => {
    const page = `<!DOCTYPE html>\n<html><head><title>502 Bad Gateway &amp; co</title><style>${'x'.repeat(5000)}</style></head>
      <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(page, { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } })));
    const error = await drain(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OllamaHttpError);
    expect(error).toMatchObject({ status: 502, isWebPage: true });
    expect((error as Error).message).toBe("The server answered 502 Bad Gateway (“502 Bad Gateway & co”) with a web page, not Ollama's reply: is a proxy in front of Ollama?");
  });

  it('recognises an HTML error page without a Content-Type, and one without a title', async () => {
    const client = new OllamaClient('http://x', fakeFetch(() => new Response('<html><body>gone</body></html>', { status: 404 })));
    const error = await client.listModels().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, isWebPage: true });
    expect((error as Error).message).toBe("The server answered 404 with a web page, not Ollama's reply: is a proxy in front of Ollama?");
  });

  it.each([
    ['an HTML page', '<!doctype html><html><head><title>Welcome to nginx!</title></head><body></body></html>', 'text/html', 'a web page titled “Welcome to nginx!”'],
    ['plain text', 'Hello from a dev server\n', 'text/plain', 'plain text: “Hello from a dev server”'],
    ['a JSON object that is not a chunk', '{"object":"list","data":[]}\n', 'application/json', 'JSON that is not an Ollama reply: “{"object":"list","data":[]}”'],
  ])('turns a 200 carrying %s into NotOllamaError, for a stream', async (_label, body, type, received) => {
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(body, { headers: { 'Content-Type': type } })));
    const error = await drain(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotOllamaError);
    expect((error as Error).message).toBe(`The server at http://x does not answer like Ollama: it sent ${received}. Check the address and port.`);
  });

  it('turns a 200 that is not JSON into NotOllamaError, for tags, version and pull', async () => {
    const html = new OllamaClient('http://x', fakeFetch(() => new Response('<!DOCTYPE html><title>Router login</title>', { headers: { 'Content-Type': 'text/html' } })));
    await expect(html.listModels()).rejects.toThrow('it sent a web page titled “Router login”');
    await expect(html.version()).rejects.toBeInstanceOf(NotOllamaError);
    const pulling = (async () => { for await (const _ of html.pullModel('m')) { /* drain */ } })();
    await expect(pulling).rejects.toBeInstanceOf(NotOllamaError);
    const number = new OllamaClient('http://x', fakeFetch(() => new Response('42')));
    await expect(number.listModels()).rejects.toThrow('JSON that is not an Ollama reply: “42”');
    const empty = new OllamaClient('http://x', fakeFetch(() => new Response('')));
    await expect(empty.version()).rejects.toThrow('it sent an empty answer');
  });

  it('throws OllamaStreamError for an error line after content', async () => {
    const body = ndjson([{ message: { role: 'assistant', content: 'a' }, done: false }, { error: 'an error was encountered while running the model' }]);
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(body)));
    await expect(drain(client)).rejects.toBeInstanceOf(OllamaStreamError);
  });

  it('throws OllamaTruncatedError when the stream ends without done:true', async () => {
    const body = ndjson([{ message: { role: 'assistant', content: 'a' }, done: false }]);
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(body)));
    await expect(drain(client)).rejects.toBeInstanceOf(OllamaTruncatedError);
  });

  it('sends images as bare base64 inside the JSON body, and no custom headers', async () => {
    let sent: RequestInit | undefined;
    const client = new OllamaClient('http://x', fakeFetch((_url, init) => {
      sent = init;
      return new Response(ndjson([{ done: true }]));
    }));
    const image = new TextEncoder().encode('iVBORw0KGgo=');
    const stream = client.streamChat({ model: 'm', messages: [{ role: 'user', content: 'q', images: [image] }], think: false });
    await stream.next();
    const body = JSON.parse(await (sent?.body as Blob).text());
    expect(body.messages[0].images).toEqual(['iVBORw0KGgo=']);
    expect(body).toMatchObject({ stream: true, think: false, model: 'm' });
    expect(sent?.headers).toBeUndefined();
  });

  it('streams pull progress until success, and turns an error line into OllamaStreamError', async () => {
    const lines = [{ status: 'pulling manifest' }, { status: 'pulling aa', digest: 'aa', total: 10, completed: 10 }, { status: 'success' }];
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(ndjson(lines))));
    const seen: string[] = [];
    for await (const line of client.pullModel('m')) seen.push(line.status ?? '');
    expect(seen).toEqual(['pulling manifest', 'pulling aa', 'success']);

    // An unknown name: a 200 stream whose last line is the error.
    const unknown = new OllamaClient('http://x', fakeFetch(() => new Response(ndjson([{ status: 'pulling manifest' }, { error: 'pull model manifest: file does not exist' }]))));
    const pulling = (async () => { for await (const _ of unknown.pullModel('nope')) { /* drain */ } })();
    await expect(pulling).rejects.toMatchObject({ name: 'OllamaStreamError', message: 'pull model manifest: file does not exist' });
  });

  it('maps a pull cut off mid-stream to OllamaUnreachableError', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"status":"pulling manifest"}\n'));
        controller.error(new TypeError('network error'));
      },
    });
    const client = new OllamaClient('http://x', fakeFetch(() => new Response(body)));
    const pulling = (async () => { for await (const _ of client.pullModel('m')) { /* drain */ } })();
    await expect(pulling).rejects.toBeInstanceOf(OllamaUnreachableError);
  });
});
