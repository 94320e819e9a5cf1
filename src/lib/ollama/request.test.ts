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

  it('passes a JSON Schema as `format`', () => {
    const schema = { type: 'object', properties: { text: { type: 'string' } } };
    const body = buildChatRequest(read({ format: schema }), undefined, '5m');
    expect(body).toMatchObject({ format: schema, keep_alive: '5m' });
    expect('format' in buildChatRequest(read(), undefined)).toBe(false);
  });

  it('asks for logprobs only when the read wants them and the model (its Ollama ≥ 0.12.11) has them', () => {
    expect(buildChatRequest(read({ logprobs: true }), { thinking: false, logprobs: true }).logprobs).toBe(true);
    expect('logprobs' in buildChatRequest(read({ logprobs: true }), { thinking: false, logprobs: false })).toBe(false);
    expect('logprobs' in buildChatRequest(read({ logprobs: true }), undefined)).toBe(false);
    expect('logprobs' in buildChatRequest(read(), { thinking: false, logprobs: true })).toBe(false);
  });
});
