import { describe, expect, it } from 'vitest';
import type { EngineImage, ReadRequest } from '../engines/types.ts';
import { toJsonBody } from './body.ts';
import { KEEP_ALIVE, buildChatRequest } from './request.ts';

const image: EngineImage = {
  blob: new Blob(['x']),
  base64: new TextEncoder().encode('aGVsbG8='),
  type: 'image/png',
  width: 10,
  height: 10,
};
const read = (over: Partial<ReadRequest> = {}): ReadRequest => ({
  model: 'gemma3:4b',
  prompt: 'Extract all text',
  images: [image],
  options: { temperature: 0.2, maxTokens: 120, seed: 7 },
  ...over,
});

describe('buildChatRequest', () => {
  it('maps the neutral options onto Ollama names and keeps the model loaded', () => {
    const body = buildChatRequest(read(), { thinking: false });
    expect(body).toEqual({
      model: 'gemma3:4b',
      messages: [{ role: 'user', content: 'Extract all text', images: [image.base64] }],
      options: { temperature: 0.2, num_predict: 120, seed: 7 },
      keep_alive: KEEP_ALIVE,
    });
  });

  it('sends options only when set (Ollama would otherwise read 0 as a real value)', () => {
    expect(buildChatRequest(read({ options: {} }), undefined).options).toEqual({});
    expect(buildChatRequest(read({ options: { maxTokens: 0 } }), undefined).options).toEqual({ num_predict: 0 });
  });

  it('sends images as plain base64 text inside the JSON body', async () => {
    const json = JSON.parse(await toJsonBody(buildChatRequest(read(), undefined)).text()) as { messages: { images: string[] }[] };
    expect(json.messages[0]?.images).toEqual(['aGVsbG8=']);
  });

  it('sends think:false to thinking models only', () => {
    expect(buildChatRequest(read(), { thinking: true }).think).toBe(false);
    expect('think' in buildChatRequest(read(), { thinking: false })).toBe(false);
    // Unknown capabilities: no `think`, which every Ollama version accepts.
    expect('think' in buildChatRequest(read(), undefined)).toBe(false);
  });

  it('passes a JSON Schema as `format` and asks for logprobs only when asked', () => {
    const schema = { type: 'object', properties: { text: { type: 'string' } } };
    const body = buildChatRequest(read({ format: schema, logprobs: true }), undefined, '5m');
    expect(body).toMatchObject({ format: schema, logprobs: true, keep_alive: '5m' });
    const plain = buildChatRequest(read(), undefined);
    expect('format' in plain).toBe(false);
    expect('logprobs' in plain).toBe(false);
  });
});
