// Reads newline-delimited JSON from a byte stream. A JSON line can be split across network reads,
// and several lines can arrive in one read, so partial lines are buffered until their newline.

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
        if (line) yield JSON.parse(line) as T;
      }
    }
    const last = (buffered + decoder.decode()).trim();
    if (last) yield JSON.parse(last) as T;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early must close the connection: Ollama cancels generation on close.
    if (!isFinished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
