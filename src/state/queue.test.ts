import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../lib/engines/types.ts';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import { FakeEngine, fakeEncoder, makeJob } from '../lib/jobs/test-fakes.ts';
import { StorageFullError } from '../lib/library/store.ts';
import type { JobRecord, ResultRecord } from '../lib/library/types.ts';
import { OllamaHttpError, OllamaUnreachableError } from '../lib/ollama/errors.ts';
import { QueueState, QueuedJob } from './queue.svelte.ts';

const BUSY = new OllamaHttpError(503, 'server busy, please try again.  maximum pending requests exceeded');

/** The store's job and result tables in memory. */
function fakeStore(jobs: JobRecord[] = []) {
  const saved = new Map(jobs.map((job) => [job.key, job]));
  const results: ResultRecord[] = [];
  return {
    jobs: saved,
    results,
    failSaveWith: undefined as Error | undefined,
    listJobs: async () => [...saved.values()],
    saveJob: async (job: JobRecord) => void saved.set(job.key, job),
    saveJobs: async (list: JobRecord[]) => void list.forEach((job) => saved.set(job.key, job)),
    deleteJob: async (key: string) => void saved.delete(key),
    async saveResult(result: ResultRecord) {
      if (this.failSaveWith) throw this.failSaveWith;
      results.push(result);
      return result;
    },
    getImageBlob: async (sha256: string) => new File(['image'], sha256),
    settings: new Map<string, unknown>(),
    async getSetting<T>(name: string) { return this.settings.get(name) as T | undefined; },
    async setSetting(name: string, value: unknown) { this.settings.set(name, value); },
  };
}

/** A slot whose engine can vanish and come back. */
function fakeSlot(engine: Engine) {
  let waiters: (() => void)[] = [];
  const slot = {
    id: 'fake',
    concurrency: 1,
    engine,
    isAvailable: true as boolean,
    waitCalls: 0,
    waitUntilAvailable(signal: AbortSignal): Promise<void> {
      slot.waitCalls++;
      if (slot.isAvailable) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
    reportUnavailable() {
      slot.isAvailable = false;
    },
    accepts: () => true,
    comeBack() {
      slot.isAvailable = true;
      for (const wake of waiters) wake();
      waiters = [];
    },
  } satisfies EngineSlot & Record<string, unknown>;
  return slot;
}

/** The encoder each setup()'s queue calls, which a test may replace. */
const encoders = new WeakMap<QueueState, { encode: ImageEncoder['encode'] }>();
function setupEncoder(queue: QueueState, encode: ImageEncoder['encode']): void {
  const holder = encoders.get(queue);
  if (holder) holder.encode = encode;
}

function setup(engine = new FakeEngine(), jobs: JobRecord[] = []) {
  const store = fakeStore(jobs);
  const slot = fakeSlot(engine);
  const put: ResultRecord[] = [];
  const fake = fakeEncoder();
  const holder = { encode: fake.encode };
  const encoder = { encode: (...args: Parameters<ImageEncoder['encode']>) => holder.encode(...args) };
  const queue = new QueueState({ store, encoder, library: { putResult: (r) => void put.push(r) }, slots: () => [slot] });
  encoders.set(queue, holder);
  return { engine, store, slot, put, queue };
}

/** Run pending promise callbacks (the real setImmediate: only timers are faked). */
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

afterEach(() => {
  vi.useRealTimers();
});

describe('QueueState', () => {
  it('runs jobs one at a time, saves each result and forgets the job', async () => {
    const { engine, store, put, queue } = setup();
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    expect(queue.pendingCount).toBe(2);
    expect(queue.jobFor('bb')?.phase).toBe('queued');
    await expect.poll(() => store.results.length).toBe(2);
    expect(store.results.map((r) => [r.sha256, r.text])).toEqual([['aa', 'Hello world'], ['bb', 'Hello world']]);
    expect(put).toEqual(store.results);
    expect(engine.requests).toHaveLength(2);
    expect(queue.jobs).toEqual([]);
    expect(store.jobs.size).toBe(0);
  });

  it('saves a result as the review hook flags it', async () => {
    const engine = new FakeEngine([{ pieces: ['Total', ' 42'], probabilities: [0.9, 0.1] }]);
    const store = fakeStore();
    const review = (result: ResultRecord) => ({ ...result, needsReview: true, reviewReason: `Low confidence: ${Math.round((result.confidence?.mean ?? 0) * 100)}%.` });
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => [fakeSlot(engine)], review });
    await queue.enqueue([makeJob('aa')]);
    await expect.poll(() => store.results.length).toBe(1);
    expect(store.results[0]).toMatchObject({ needsReview: true, reviewReason: 'Low confidence: 50%.' });
    expect(queue.progress.needsReview).toBe(1);
  });

  it('prepares the next image while the current one is answered, one ahead, and drops it on cancel', async () => {
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const { engine, queue, store } = setup(new FakeEngine([{ hold: held, pieces: ['first'] }, { pieces: ['second'] }]));
    const encoded: string[] = [];
    const signals: AbortSignal[] = [];
    const encoder = fakeEncoder();
    const encode = encoder.encode;
    setupEncoder(queue, async (blob, side, signal, withViews) => {
      encoded.push((blob as File).name);
      if (signal) signals.push(signal);
      return encode(blob, side, signal, withViews);
    });
    await queue.enqueue([makeJob('aa'), makeJob('bb'), makeJob('cc')]);
    await flush();
    // The first waits for its answer; the second is already encoded, the third not yet.
    expect(engine.requests).toHaveLength(1);
    expect(encoded).toEqual(['aa', 'bb']);
    await queue.cancel(makeJob('bb').key);
    expect(signals[1]?.aborted).toBe(true);
    answer();
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['aa', 'cc']);
    expect(encoded).toEqual(['aa', 'bb', 'cc']);
  });

  it('makes a never-decoded image\'s thumbnail from its job\'s one decode', async () => {
    const saved: string[] = [];
    const store = fakeStore();
    const slot = fakeSlot(new FakeEngine());
    const encoder = fakeEncoder();
    const withViews: boolean[] = [];
    const queue = new QueueState({
      store,
      encoder: {
        encode: async (blob, side, signal, isWanted = false) => {
          withViews.push(isWanted);
          return { ...(await encoder.encode(blob, side, signal)), views: isWanted ? Promise.resolve({ width: 3, height: 4, thumbnail: new Blob(['t']) }) : undefined };
        },
      },
      library: { putResult: () => {}, needsViews: (sha256) => sha256 === 'aa', saveViews: async (sha256) => void saved.push(sha256) },
      slots: () => [slot],
    });
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => store.results.length).toBe(2);
    expect(withViews).toEqual([true, false]);
    expect(saved).toEqual(['aa']);
  });

  it('encodes a freshly stored file from the one in hand, not read back from IndexedDB', async () => {
    const store = fakeStore();
    const read: string[] = [];
    store.getImageBlob = async (sha256: string) => (read.push(sha256), new File(['stored'], sha256));
    const slot = fakeSlot(new FakeEngine());
    const inHand = new File(['dropped'], 'aa');
    const encodedFrom: Blob[] = [];
    const encoder = fakeEncoder();
    const kept = new Map<string, Blob>([['aa', inHand]]);
    const queue = new QueueState({
      store,
      encoder: { encode: async (blob, side, signal) => (encodedFrom.push(blob), encoder.encode(blob, side, signal)) },
      library: { putResult: () => {} },
      slots: () => [slot],
      originals: { take: (sha256) => { const blob = kept.get(sha256); kept.delete(sha256); return blob; } },
    });
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => store.results.length).toBe(2);
    expect(encodedFrom[0]).toBe(inHand);
    // Only the image with nothing in hand was read back.
    expect(read).toEqual(['bb']);
  });

  it('counts an image whose views are still being made as work in hand, so idle-time decoding waits', async () => {
    const store = fakeStore();
    const slot = fakeSlot(new FakeEngine());
    const encoder = fakeEncoder();
    let finishViews = () => {};
    const views = new Promise<{ width: number; height: number; thumbnail: Blob }>((resolve) => {
      finishViews = () => resolve({ width: 3, height: 4, thumbnail: new Blob(['t']) });
    });
    const saved: string[] = [];
    const queue = new QueueState({
      store,
      encoder: { encode: async (blob, side, signal, withViews = false) => ({ ...(await encoder.encode(blob, side, signal)), views: withViews ? views : undefined }) },
      library: { putResult: () => {}, needsViews: () => true, saveViews: async (sha256) => void saved.push(sha256) },
      slots: () => [slot],
    });
    await queue.enqueue([makeJob('aa')]);
    await expect.poll(() => store.results.length).toBe(1);
    // The request went out and the result is saved, but the decode's views are not kept yet.
    expect(queue.hasWorkInHand).toBe(true);
    finishViews();
    await expect.poll(() => saved).toEqual(['aa']);
    await expect.poll(() => queue.hasWorkInHand).toBe(false);
  });

  it('does not count a queued job as work in hand when only servers that cannot run it answer (the in-page OCR while Ollama is away)', async () => {
    const store = fakeStore();
    const ollama = Object.assign(fakeSlot(new FakeEngine()), { id: 'ollama', isAvailable: false });
    const ocr = Object.assign(fakeSlot(new FakeEngine()), { id: 'ocr', accepts: () => false });
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => [ollama, ocr] });
    await queue.enqueue([makeJob('aa')]);
    expect(queue.jobFor('aa')?.isQueued).toBe(true);
    // Thumbnails of waiting images must still be made meanwhile.
    expect(queue.hasWorkInHand).toBe(false);
    // Once its server answers, it is work in hand (until it runs).
    ollama.isAvailable = true;
    expect(queue.hasWorkInHand).toBe(true);
  });

  it('lets the job of a file encoded ahead (while it was hashed and stored) take that encode, with its views', async () => {
    const store = fakeStore();
    const slot = fakeSlot(new FakeEngine());
    const encoder = fakeEncoder();
    const calls: { withViews: boolean; signal?: AbortSignal }[] = [];
    const saved: string[] = [];
    const queue = new QueueState({
      store,
      encoder: {
        encode: async (blob, side, signal, withViews = false) => {
          calls.push({ withViews, signal });
          return { ...(await encoder.encode(blob, side, signal)), views: withViews ? Promise.resolve({ width: 3, height: 4, thumbnail: new Blob(['t']) }) : undefined };
        },
      },
      library: { putResult: () => {}, needsViews: () => true, saveViews: async (sha256) => void saved.push(sha256) },
      slots: () => [slot],
    });
    const job = makeJob('aa');
    const ahead = queue.encodeAhead(new File(['dropped'], 'a.jpg'), { ...job, sha256: '' });
    expect(ahead).toBeDefined();
    if (ahead) ahead.sha256 = 'aa';
    await queue.enqueue([job]);
    if (ahead) queue.dropAhead(ahead);
    await expect.poll(() => store.results.length).toBe(1);
    // One encode in all (the one begun ahead), and the views of that decode are kept.
    expect(calls.map((c) => c.withViews)).toEqual([true]);
    expect(calls[0]?.signal?.aborted).toBe(false);
    await expect.poll(() => saved).toEqual(['aa']);
  });

  it('encodes the stored copy when the dropped file fails to read (changed on disk since the drop)', async () => {
    const store = fakeStore();
    const slot = fakeSlot(new FakeEngine());
    const encoder = fakeEncoder();
    const read: string[] = [];
    const queue = new QueueState({
      store,
      encoder: {
        encode: async (blob, side, signal) => {
          const isDropped = blob instanceof File && blob.name === 'a.jpg';
          read.push(isDropped ? 'dropped file' : 'stored copy');
          if (isDropped) throw new DOMException('The file changed since it was dropped.', 'NotReadableError');
          return encoder.encode(blob, side, signal);
        },
      },
      library: { putResult: () => {} },
      slots: () => [slot],
    });
    const job = makeJob('aa');
    const ahead = queue.encodeAhead(new File(['dropped'], 'a.jpg'), { ...job, sha256: '' });
    if (ahead) ahead.sha256 = 'aa';
    await queue.enqueue([job]);
    if (ahead) queue.dropAhead(ahead);
    await expect.poll(() => store.results.length).toBe(1);
    expect(read).toEqual(['dropped file', 'stored copy']);
    expect(queue.failedCount).toBe(0);
  });

  it('stops an encode begun ahead that no job took, and begins none while the queue has work', async () => {
    const store = fakeStore();
    const engine = new FakeEngine([{ pieces: ['slow'], hold: new Promise<void>(() => {}) }]);
    const slot = fakeSlot(engine);
    const encoder = fakeEncoder();
    const signals: AbortSignal[] = [];
    const queue = new QueueState({
      store,
      encoder: { encode: async (blob, side, signal) => (signal && signals.push(signal), encoder.encode(blob, side, signal)) },
      library: { putResult: () => {} },
      slots: () => [slot],
    });
    const ahead = queue.encodeAhead(new File(['x'], 'x.jpg'), makeJob(''));
    if (ahead) ahead.sha256 = 'other';
    await queue.enqueue([makeJob('aa')]);
    if (ahead) queue.dropAhead(ahead);
    expect(signals[0]?.aborted).toBe(true);
    // A job is under way now: a second drop's file waits for its turn like any other.
    expect(queue.encodeAhead(new File(['y'], 'y.jpg'), makeJob(''))).toBeUndefined();
  });

  it('asks a busy engine again with backoff, then saves the one result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { engine, store, queue } = setup(new FakeEngine([{ error: BUSY }, { error: BUSY }, { pieces: ['Done'] }]));
    await queue.enqueue([makeJob()]);
    await flush();
    expect(engine.requests).toHaveLength(1);
    expect(queue.jobFor('aa')?.phase).toBe('paused');
    await vi.advanceTimersByTimeAsync(999);
    expect(engine.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(engine.requests).toHaveLength(2);
    // The second wait is longer.
    await vi.advanceTimersByTimeAsync(1999);
    expect(engine.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(store.results.map((r) => r.text)).toEqual(['Done']);
    expect(queue.jobs).toEqual([]);
  });

  it('fails with Ollama’s words once a busy engine stays busy', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { engine, store, queue } = setup(new FakeEngine([{ error: BUSY }]));
    await queue.enqueue([makeJob()]);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 5000 + 10000);
    await flush();
    expect(engine.requests).toHaveLength(5);
    expect(queue.jobFor('aa')?.phase).toBe('failed');
    expect(queue.jobFor('aa')?.error).toMatch(/503.*server busy/);
    expect(queue.pendingCount).toBe(0);
    // A failed job is kept with its reason, so a reload still shows it.
    expect(store.jobs.get(makeJob().key)?.error).toMatch(/server busy/);
  });

  it('waits, with every pending job showing it, while the engine is gone, then carries on with nothing lost or doubled', async () => {
    const gone = new OllamaUnreachableError('http://localhost:11434');
    const { engine, store, slot, queue } = setup(new FakeEngine([{ pieces: ['Half'], error: gone }, { pieces: ['Whole ', 'text'] }]));
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => queue.jobFor('aa')?.phase).toBe('paused');
    expect(slot.isAvailable).toBe(false);
    expect(queue.jobFor('bb')?.phase).toBe('paused');
    // The half reply is not shown as if it were the answer.
    expect(queue.jobFor('aa')?.text).toBe('');
    await flush();
    expect(engine.requests).toHaveLength(1);
    expect(store.results).toEqual([]);

    slot.comeBack();
    await expect.poll(() => store.results.length).toBe(2);
    expect(store.results.map((r) => [r.sha256, r.text])).toEqual([['aa', 'Whole text'], ['bb', 'Whole text']]);
    expect(engine.requests).toHaveLength(3);
    expect(queue.jobs).toEqual([]);
  });

  it('waits for an engine that is already away before asking it', async () => {
    const { engine, store, slot, queue } = setup();
    slot.isAvailable = false;
    await queue.enqueue([makeJob()]);
    await flush();
    expect(queue.jobFor('aa')?.phase).toBe('paused');
    expect(engine.requests).toHaveLength(0);
    slot.comeBack();
    await expect.poll(() => store.results.length).toBe(1);
  });

  it('cancel aborts the running read, forgets the job and moves on', async () => {
    const hold = new Promise<void>(() => {});
    const { engine, store, queue } = setup(new FakeEngine([{ pieces: ['never'], hold }, { pieces: ['Next'] }]));
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => engine.requests.length).toBe(1);
    expect(queue.jobFor('aa')?.phase).toBe('waiting');
    await queue.cancel(makeJob('aa').key);
    expect(engine.signals[0]?.aborted).toBe(true);
    expect(queue.jobFor('aa')).toBeUndefined();
    expect(store.jobs.has(makeJob('aa').key)).toBe(false);
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['bb']);
  });

  it('cancels a job that waits for a vanished engine', async () => {
    const { slot, store, queue } = setup();
    slot.isAvailable = false;
    await queue.enqueue([makeJob()]);
    await flush();
    expect(await queue.cancelFor(new Set(['aa']))).toEqual([makeJob().key]);
    expect(queue.jobs).toEqual([]);
    slot.comeBack();
    await flush();
    expect(store.results).toEqual([]);
  });

  it('resumes after a reload from the stored jobs, keeping failed ones for a retry', async () => {
    const stored = [makeJob('bb', { queuedAt: 2 }), makeJob('aa', { queuedAt: 1, error: 'The model could not read this image.' })];
    const { engine, store, queue } = setup(new FakeEngine(), stored);
    await queue.resume();
    expect(queue.jobs.map((r) => r.job.sha256)).toEqual(['aa', 'bb']);
    expect(queue.jobFor('aa')).toMatchObject({ phase: 'failed', error: 'The model could not read this image.' });
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['bb']);
    expect(engine.requests).toHaveLength(1);

    queue.retry(makeJob('aa').key);
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['bb', 'aa']);
    expect(store.jobs.size).toBe(0);
  });

  it('drops on resume a job whose result was saved after it was queued (its record outlived a reload), and runs an older ask again', async () => {
    const answered = makeJob('aa', { queuedAt: 10 });
    const rerun = makeJob('bb', { queuedAt: 10 });
    const store = fakeStore([answered, rerun]);
    const engine = new FakeEngine();
    const saved = (job: JobRecord, createdAt: number, author: ResultRecord['author'] = 'model') => ({ ...job, jobKey: job.key, text: 'x', author, createdAt }) as ResultRecord;
    // aa's reply was saved at 20, after it was queued; bb has only a text from before it was queued and a person's later edit.
    const results = [saved(answered, 20), saved(rerun, 5), saved(rerun, 30, 'person')];
    const hasAnswerTo = (job: JobRecord) => results.some((r) => r.jobKey === job.key && r.author === 'model' && r.createdAt >= job.queuedAt);
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {}, hasAnswerTo }, slots: () => [fakeSlot(engine)] });
    await queue.resume();
    expect(queue.jobs.map((r) => r.job.sha256)).toEqual(['bb']);
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['bb']);
    expect(engine.requests).toHaveLength(1);
    expect(store.jobs.size).toBe(0);
  });

  it('sends the next image once the result is saved, without waiting for the job record to be deleted', async () => {
    const { engine, store, queue } = setup();
    let release = () => {};
    const deleting = new Promise<void>((resolve) => (release = resolve));
    const deleteJob = store.deleteJob;
    store.deleteJob = async (key: string) => {
      await deleting;
      return deleteJob(key);
    };
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => store.results.length).toBe(2);
    expect(engine.requests).toHaveLength(2);
    // Both records are still on disk: the results are saved, so a reload now would drop them.
    expect(store.jobs.size).toBe(2);
    release();
    await expect.poll(() => store.jobs.size).toBe(0);
  });

  it('keeps a truncated reply as a result marked truncated', async () => {
    const { store, queue } = setup(new FakeEngine([{ pieces: ['Cut'], outcome: { doneReason: 'length' } }]));
    await queue.enqueue([makeJob()]);
    await expect.poll(() => store.results.length).toBe(1);
    expect(store.results[0]).toMatchObject({ text: 'Cut', isTruncated: true });
  });

  it('keeps the text on screen when the disk is full', async () => {
    const { store, queue } = setup();
    store.failSaveWith = new StorageFullError();
    await queue.enqueue([makeJob()]);
    await expect.poll(() => queue.jobFor('aa')?.phase).toBe('failed');
    expect(queue.jobFor('aa')?.error).toMatch(/Storage is full.*copy it now/);
    expect(queue.jobFor('aa')?.text).toBe('Hello world');
  });

  it('does not queue a job twice while it is pending', async () => {
    const hold = new Promise<void>(() => {});
    const { engine, queue } = setup(new FakeEngine([{ pieces: ['x'], hold }]));
    await queue.enqueue([makeJob()]);
    await queue.enqueue([makeJob()]);
    expect(queue.jobs).toHaveLength(1);
    await expect.poll(() => engine.requests.length).toBe(1);
    await queue.cancel(makeJob().key);
  });

  it('asks a stalled reply once more, then fails it with the reason while the batch carries on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stall = { pieces: ['never'], stallAfter: 0 };
    const engine = new FakeEngine([stall, stall, { pieces: ['Next ', 'image'] }]);
    const store = fakeStore();
    const slot = fakeSlot(engine);
    const queue = new QueueState({
      store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => [slot],
      limits: () => ({ firstTextMs: 30_000, idleMs: 10_000 }),
    });
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await flush();
    expect(engine.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(30_000);
    await flush();
    // The first stall is asked again at once, on the same image.
    expect(engine.requests).toHaveLength(2);
    expect(engine.signals[0]?.aborted).toBe(true);
    expect(queue.jobFor('aa')?.phase).toBe('waiting');
    await vi.advanceTimersByTimeAsync(30_000);
    await flush();
    expect(queue.jobFor('aa')?.phase).toBe('failed');
    expect(queue.jobFor('aa')?.error).toMatch(/^No reply within 30 s \(tried twice\)/);
    expect(store.jobs.get(makeJob('aa').key)?.error).toMatch(/No reply within 30 s/);
    expect(store.results.map((r) => [r.sha256, r.text])).toEqual([['bb', 'Next image']]);

    // Retrying by hand gives it a fresh allowance.
    engine.replies = [stall, { pieces: ['Second wind'] }];
    queue.retry(makeJob('aa').key);
    await flush();
    await vi.advanceTimersByTimeAsync(30_000);
    await flush();
    expect(store.results.map((r) => r.text)).toEqual(['Next image', 'Second wind']);
  });

  it('saves a looping reply cut where the loop began, flagged for review', async () => {
    const pieces = ['Total: 12\n', ...Array.from({ length: 400 }, () => 'Thank you for shopping.\n')];
    const { store, queue } = setup(new FakeEngine([{ pieces }]));
    await queue.enqueue([makeJob()]);
    await expect.poll(() => store.results.length).toBe(1);
    expect(store.results[0]).toMatchObject({ text: 'Total: 12\nThank you for shopping.', needsReview: true });
  });
});

/** A queue over one Ollama-like slot: one request answered at a time, the rest queued at the server. */
function setupQueueing(engine: FakeEngine, limits?: { firstTextMs: number; idleMs: number }) {
  const store = fakeStore();
  const slot = { ...fakeSlot(engine), queuesAhead: true };
  const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {} }, slots: () => [slot], ...(limits && { limits: () => limits }) });
  return { store, slot, queue };
}

describe('QueueState with a server that queues', () => {
  it('sends the next image while the current one is answered, so the model goes straight on to it', async () => {
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const engine = new FakeEngine([{ hold: held, pieces: ['first'] }, { pieces: ['second'] }, { pieces: ['third'] }], { parallel: 1 });
    const { store, queue } = setupQueueing(engine);
    await queue.enqueue([makeJob('aa'), makeJob('bb'), makeJob('cc')]);
    await flush();
    // The second request is at the server before the first reply ends; the third is not sent yet.
    expect(engine.requests).toHaveLength(2);
    expect(engine.served).toEqual([0]);
    expect(queue.jobs.map((r) => r.phase)).toEqual(['waiting', 'lined-up', 'queued']);
    expect(queue.statsFor('fake').running).toBe(1);
    answer();
    await expect.poll(() => store.results.map((r) => r.text)).toEqual(['first', 'second', 'third']);
    expect(engine.requests).toHaveLength(3);
    expect(engine.served).toEqual([0, 1, 2]);
  });

  it('does not take a request waiting behind a long reply for a stalled one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // 35 s of text, a piece every 5 s: past the 30 s first-text limit, never 10 s idle.
    const long = { pieces: Array.from({ length: 8 }, (_, i) => `w${i} `), pieceDelayMs: 5_000 };
    const engine = new FakeEngine([long, { pieces: ['second'] }], { parallel: 1 });
    const { store, queue } = setupQueueing(engine, { firstTextMs: 30_000, idleMs: 10_000 });
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await flush();
    expect(engine.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(40_000);
    await flush();
    expect(store.results.map((r) => r.sha256)).toEqual(['aa', 'bb']);
    // Each image asked once: nothing was closed as a stall and asked again.
    expect(engine.requests).toHaveLength(2);
    expect(engine.signals.some((s) => s.aborted)).toBe(false);
  });

  it('on pause closes the request waiting at the server and puts it back in line, not failed; resume sends it once', async () => {
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const engine = new FakeEngine([{ hold: held, pieces: ['first'] }, { pieces: ['second'] }], { parallel: 1 });
    const { store, queue } = setupQueueing(engine);
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await flush();
    expect(queue.jobFor('bb')?.phase).toBe('lined-up');
    queue.pauseAll();
    await flush();
    expect(engine.signals[1]?.aborted).toBe(true);
    expect(queue.jobFor('bb')?.phase).toBe('queued');
    expect(queue.progress.failed).toBe(0);
    answer();
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['aa']);
    await flush();
    // The model never saw the closed request, and nothing new went out while paused.
    expect(engine.served).toEqual([0]);
    expect(engine.requests).toHaveLength(2);
    expect(store.jobs.has(makeJob('bb').key)).toBe(true);
    queue.resumeAll();
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['aa', 'bb']);
    expect(engine.requests).toHaveLength(3);
    expect(engine.served).toEqual([0, 2]);
  });

  it('on pause sends back a next image whose request was still being prepared, and lets the one being read finish', async () => {
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const engine = new FakeEngine([{ hold: held, pieces: ['first'] }, { pieces: ['second'] }], { parallel: 1 });
    const { store, queue } = setupQueueing(engine);
    await queue.enqueue([makeJob('aa'), makeJob('bb')]);
    // Paused before either request left: the first goes out and is read, the second is closed as it queues.
    queue.pauseAll();
    await flush();
    answer();
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['aa']);
    await flush();
    expect(engine.served).toEqual([0]);
    expect(queue.jobFor('bb')?.phase).toBe('queued');
  });

  it('cancel all closes the request being answered and the one waiting behind it', async () => {
    const engine = new FakeEngine([{ hold: new Promise<void>(() => {}), pieces: ['never'] }], { parallel: 1 });
    const { store, queue } = setupQueueing(engine);
    await queue.enqueue([makeJob('aa'), makeJob('bb'), makeJob('cc')]);
    await flush();
    expect(engine.requests).toHaveLength(2);
    await queue.cancelAll();
    expect(engine.signals.map((s) => s.aborted)).toEqual([true, true]);
    await flush();
    expect(engine.requests).toHaveLength(2);
    expect(queue.jobs).toEqual([]);
    expect(store.jobs.size).toBe(0);
  });

  it('after a reload asks again only what was not answered, once', async () => {
    // The tab closed with aa's result saved (its job record not yet deleted), bb being read and cc
    // waiting at the server: the closed connections ended both requests.
    const store = fakeStore([makeJob('aa', { queuedAt: 1 }), makeJob('bb', { queuedAt: 2 }), makeJob('cc', { queuedAt: 3 })]);
    const engine = new FakeEngine([{ pieces: ['second'] }, { pieces: ['third'] }], { parallel: 1 });
    const slot = { ...fakeSlot(engine), queuesAhead: true };
    const hasAnswerTo = (job: JobRecord) => job.sha256 === 'aa';
    const queue = new QueueState({ store, encoder: fakeEncoder(), library: { putResult: () => {}, hasAnswerTo }, slots: () => [slot] });
    await queue.resume();
    await expect.poll(() => store.results.map((r) => r.sha256)).toEqual(['bb', 'cc']);
    expect(engine.requests).toHaveLength(2);
    expect(engine.served).toEqual([0, 1]);
    expect(store.jobs.size).toBe(0);
  });
});

describe('QueuedJob progress', () => {
  it("words the engine's preparation with its percentage while it waits, and nothing once text comes", () => {
    const run = new QueuedJob(makeJob(), () => '');
    run.moveTo('waiting');
    expect(run.progressLabel).toBe('');
    run.progress = { status: 'Loading English language data', fraction: 0.4 };
    expect(run.progressLabel).toBe('Loading English language data 40 %');
    run.progress = { status: 'Starting the OCR engine' };
    expect(run.progressLabel).toBe('Starting the OCR engine');
    run.moveTo('streaming');
    expect(run.progressLabel).toBe('');
  });
});
