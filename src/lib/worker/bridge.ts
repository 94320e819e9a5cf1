// The page's side of a worker: a typed client whose methods are the worker's own API. The worker
// starts on first use, runs one call at a time, is terminated on abort (the only way to stop a
// decode or an inflate under way) and after a quiet spell (which frees its memory). Modelled on
// Squoosh's worker-bridge, typed from the worker's exported API like Comlink's Remote<T>.
import { findTransferables, type WorkerApi, type WorkerCall, type WorkerReply } from './protocol.ts';

/** An error raised inside the worker, with the worker's own name and message. */
export class WorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The part of a Worker the client uses (a fake stands in for tests). */
export interface WorkerPort {
  postMessage(message: WorkerCall, options: { transfer: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerReply>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<WorkerReply>) => void): void;
  removeEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** The options every client call takes last; onProgress only where the worker method reports. */
export type CallOptions<P> = [P] extends [never]
  ? { signal?: AbortSignal }
  : { signal?: AbortSignal; onProgress?: (progress: P) => void };

type ProgressOf<A extends unknown[]> = A extends [...unknown[], (progress: infer P) => void] ? P : never;
type ArgumentsOf<A extends unknown[]> = A extends [...infer Head, (progress: never) => void] ? Head : A;

/** A worker method as the page calls it: the same arguments (minus the reporter), then options. */
export type ClientMethod<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: [...ArgumentsOf<A>, CallOptions<ProgressOf<A>>]) => Promise<R>
  : never;

/** The page's handle on a worker whose API is `Api`. */
export type WorkerClient<Api extends WorkerApi> = { readonly [K in keyof Api]: ClientMethod<Api[K]> } & {
  /** Stop the worker now; a call in flight rejects. */
  terminate(): void;
};

/** Options of createWorkerClient. */
export interface WorkerClientOptions {
  /** Terminate the worker after this long without calls. */
  idleMs?: number;
}

/** A typed client for the worker `create` starts; `Api` is the worker file's exported API type. */
export function createWorkerClient<Api extends WorkerApi & { terminate?: never }>(
  create: () => WorkerPort,
  { idleMs = 20_000 }: WorkerClientOptions = {},
): WorkerClient<Api> {
  const bridge = new WorkerBridge(create, idleMs);
  return new Proxy<WorkerClient<Api>>(Object.create(null), {
    get(_target, key) {
      if (key === 'terminate') return () => bridge.terminate();
      // `then` must stay undefined, or awaiting the client would call into the worker.
      if (typeof key !== 'string' || key === 'then') return undefined;
      return (...args: unknown[]) => {
        const options = (args.pop() ?? {}) as { signal?: AbortSignal; onProgress?: (progress: unknown) => void };
        return bridge.call(key, args, options);
      };
    },
  });
}

/** One worker, run one call at a time. */
class WorkerBridge {
  readonly #create: () => WorkerPort;
  readonly #idleMs: number;
  #worker: WorkerPort | undefined;
  #nextId = 1;
  #tail: Promise<unknown> = Promise.resolve();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(create: () => WorkerPort, idleMs: number) {
    this.#create = create;
    this.#idleMs = idleMs;
  }

  /** Run `method(...args)` in the worker after the calls already queued. */
  call(method: string, args: unknown[], options: { signal?: AbortSignal; onProgress?: (progress: unknown) => void }): Promise<unknown> {
    const { signal } = options;
    const run = this.#tail.then(() => this.#run(method, args, options));
    this.#tail = run.catch(() => undefined);
    if (!signal) return run;
    // A queued call that is cancelled rejects at once instead of waiting for its turn.
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  terminate(): void {
    clearTimeout(this.#idleTimer);
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #run(method: string, args: unknown[], { signal, onProgress }: { signal?: AbortSignal; onProgress?: (progress: unknown) => void }): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    clearTimeout(this.#idleTimer);
    const worker = (this.#worker ??= this.#create());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const finish = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(this.#idleTimer);
        if (this.#worker) this.#idleTimer = setTimeout(() => this.terminate(), this.#idleMs);
      };
      const onMessage = ({ data }: MessageEvent<WorkerReply>) => {
        if (data.id !== id) return;
        if (data.kind === 'progress') return onProgress?.(data.progress);
        finish();
        if (data.kind === 'value') resolve(data.value);
        else reject(new WorkerError(data.name, data.message));
      };
      const onError = (event: ErrorEvent) => {
        this.terminate();
        finish();
        reject(new WorkerError('WorkerCrash', event.message || 'The worker stopped unexpectedly'));
      };
      const onAbort = () => {
        this.terminate();
        finish();
        reject(abortReason(signal));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ id, method, args }, { transfer: findTransferables(...args) });
    });
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('Aborted', 'AbortError');
}
