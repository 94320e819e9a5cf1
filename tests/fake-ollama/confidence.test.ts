// Confidence end to end below the UI: the real Ollama client and engine, the job runner, and the
// fake Ollama sending token logprobs as Ollama 0.12.11+ does (and an older one ignoring the ask).
import { afterEach, describe, expect, it } from 'vitest';
import { OllamaEngine } from '../../src/lib/engines/ollama.ts';
import { runJob } from '../../src/lib/jobs/run-job.ts';
import { makeJob } from '../../src/lib/jobs/test-fakes.ts';
import type { ImageEncoder } from '../../src/lib/image/encoder.ts';
import { OllamaClient } from '../../src/lib/ollama/client.ts';
import { startFakeOllama, type FakeOllama, type ReplySpec } from './server.ts';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** An encoder that hands over a real 1×1 PNG, which the fake's vision runner can decode. */
const encoder: Pick<ImageEncoder, 'encode'> = {
  encode: async (blob) => ({ blob, base64: new TextEncoder().encode(PNG_1x1), type: 'image/png', width: 1, height: 1 }),
};

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Run one job through a real OllamaEngine that has listed the fake's models (so it knows the version). */
async function read(version: string, reply: ReplySpec) {
  fake = await startFakeOllama({ version, reply, chunkDelayMs: 1, firstChunkDelayMs: 1, splitDelayMs: 1 });
  const engine = new OllamaEngine(new OllamaClient(fake.url));
  await engine.listModels();
  const deps = { readImage: async () => new Blob(['png']), encoder, engine };
  const result = await runJob(makeJob('aa', { model: 'gemma3:4b' }), deps, { signal: new AbortController().signal });
  const chat = fake.requests.find((r) => r.path === '/api/chat');
  return { result, body: chat?.body as Record<string, unknown> };
}

describe('confidence from Ollama logprobs', () => {
  it('asks Ollama 0.12.11 for logprobs and scores the reply from them, marking the unsure word', async () => {
    const { result, body } = await read('0.12.11', { content: ['Total', ' 4', '2', ' euros'], logprobs: [-0.01, -2.3, -1.2, -0.05] });
    expect(body.logprobs).toBe(true);
    expect(result.text).toBe('Total 42 euros');
    expect(result.confidence?.source).toBe('logprobs');
    // exp(-0.01), exp(-2.3), exp(-1.2), exp(-0.05): about 0.99, 0.10, 0.30, 0.95.
    expect(result.confidence?.mean).toBeCloseTo(0.585, 2);
    const spans = result.confidence?.weakSpans ?? [];
    expect(spans.map((s) => result.text.slice(s.start, s.end))).toEqual(['42']);
  });

  it('does not ask an older Ollama, which sends none: the result has no confidence rather than a made-up one', async () => {
    const { result, body } = await read('0.12.6', { content: ['Total', ' 42'], logprobs: [-3, -3] });
    expect(body).not.toHaveProperty('logprobs');
    expect(result.text).toBe('Total 42');
    expect(result).not.toHaveProperty('confidence');
  });
});
