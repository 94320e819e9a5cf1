// Reads newline-delimited JSON from a byte stream. A JSON line can be split across network reads,
// and several lines can arrive in one read, so partial lines are buffered until their newline.

/** Most of a body kept for describing one that is not NDJSON: enough for an HTML page's <title>. */
const MAX_EXCERPT = 4096;

/** A line of the stream is not JSON; `excerpt` is the body from that line on, as far as read. */
export class NdjsonSyntaxError extends Error {
  override readonly name = 'NdjsonSyntaxError';
  constructor(readonly excerpt: string, options?: ErrorOptions) {
    super('The response is not newline-delimited JSON', options);
  }
}

function parseLine<T>(line: string, rest: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new NdjsonSyntaxError(`${line}\n${rest}`.slice(0, MAX_EXCERPT), { cause: error });
  }
}

/** Yield each JSON value of an NDJSON byte stream; a trailing line without newline is kept too. */
export async function* readNdjson<T>(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  let buffered = '';
  let isFinished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      signal?.throwIfAborted();
      if (done) {
        isFinished = true;
        break;
      }
      buffered += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield parseLine<T>(line, buffered);
      }
    }
    const last = (buffered + decoder.decode()).trim();
    if (last) yield parseLine<T>(last, '');
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early must close the connection: Ollama cancels generation on close.
    if (!isFinished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
