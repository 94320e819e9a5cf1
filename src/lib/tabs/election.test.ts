import { describe, expect, it, vi } from 'vitest';
import { electLeader } from './election.ts';
import { FakeLocks } from './test-fakes.ts';

describe('electLeader', () => {
  it('makes the first tab the leader and the next a follower', async () => {
    const locks = new FakeLocks();
    const first = new AbortController();
    const second = new AbortController();
    expect(await electLeader('q', () => {}, first.signal, locks)).toBe(true);
    expect(await electLeader('q', () => {}, second.signal, locks)).toBe(false);
  });

  it("promotes the waiting tab when the leader's tab goes, and only that one", async () => {
    const locks = new FakeLocks();
    const tabs = [new AbortController(), new AbortController(), new AbortController()];
    const promoted = [vi.fn(), vi.fn(), vi.fn()];
    const roles = [];
    for (const [i, tab] of tabs.entries()) roles.push(await electLeader('q', promoted[i]!, tab.signal, locks));
    expect(roles).toEqual([true, false, false]);
    tabs[0]!.abort();
    await vi.waitFor(() => expect(promoted[1]).toHaveBeenCalledOnce());
    expect(promoted[2]).not.toHaveBeenCalled();
    expect(promoted[0]).not.toHaveBeenCalled();
    tabs[1]!.abort();
    await vi.waitFor(() => expect(promoted[2]).toHaveBeenCalledOnce());
  });

  it('leaves the line when a waiting tab goes, so it is never promoted', async () => {
    const locks = new FakeLocks();
    const leader = new AbortController();
    const gone = new AbortController();
    const next = new AbortController();
    const promoted = { gone: vi.fn(), next: vi.fn() };
    await electLeader('q', () => {}, leader.signal, locks);
    await electLeader('q', promoted.gone, gone.signal, locks);
    await electLeader('q', promoted.next, next.signal, locks);
    gone.abort();
    leader.abort();
    await vi.waitFor(() => expect(promoted.next).toHaveBeenCalledOnce());
    expect(promoted.gone).not.toHaveBeenCalled();
  });
});
