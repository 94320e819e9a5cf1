import { describe, expect, it } from 'vitest';
import { ViewBacklog } from './view-backlog.ts';

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('ViewBacklog', () => {
  it('decodes one image at a time, newest first, each once', async () => {
    const decoded: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const backlog = new ViewBacklog({
      isBusy: () => false,
      makeViews: async (sha256) => {
        maxRunning = Math.max(maxRunning, ++running);
        await flush();
        decoded.push(sha256);
        running--;
      },
    });
    backlog.add(['a', 'b', 'c']);
    backlog.add(['b']);
    await flush();
    await flush();
    await flush();
    expect(decoded).toEqual(['c', 'b', 'a']);
    expect(maxRunning).toBe(1);
    expect(backlog.size).toBe(0);
  });

  it('waits while jobs need the worker, then carries on', async () => {
    const decoded: string[] = [];
    let isBusy = true;
    const waits: number[] = [];
    let wake = () => {};
    const backlog = new ViewBacklog({
      isBusy: () => isBusy,
      makeViews: async (sha256) => void decoded.push(sha256),
      retryMs: 250,
      sleep: (ms) => new Promise((resolve) => {
        waits.push(ms);
        wake = resolve;
      }),
    });
    backlog.add(['a']);
    await flush();
    expect(decoded).toEqual([]);
    expect(waits).toEqual([250]);
    isBusy = false;
    wake();
    await flush();
    expect(decoded).toEqual(['a']);
  });

  it('goes on past an image that cannot be decoded', async () => {
    const decoded: string[] = [];
    const backlog = new ViewBacklog({
      isBusy: () => false,
      makeViews: async (sha256) => {
        if (sha256 === 'bad') throw new Error('corrupt');
        decoded.push(sha256);
      },
    });
    backlog.add(['a', 'bad']);
    await flush();
    expect(decoded).toEqual(['a']);
  });
});
