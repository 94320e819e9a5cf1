// Server-Sent Events from a fetch body. eventsource-parser (maintained, spec-tested, ~2 kB) does the
// framing: events split across network reads, several in one read, CRLF or LF, `:` comment pings.
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';

/** Yield each event's `data` as it completes; returns when the body ends. Cancelling closes the body. */
export async function* readSseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => void events.push(event) });
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  let isFinished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      signal?.throwIfAborted();
      if (done) {
        isFinished = true;
        // An event without its closing blank line is dropped, as the SSE spec says: a cut-off reply.
        parser.feed(decoder.decode());
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
      while (events.length > 0) yield events.shift()!.data;
      if (isFinished) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early must close the connection, so the server stops generating.
    if (!isFinished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
