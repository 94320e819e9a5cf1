import { describe, expect, it } from 'vitest';
import { OpenAiStreamError, OpenAiTruncatedError } from './errors.ts';
import { readSseData } from './sse.ts';
import { readChatStream } from './stream.ts';

/** A body that delivers exactly these network reads. */
function bodyOf(reads: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read));
      controller.close();
    },
  });
}

const event = (data: unknown, eol = '\n') => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}${eol}${eol}`;
const delta = (content: string | null, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  choices: [{ index: 0, delta: { content, ...extra }, finish_reason: finish }],
});

async function drain(reads: string[]) {
  const stream = readChatStream(readSseData(bodyOf(reads)));
  let text = '';
  const logprobs: unknown[] = [];
  let step = await stream.next();
  while (!step.done) {
    text += step.value.text;
    if (step.value.logprobs) logprobs.push(...step.value.logprobs);
    step = await stream.next();
  }
  return { text, outcome: step.value, logprobs };
}

describe('readChatStream over SSE', () => {
  it('reads events split mid-character across reads and several packed in one read', async () => {
    const all = event({ choices: [{ index: 0, delta: { role: 'assistant', content: null } }] }) + event(delta('Grüß ')) + event(delta('Gott', 'stop')) + event('[DONE]');
    const bytes = new TextEncoder().encode(all);
    // The first read ends inside "ü" (two bytes), the second holds the rest of an event and the next ones.
    const at = Buffer.byteLength(all.slice(0, all.indexOf('ü'))) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at, at + 3));
        controller.enqueue(bytes.slice(at + 3));
        controller.close();
      },
    });
    const chatStream = readChatStream(readSseData(stream));
    let text = '';
    let step = await chatStream.next();
    while (!step.done) {
      text += step.value.text;
      step = await chatStream.next();
    }
    expect(text).toBe('Grüß Gott');
    expect(step.value.doneReason).toBe('stop');
  });

  it('accepts CRLF line ends and skips comment pings', async () => {
    const { text, outcome } = await drain([': ping\r\n\r\n', event(delta('a'), '\r\n'), ': ping\r\n\r\n' + event(delta('b', 'stop'), '\r\n'), event('[DONE]', '\r\n')]);
    expect(text).toBe('ab');
    expect(outcome.doneReason).toBe('stop');
  });

  it('reads finish_reason on its own delta:{} chunk and usage from a choices:[] chunk', async () => {
    const { text, outcome } = await drain([
      event(delta('')),
      event(delta('Hi')),
      event({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }], timings: { prompt_ms: 12.5, predicted_ms: 40 } }),
      event({ choices: [], usage: { prompt_tokens: 300, completion_tokens: 1, total_tokens: 301 } }),
      event('[DONE]'),
    ]);
    expect(text).toBe('Hi');
    expect(outcome).toEqual({
      doneReason: 'length',
      metrics: { prompt_eval_count: 300, eval_count: 1, prompt_eval_duration: 12_500_000, eval_duration: 40_000_000 },
    });
  });

  it('leaves reasoning out of the reply, under either field name', async () => {
    const { text } = await drain([
      event(delta(null, null, { reasoning: 'thinking…' })),
      event(delta(null, null, { reasoning_content: 'still thinking' })),
      event(delta('Answer', 'stop')),
      event('[DONE]'),
    ]);
    expect(text).toBe('Answer');
  });

  it('collects logprobs with their chunk', async () => {
    const withLogprobs = { choices: [{ index: 0, delta: { content: 'A' }, logprobs: { content: [{ token: 'A', logprob: -0.5, bytes: [65] }] } }] };
    const { logprobs } = await drain([event(withLogprobs), event(delta('', 'stop')), event('[DONE]')]);
    expect(logprobs).toEqual([{ token: 'A', logprob: -0.5 }]);
  });

  it('throws the server words of an error object mid-stream, object or string, code int or string', async () => {
    await expect(drain([event(delta('a')), event({ error: { message: 'out of memory', code: 500 } }), event('[DONE]')])).rejects.toMatchObject({
      name: 'OpenAiStreamError',
      message: 'out of memory',
      code: 500,
    });
    await expect(drain([event({ error: { message: 'boom', type: 'None', code: '500' } })])).rejects.toMatchObject({ code: '500' });
    await expect(drain([event({ error: 'Model crashed' })])).rejects.toThrow(OpenAiStreamError);
  });

  it('fails when the stream ends without [DONE], even after an empty delta (Ollama /v1 losing its error)', async () => {
    await expect(drain([event(delta('a')), event({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })])).rejects.toThrow(
      OpenAiTruncatedError,
    );
    // An event cut off before its blank line is not an event.
    await expect(drain([event(delta('a')), 'data: [DONE]'])).rejects.toThrow(OpenAiTruncatedError);
  });

  it('stops reading when aborted, closing the body', async () => {
    let isCancelled = false;
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(event(delta('a'))));
      },
      cancel() {
        isCancelled = true;
      },
    });
    const stream = readChatStream(readSseData(body, controller.signal));
    expect((await stream.next()).value).toEqual({ text: 'a' });
    const next = stream.next();
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
    expect(isCancelled).toBe(true);
  });
});
