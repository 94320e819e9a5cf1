// The chat request body, built without turning image bytes into a JS string: each image's base64
// bytes are spliced into the JSON as a Blob part inside its `data:` URL (as lib/ollama/body.ts does).
import type { ReadRequest } from '../types.ts';

/** An image's `data:` URL, left as bytes until the Blob is assembled. */
export class DataUrl {
  constructor(readonly type: string, readonly base64: Uint8Array) {}
}

const MARK = '\u0000lenscribe-data-url-';

/** JSON-encode a value whose DataUrl entries become `"data:<type>;base64,<bytes>"` strings, into a Blob. */
export function toJsonBlob(value: unknown): Blob {
  const urls: DataUrl[] = [];
  // A fresh nonce per body, so no prompt text can pose as a marker (randomUUID needs a secure context).
  const mark = `${MARK}${Math.random().toString(36).slice(2)}-`;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof DataUrl)) return v;
    urls.push(v);
    return `${mark}${urls.length - 1}`;
  });
  const pieces: BlobPart[] = [];
  // JSON.stringify escapes U+0000 as \u0000, so the marker appears in its escaped form.
  const escaped = JSON.stringify(mark).slice(1, -1).replace(/\\/g, '\\\\');
  let last = 0;
  for (const match of json.matchAll(new RegExp(`"${escaped}(\\d+)"`, 'g'))) {
    const url = urls[Number(match[1])]!;
    pieces.push(json.slice(last, match.index), `"data:${url.type};base64,`, url.base64 as BlobPart, '"');
    last = match.index + match[0].length;
  }
  pieces.push(json.slice(last));
  return new Blob(pieces, { type: 'application/json' });
}

/** The POST /v1/chat/completions body for one read: the prompt, then each image as an `image_url` part. */
export function buildChatBody(request: ReadRequest): Blob {
  const { options } = request;
  return toJsonBlob({
    model: request.model,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: request.prompt },
          ...request.images.map((image) => ({ type: 'image_url', image_url: { url: new DataUrl(image.type, image.base64) } })),
        ],
      },
    ],
    stream: true,
    // Usage arrives in one extra `choices: []` chunk only when asked (docs/openai-compatible.md §2).
    stream_options: { include_usage: true },
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(request.logprobs ? { logprobs: true } : {}),
    // OpenAI's structured-output shape, which vLLM, llama-server, LM Studio and Ollama /v1 take (docs §10).
    ...(request.format ? { response_format: { type: 'json_schema', json_schema: { name: 'reply', schema: request.format } } } : {}),
  });
}
