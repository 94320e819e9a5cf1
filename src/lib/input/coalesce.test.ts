import { describe, expect, it } from 'vitest';
import { coalesceCalls } from './coalesce.ts';

describe('coalesceCalls', () => {
  it('starts the first push at once and sends what arrives meanwhile together, in order', async () => {
    const calls: number[][] = [];
    const gates: (() => void)[] = [];
    const calls$ = coalesceCalls<number>(async (items) => {
      calls.push(items);
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    calls$.push([1]);
    expect(calls).toEqual([[1]]);
    calls$.push([2, 3]);
    calls$.push([]);
    calls$.push([4]);
    expect(calls).toEqual([[1]]);
    let isSettled = false;
    const settled = calls$.settled().then(() => (isSettled = true));
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([[1], [2, 3, 4]]);
    expect(isSettled).toBe(false);
    gates.shift()?.();
    await settled;
    expect(calls).toEqual([[1], [2, 3, 4]]);
  });

  it('is settled at once when nothing was pushed, and starts again after settling', async () => {
    const calls: string[][] = [];
    const calls$ = coalesceCalls<string>(async (items) => void calls.push(items));
    await calls$.settled();
    calls$.push(['a']);
    await calls$.settled();
    calls$.push(['b']);
    await calls$.settled();
    expect(calls).toEqual([['a'], ['b']]);
  });
});
