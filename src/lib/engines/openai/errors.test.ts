import { describe, expect, it } from 'vitest';
import { OpenAiHttpError, readErrorDetails, toHttpError } from './errors.ts';

const respond = (status: number, body: unknown) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('readErrorDetails', () => {
  it("reads every server's error shape", () => {
    expect(readErrorDetails({ error: 'Unauthorized' })).toEqual({ message: 'Unauthorized' });
    expect(readErrorDetails({ error: { message: 'm', type: 'BadRequestError', param: null, code: 400 } })).toEqual({ message: 'm', type: 'BadRequestError', code: 400 });
    expect(readErrorDetails({ error: { message: 'm', type: 'None', param: 'None', code: '400' } })).toEqual({ message: 'm', type: 'None', code: '400' });
    expect(readErrorDetails({ object: 'error', message: 'old vLLM', code: 404 })).toEqual({ message: 'old vLLM', code: 404 });
    expect(readErrorDetails({ detail: 'Not Found' })).toEqual({ message: 'Not Found' });
    expect(readErrorDetails({ detail: [{ msg: 'field required' }] })).toEqual({ message: 'field required' });
    expect(readErrorDetails({ nothing: true })).toBeUndefined();
  });
});

describe('toHttpError', () => {
  it('tells a missing key from a refused one', async () => {
    expect((await toHttpError(respond(401, { error: 'Unauthorized' }), false)).problem).toBe('key-missing');
    expect((await toHttpError(respond(401, { error: 'Unauthorized' }), true)).problem).toBe('key-refused');
    expect((await toHttpError(respond(403, 'Forbidden'), true)).problem).toBe('key-refused');
  });

  it("knows each server's words for a missing model", async () => {
    const cases: [number, unknown][] = [
      [404, { error: { message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 } }],
      [404, { error: { message: "model 'x' not found", type: 'not_found_error', param: null, code: null } }],
      [400, { error: { message: "{'error': '/chat/completions: Invalid model name passed in model=x. Call `/v1/models`'}", code: '400' } }],
      [404, { error: { message: 'Invalid model identifier "x".', code: 'model_not_found' } }],
      [400, { error: 'No models loaded. Please load a model first.' }],
    ];
    for (const [status, body] of cases) expect((await toHttpError(respond(status, body), false)).problem).toBe('model-not-found');
  });

  it('knows a model that cannot see images, a full context, a busy server and a wrong address', async () => {
    const problem = async (status: number, body: unknown) => (await toHttpError(respond(status, body), false)).problem;
    expect(await problem(400, { error: { message: 'm is not a multimodal model', code: 400 } })).toBe('no-vision');
    expect(await problem(500, { error: { code: 500, message: 'image input is not supported - hint: …mmproj', type: 'server_error' } })).toBe('no-vision');
    expect(await problem(400, { error: 'Model does not support images. Please use a model that does.' })).toBe('no-vision');
    expect(await problem(400, { error: { message: 'request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it' } })).toBe('context-overflow');
    expect(await problem(400, { error: { message: "This model's maximum context length is 4096 tokens. However, …" } })).toBe('context-overflow');
    expect(await problem(503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } })).toBe('busy');
    expect(await problem(404, { detail: 'Not Found' })).toBe('not-found');
    expect(await problem(502, '<html>Bad gateway</html>')).toBe('server');
  });

  it('keeps raw text when the body is not JSON', async () => {
    const error = await toHttpError(respond(401, 'Invalid API Key'), true);
    expect(error).toBeInstanceOf(OpenAiHttpError);
    expect(error.message).toBe('Invalid API Key');
    expect(error.status).toBe(401);
  });
});
