import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadRequest } from '../engines/types.ts';
import { readReply } from './read-reply.ts';
import { ServerLine } from './server-line.ts';
import { StallError } from './stall-watchdog.ts';
import { FakeEngine } from './test-fakes.ts';

const request: ReadRequest = { model: 'gemma3:4b', prompt: 'Read', images: [], options: {} };
const limits = { firstTextMs: 30_000, idleMs: 10_000 };
/** A reply streamed over 35 s, a piece every 5 s: longer than the first-text limit, never idle too long. */
const longReply = { pieces: Array.from({ length: 8 }, (_, i) => `w${i} `), pieceDelayMs: 5_000 };

afterEach(() => {
  vi.useRealTimers();
});

describe('readReply in a server\'s line', () => {
  it('starts the first-text clock of a request waiting behind another only when that one ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const engine = new FakeEngine([longReply, { pieces: ['second'] }], { parallel: 1 });
    const line = new ServerLine(() => 1);
    const signal = new AbortController().signal;
    const inLine: boolean[] = [];
    const first = readReply(engine, request, { signal, limits, shouldCheckLoops: true, line });
    const second = readReply(engine, request, { signal, limits, shouldCheckLoops: true, line, onInLine: (isWaiting) => inLine.push(isWaiting) });
    await vi.advanceTimersByTimeAsync(40_000);
    expect((await first).text).toBe('w0 w1 w2 w3 w4 w5 w6 w7 ');
    // Waited 35 s, past the 30 s limit, and was not taken for a stall: the model was busy with the first.
    expect((await second).text).toBe('second');
    expect(engine.signals.map((s) => s.aborted)).toEqual([false, false]);
    expect(inLine).toEqual([true, false]);
    expect(line.length).toBe(0);
  });

  it('gives the request its whole first-text limit from the moment the one ahead ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const engine = new FakeEngine([longReply, { pieces: ['never'], stallAfter: 0 }], { parallel: 1 });
    const line = new ServerLine(() => 1);
    const signal = new AbortController().signal;
    const first = readReply(engine, request, { signal, limits, shouldCheckLoops: true, line });
    let outcome: unknown;
    readReply(engine, request, { signal, limits, shouldCheckLoops: true, line }).then((reply) => (outcome = reply), (error: unknown) => (outcome = error));
    await vi.advanceTimersByTimeAsync(35_000);
    await first;
    await vi.advanceTimersByTimeAsync(29_900);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toBeInstanceOf(StallError);
    expect((outcome as StallError).kind).toBe('first-text');
    expect(engine.signals[1]?.aborted).toBe(true);
  });
});
