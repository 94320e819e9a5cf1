// Writes Server-Sent Events as the servers do (`data: <json>` then a blank line, no `event:` lines,
// docs/openai-compatible.md §2), cut across network writes the way a client must cope with (§9.1).
import type { ServerResponse } from 'node:http';
import { sleep } from './state.ts';
import type { Tuning } from './state.ts';

/**
 * Where to cut a write in two: inside the first multi-byte UTF-8 character if any, else midway
 * through the first event, so the second read carries the rest of it plus any packed events.
 */
function cutPoint(buf: Buffer): number {
  const multi = buf.findIndex((b) => b >= 0xc0);
  if (multi >= 0) return multi + 1;
  const firstEnd = buf.indexOf('\n\n');
  return Math.max(1, (firstEnd > 0 ? firstEnd : buf.length) >> 1);
}

export class SseWriter {
  readonly #res: ServerResponse;
  readonly #tuning: Tuning;
  readonly #signal: AbortSignal;

  constructor(res: ServerResponse, tuning: Tuning, signal: AbortSignal) {
    this.#res = res;
    this.#tuning = tuning;
    this.#signal = signal;
  }

  get #eol(): string {
    return this.#tuning.isCrlf ? '\r\n' : '\n';
  }

  /** One event's text; `[DONE]` is sent as is, anything else as JSON. */
  event(data: unknown): string {
    return `data: ${data === '[DONE]' ? data : JSON.stringify(data)}${this.#eol}${this.#eol}`;
  }

  /** A comment line, which clients must skip. */
  comment(text: string): string {
    return `: ${text}${this.#eol}${this.#eol}`;
  }

  /** Write text, cut in two writes a few ms apart when splitting is on. */
  async write(text: string): Promise<void> {
    if (this.#res.destroyed || text === '') return;
    const buf = Buffer.from(text, 'utf8');
    if (!this.#tuning.isSplit || buf.length < 2) {
      this.#res.write(buf);
      return;
    }
    const cut = cutPoint(buf);
    this.#res.write(buf.subarray(0, cut));
    await sleep(this.#tuning.splitDelayMs, this.#signal);
    if (!this.#signal.aborted && !this.#res.destroyed) this.#res.write(buf.subarray(cut));
  }
}
