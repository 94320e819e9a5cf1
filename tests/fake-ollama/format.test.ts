// `format` as Ollama takes it: "json" or a JSON Schema object; anything else fails before any chunk.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama } from './server.ts';
import type { FakeOllama } from './server.ts';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const SCHEMA = { type: 'object', properties: { alt: { type: 'string' }, is_decorative: { type: 'boolean' } }, required: ['alt', 'is_decorative'] };

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function chat(format: unknown): Promise<Response> {
  fake ??= await startFakeOllama({ chunkDelayMs: 1, firstChunkDelayMs: 1, splitDelayMs: 1 });
  const body = { model: 'gemma3:4b', stream: false, messages: [{ role: 'user', content: 'Alt text', images: [PNG_1x1] }], ...(format !== undefined && { format }) };
  return fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify(body) });
}

describe('format on /api/chat', () => {
  it('answers a JSON Schema with JSON that matches it, and hands the schema to reply functions', async () => {
    const res = await chat(SCHEMA);
    expect(res.status).toBe(200);
    const { message } = (await res.json()) as { message: { content: string } };
    expect(JSON.parse(message.content)).toEqual({ alt: 'Fake value', is_decorative: false });
    expect(fake?.requests.at(-1)?.body).toMatchObject({ format: SCHEMA });
  });

  it('lets a test answer with its own JSON text', async () => {
    fake = await startFakeOllama({ chunkDelayMs: 1, firstChunkDelayMs: 1, reply: (req) => (req.format ? '{"alt":42}' : 'plain') });
    const { message } = (await (await chat(SCHEMA)).json()) as { message: { content: string } };
    expect(message.content).toBe('{"alt":42}');
  });

  it.each([undefined, null, '', 'json'])('accepts format %j', async (format) => {
    expect((await chat(format)).status).toBe(200);
  });

  it.each([
    ['yaml', 'invalid format: "\\"yaml\\""; expected "json" or a valid JSON Schema object'],
    [42, 'invalid format: "42"; expected "json" or a valid JSON Schema object'],
    [[SCHEMA], expect.stringContaining('expected "json" or a valid JSON Schema object')],
    [{ type: 7 }, 'invalid JSON schema in format'],
  ])('refuses format %j before any chunk', async (format, error) => {
    const res = await chat(format);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error });
  });
});
