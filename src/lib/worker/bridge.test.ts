import { describe, expect, expectTypeOf, it } from 'vitest';
import { createWorkerClient, WorkerError, type WorkerPort } from './bridge.ts';
import { exposeWorkerApi, type ReportProgress, type WorkerCall, type WorkerReply } from './protocol.ts';

let running = 0;
let mostAtOnce = 0;

// A worker API as a worker file would export it.
const api = {
  async double(bytes: Uint8Array, factor: number): Promise<Uint8Array> {
    return bytes.map((b) => b * factor);
  },
  async count(to: number, report: ReportProgress<{ done: number }>): Promise<string> {
    for (let done = 1; done <= to; done++) report({ done });
    return `counted to ${to}`;
  },
  async slow(ms: number): Promise<number> {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, ms));
    running--;
    return ms;
  },
  async hang(): Promise<void> {
    await new Promise(() => {});
  },
  async fail(): Promise<void> {
    throw new RangeError('The worker says no');
  },
};
type TestApi = typeof api;

type Listener<T> = (event: MessageEvent<T>) => void;

/** A Worker that runs `api` in this thread, with messages cloned (and buffers moved) as a real one would. */
class FakeWorker implements WorkerPort {
  isTerminated = false;
  readonly #pageListeners = new Set<Listener<WorkerReply>>();
  readonly #workerListeners = new Set<Listener<WorkerCall>>();

  constructor() {
    exposeWorkerApi({
      addEventListener: (_type, listener) => this.#workerListeners.add(listener),
      postMessage: (reply, { transfer }) => this.#deliver(this.#pageListeners, structuredClone(reply, { transfer })),
    }, api);
  }

  postMessage(call: WorkerCall, { transfer }: { transfer: Transferable[] }): void {
    this.#deliver(this.#workerListeners, structuredClone(call, { transfer }));
  }

  addEventListener(type: 'message' | 'error', listener: Listener<WorkerReply> | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.#pageListeners.add(listener as Listener<WorkerReply>);
  }

  removeEventListener(type: 'message' | 'error', listener: Listener<WorkerReply> | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.#pageListeners.delete(listener as Listener<WorkerReply>);
  }

  terminate(): void {
    this.isTerminated = true;
  }

  #deliver<T>(listeners: Set<Listener<T>>, data: T): void {
    setTimeout(() => {
      if (!this.isTerminated) for (const listener of [...listeners]) listener(new MessageEvent('message', { data }));
    });
  }
}

function makeClient(idleMs = 60_000) {
  const workers: FakeWorker[] = [];
  const client = createWorkerClient<TestApi>(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker;
  }, { idleMs });
  return { client, workers };
}

describe('createWorkerClient', () => {
  it('starts the worker on the first call and moves buffers instead of copying them', async () => {
    const { client, workers } = makeClient();
    expect(workers).toHaveLength(0);
    const input = new Uint8Array([1, 2, 3]);
    const doubled = await client.double(input, 2, {});
    expect([...doubled]).toEqual([2, 4, 6]);
    // Transferred to the worker: the page's copy is detached.
    expect(input.byteLength).toBe(0);
    await client.double(new Uint8Array([5]), 3, {});
    expect(workers).toHaveLength(1);
  });

  it('passes progress to onProgress and the method its other arguments', async () => {
    const { client } = makeClient();
    const progress: number[] = [];
    expect(await client.count(3, { onProgress: ({ done }) => progress.push(done) })).toBe('counted to 3');
    expect(progress).toEqual([1, 2, 3]);
  });

  it('runs one call at a time, in order', async () => {
    const { client } = makeClient();
    mostAtOnce = 0;
    const results = await Promise.all([client.slow(20, {}), client.slow(5, {}), client.slow(1, {})]);
    expect(results).toEqual([20, 5, 1]);
    expect(mostAtOnce).toBe(1);
  });

  it('gives a worker error its name and message', async () => {
    const { client } = makeClient();
    const attempt = client.fail({});
    await expect(attempt).rejects.toBeInstanceOf(WorkerError);
    await expect(attempt).rejects.toMatchObject({ name: 'RangeError', message: 'The worker says no' });
  });

  it('terminates the worker on abort, and starts a fresh one for the next call', async () => {
    const { client, workers } = makeClient();
    const controller = new AbortController();
    const hanging = client.hang({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(hanging).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]?.isTerminated).toBe(true);
    expect([...(await client.double(new Uint8Array([4]), 2, {}))]).toEqual([8]);
    expect(workers).toHaveLength(2);
  });

  it('rejects a queued call at once when it is cancelled, leaving the running one alone', async () => {
    const { client, workers } = makeClient();
    const controller = new AbortController();
    const first = client.slow(30, {});
    const queued = client.slow(1, { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(await first).toBe(30);
    expect(workers[0]?.isTerminated).toBe(false);
  });

  it('terminates the worker after a quiet spell', async () => {
    const { client, workers } = makeClient(10);
    await client.double(new Uint8Array([1]), 1, {});
    expect(workers[0]?.isTerminated).toBe(false);
    await expect.poll(() => workers[0]?.isTerminated).toBe(true);
    client.terminate();
  });

  it('is not mistaken for a promise', async () => {
    const { client, workers } = makeClient();
    expect(await Promise.resolve(client)).toBe(client);
    expect(workers).toHaveLength(0);
  });

  it("takes its method types from the worker's API", () => {
    const { client } = makeClient();
    expectTypeOf(client.double).parameters.toEqualTypeOf<[Uint8Array, number, { signal?: AbortSignal }]>();
    expectTypeOf(client.count).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(client.count).parameter(1).toEqualTypeOf<{ signal?: AbortSignal; onProgress?: (progress: { done: number }) => void }>();
    // @ts-expect-error: not a method of the worker
    expect(() => client.nothing).toBeDefined();
    // @ts-expect-error: wrong argument type
    void client.double('text', 2, {}).catch(() => {});
    client.terminate();
  });
});
