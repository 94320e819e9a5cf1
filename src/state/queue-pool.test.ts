import { describe, expect, it } from 'vitest';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import { FakeEngine, fakeEncoder, makeJob } from '../lib/jobs/test-fakes.ts';
import type { JobRecord, ResultRecord } from '../lib/library/types.ts';
import { OllamaUnreachableError } from '../lib/ollama/errors.ts';
import { QueueState } from './queue.svelte.ts';

/** The store's job and result tables in memory. */
function fakeStore() {
  const jobs = new Map<string, JobRecord>();
  const results: ResultRecord[] = [];
  const settings = new Map<string, unknown>();
  return {
    jobs,
    results,
    settings,
    listJobs: async () => [...jobs.values()],
    saveJob: async (job: JobRecord) => void jobs.set(job.key, job),
    saveJobs: async (list: JobRecord[]) => void list.forEach((job) => jobs.set(job.key, job)),
    deleteJob: async (key: string) => void jobs.delete(key),
    saveResult: async (result: ResultRecord) => (results.push(result), result),
    getImageBlob: async () => new Blob(['image']),
    getSetting: async <T>(name: string) => settings.get(name) as T | undefined,
    setSetting: async (name: string, value: unknown) => void settings.set(name, value),
  };
}

/** A server slot that can be stopped and started again. */
function serverSlot(id: string, engine: FakeEngine, concurrency = 1) {
  let waiters: (() => void)[] = [];
  const slot: EngineSlot & { isAvailable: boolean; start(): void } = {
    id,
    concurrency,
    engine,
    isAvailable: true as boolean,
    waitUntilAvailable: (signal: AbortSignal) =>
      slot.isAvailable
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push(resolve);
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
    reportUnavailable: () => void (slot.isAvailable = false),
    accepts: (job: { model: string }) => job.model !== 'only-elsewhere',
    start() {
      slot.isAvailable = true;
      for (const wake of waiters) wake();
      waiters = [];
    },
  };
  return slot;
}

const jobs = (count: number) => Array.from({ length: count }, (_, i) => makeJob(`img${String(i).padStart(2, '0')}`));

describe('QueueState pool', () => {
  it('spreads a batch over every slot that can run it', async () => {
    const store = fakeStore();
    const one = new FakeEngine([{ hold: new Promise((r) => setTimeout(r, 5)), pieces: ['one'] }]);
    const two = new FakeEngine([{ hold: new Promise((r) => setTimeout(r, 5)), pieces: ['two'] }]);
    const slots = [serverSlot('one', one), serverSlot('two', two)];
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => slots });
    await queue.enqueue(jobs(8));
    await expect.poll(() => store.results.length).toBe(8);
    expect(one.requests.length).toBeGreaterThan(0);
    expect(two.requests.length).toBeGreaterThan(0);
    expect(new Set(store.results.map((r) => r.sha256)).size).toBe(8);
    expect(queue.statsFor('one').done + queue.statsFor('two').done).toBe(8);
  });

  it('hands a vanished server’s image to the other, each image saved once, and takes the server back', async () => {
    const store = fakeStore();
    // The first server loses its connection on its second image.
    const flaky = new FakeEngine([{ pieces: ['a'] }, { error: new OllamaUnreachableError('http://one') }, { pieces: ['a'] }]);
    const steady = new FakeEngine([{ hold: new Promise((r) => setTimeout(r, 2)), pieces: ['b'] }]);
    const one = serverSlot('one', flaky);
    const slots = [one, serverSlot('two', steady)];
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => slots });
    await queue.enqueue(jobs(10));
    await expect.poll(() => store.results.length).toBe(10);
    expect(one.isAvailable).toBe(false);
    const perImage = new Map<string, number>();
    for (const r of store.results) perImage.set(r.sha256, (perImage.get(r.sha256) ?? 0) + 1);
    expect([...perImage.values()].every((n) => n === 1)).toBe(true);
    expect(store.jobs.size).toBe(0);
    // Back again: it takes new work.
    const before = flaky.requests.length;
    one.start();
    steady.replies = [{ hold: new Promise(() => {}) }];
    await queue.enqueue([makeJob('later')]);
    await expect.poll(() => flaky.requests.length).toBe(before + 1);
  });

  it('says a job waits for a model while no server offers it', async () => {
    const slots = [serverSlot('one', new FakeEngine())];
    const queue = new QueueState({ store: fakeStore(), encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => slots });
    await queue.enqueue([makeJob('x', { model: 'only-elsewhere' })]);
    expect(queue.jobFor('x')?.phase).toBe('paused');
    expect(queue.jobFor('x')?.waitReason).toMatch(/Waiting for a model: no server offers only-elsewhere/);
  });

  it('pauses (kept across a reload), resumes, cancels all and retries the failed', async () => {
    const store = fakeStore();
    const engine = new FakeEngine([{ error: new Error('bad image') }, { pieces: ['ok'] }]);
    const slots = [serverSlot('one', engine)];
    const make = () => new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => slots });
    const queue = make();
    queue.pauseAll();
    await queue.enqueue(jobs(3));
    expect(engine.requests).toHaveLength(0);
    expect(queue.progress).toMatchObject({ done: 0, failed: 0, remaining: 3 });

    const reloaded = make();
    await reloaded.resume();
    expect(reloaded.isPaused).toBe(true);
    expect(engine.requests).toHaveLength(0);

    reloaded.resumeAll();
    await expect.poll(() => store.results.length).toBe(2);
    expect(reloaded.progress).toMatchObject({ done: 2, failed: 1, remaining: 0 });
    reloaded.retryFailed();
    await expect.poll(() => store.results.length).toBe(3);
    expect(reloaded.progress.failed).toBe(0);

    engine.replies = [{ hold: new Promise(() => {}) }];
    await reloaded.enqueue([makeJob('p'), makeJob('q')]);
    await expect.poll(() => engine.signals.length).toBeGreaterThan(0);
    await reloaded.cancelAll();
    expect(engine.signals.at(-1)?.aborted).toBe(true);
    expect(reloaded.jobs).toEqual([]);
    expect(store.jobs.size).toBe(0);
  });
});
