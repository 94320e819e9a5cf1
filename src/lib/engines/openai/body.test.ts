import { describe, expect, it } from 'vitest';
import type { ReadRequest } from '../types.ts';
import { buildChatBody } from './body.ts';

const base64 = (text: string) => new TextEncoder().encode(btoa(text));

function request(extra: Partial<ReadRequest> = {}): ReadRequest {
  return {
    model: 'm',
    prompt: 'Describe "this"',
    images: [
      { blob: new Blob(), base64: base64('\xff\xd8\xffjpeg'), type: 'image/jpeg', width: 1, height: 1 },
      { blob: new Blob(), base64: base64('\x89PNG'), type: 'image/png', width: 1, height: 1 },
    ],
    options: {},
    ...extra,
  };
}

describe('buildChatBody', () => {
  it('sends the prompt and each image as a data URL part, streaming with usage', async () => {
    const blob = buildChatBody(request());
    expect(blob.type).toBe('application/json');
    const body = JSON.parse(await blob.text());
    expect(body).toEqual({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe "this"' },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${btoa('\xff\xd8\xffjpeg')}` } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${btoa('\x89PNG')}` } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps options onto OpenAI names and asks for logprobs only when wanted', async () => {
    const body = JSON.parse(await buildChatBody(request({ options: { maxTokens: 64, temperature: 0, seed: 7 }, logprobs: true })).text());
    expect(body).toMatchObject({ max_tokens: 64, temperature: 0, seed: 7, logprobs: true });
    const plain = JSON.parse(await buildChatBody(request()).text());
    expect(plain).not.toHaveProperty('logprobs');
    expect(plain).not.toHaveProperty('max_tokens');
  });

  it('survives a prompt that contains the splice marker text', async () => {
    const prompt = '\u0000lenscribe-data-url-0';
    const body = JSON.parse(await buildChatBody(request({ prompt })).text());
    expect(body.messages[0].content[0].text).toBe(prompt);
  });
});
