import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StallError, StallWatchdog, describeDuration } from './stall-watchdog.ts';

const LIMITS = { firstTextMs: 300_000, idleMs: 60_000 };

function setup(limits = LIMITS) {
  const stalls: StallError[] = [];
  const watchdog = new StallWatchdog(limits, (error) => stalls.push(error));
  return { watchdog, stalls };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StallWatchdog', () => {
  it('waits the whole first-text limit for a cold model, then stalls once', () => {
    const { watchdog, stalls } = setup();
    watchdog.start();
    vi.advanceTimersByTime(299_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toBeInstanceOf(StallError);
    expect(stalls[0]?.message).toBe('No reply within 5 minutes');
    expect(stalls[0]?.kind).toBe('first-text');
    expect(watchdog.error).toBe(stalls[0]);
    vi.advanceTimersByTime(600_000);
    expect(stalls).toHaveLength(1);
  });

  it('once text flows, stalls after the idle limit of silence', () => {
    const { watchdog, stalls } = setup();
    watchdog.start();
    vi.advanceTimersByTime(200_000);
    watchdog.touch();
    // Each piece re-arms the idle wait.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(59_000);
      watchdog.touch();
    }
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(stalls.map((e) => [e.kind, e.message])).toEqual([['idle', 'The model stopped sending text for 1 minute']]);
  });

  it('restarts the first-text wait on progress (a model or OCR data loading), not after text', () => {
    const { watchdog, stalls } = setup({ firstTextMs: 10_000, idleMs: 5_000 });
    watchdog.start();
    vi.advanceTimersByTime(9_000);
    watchdog.touchProgress();
    vi.advanceTimersByTime(9_000);
    expect(stalls).toEqual([]);
    watchdog.touch();
    watchdog.touchProgress();
    vi.advanceTimersByTime(5_000);
    expect(stalls.map((e) => e.kind)).toEqual(['idle']);
  });

  it('never fires after stop', () => {
    const { watchdog, stalls } = setup();
    watchdog.start();
    watchdog.touch();
    watchdog.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(stalls).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a limit of 0 as no limit', () => {
    const { watchdog, stalls } = setup({ firstTextMs: 0, idleMs: 0 });
    watchdog.start();
    watchdog.touch();
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(stalls).toEqual([]);
  });
});

describe('describeDuration', () => {
  it('says limits as people do', () => {
    expect(describeDuration(300_000)).toBe('5 minutes');
    expect(describeDuration(60_000)).toBe('1 minute');
    expect(describeDuration(90_000)).toBe('90 s');
    expect(describeDuration(2_000)).toBe('2 s');
  });
});
