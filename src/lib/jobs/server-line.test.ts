import { describe, expect, it } from 'vitest';
import { ServerLine } from './server-line.ts';

describe('ServerLine', () => {
  it('serves as many requests as the server runs at once, the oldest first, and moves the next up when one ends', () => {
    let concurrency = 1;
    const line = new ServerLine(() => concurrency);
    const first = line.join();
    const second = line.join();
    const third = line.join();
    expect([first.isServed, second.isServed, third.isServed]).toEqual([true, false, false]);
    const told: string[] = [];
    second.onChange(() => told.push(`second ${second.isServed}`));
    first.leave();
    expect([second.isServed, third.isServed]).toEqual([true, false]);
    expect(told).toEqual(['second true']);
    concurrency = 2;
    const fourth = line.join();
    expect([second.isServed, third.isServed, fourth.isServed]).toEqual([true, true, false]);
    expect(line.length).toBe(3);
  });

  it('takes a first piece of reply as proof the server works on that request, even one that overtook an older one', () => {
    const line = new ServerLine(() => 1);
    const older = line.join();
    const newer = line.join();
    const told: boolean[] = [];
    older.onChange(() => told.push(older.isServed));
    newer.markAnswering();
    // The older request waits behind the one being answered, so its first-text clock must stop.
    expect([older.isServed, newer.isServed]).toEqual([false, true]);
    newer.leave();
    expect(older.isServed).toBe(true);
    expect(told).toEqual([false, true]);
  });

  it('lets a listener join or leave while it is told', () => {
    const line = new ServerLine(() => 1);
    const first = line.join();
    const second = line.join();
    const joined: boolean[] = [];
    second.onChange(() => {
      if (!second.isServed) return;
      second.leave();
      joined.push(line.join().isServed);
    });
    first.leave();
    expect(joined).toEqual([true]);
    expect(line.length).toBe(1);
  });
});
