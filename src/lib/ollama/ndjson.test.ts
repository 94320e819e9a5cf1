import { describe, expect, it } from 'vitest';
import { NdjsonSyntaxError, readNdjson } from './ndjson.ts';

/** A byte stream that delivers exactly these network reads. */
function streamOf(reads: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read));
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('readNdjson', () => {
  it('joins a line split across two reads', async () => {
    const values = await collect(readNdjson(streamOf(['{"a":', '1}\n{"b"', ':2}\n'])));
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('splits several lines delivered in one read', async () => {
    expect(await collect(readNdjson(streamOf(['{"a":1}\n{"a":2}\n{"a":3}\n'])))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('keeps a multi-byte character split between reads', async () => {
    const bytes = new TextEncoder().encode('{"t":"é"}\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 7));
        c.enqueue(bytes.slice(7));
        c.close();
      },
    });
    expect(await collect(readNdjson(stream))).toEqual([{ t: 'é' }]);
  });

  it('yields a last line that has no newline, and skips blank lines', async () => {
    expect(await collect(readNdjson(streamOf(['{"a":1}\n\n', '{"a":2}'])))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":1}\n'));
      },
    });
    const iterator = readNdjson(stream, controller.signal);
    expect((await iterator.next()).value).toEqual({ a: 1 });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it('throws NdjsonSyntaxError carrying the body from the bad line on', async () => {
    const error = await collect(readNdjson(streamOf(['{"a":1}\n<!DOCTYPE html>\n<title>Oops</title>\n']))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NdjsonSyntaxError);
    expect((error as NdjsonSyntaxError).excerpt).toMatch(/^<!DOCTYPE html>\n<title>Oops<\/title>/);
  });
});
