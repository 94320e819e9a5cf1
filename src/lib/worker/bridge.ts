// Drives one worker: started on first use, one call at a time, terminated on abort (which really
// stops the work) and after a quiet spell (which frees its memory). Modelled on Squoosh's bridge.
import { findTransferables, type WorkerCall, type WorkerReply } from './protocol.ts';

/** An error raised inside the worker, with the worker's own name and message. */
export class WorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: unknown) => void;
}

/** A lazily started worker that runs calls one after another. */
export class WorkerBridge {
  readonly #create: () => Worker;
  readonly #idleMs: number;
  #worker: Worker | undefined;
  #nextId = 1;
  #tail: Promise<unknown> = Promise.resolve();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(create: () => Worker, idleMs = 20_000) {
    this.#create = create;
    this.#idleMs = idleMs;
  }

  /** Run `method(...args)` in the worker after any calls already queued. */
  call<T>(method: string, args: unknown[], options: CallOptions = {}): Promise<T> {
    const run = this.#tail.then(() => this.#run<T>(method, args, options));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Stop the worker now; a call in flight rejects. */
  terminate(): void {
    clearTimeout(this.#idleTimer);
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #run<T>(method: string, args: unknown[], { signal, onProgress }: CallOptions): Promise<T> {
    signal?.throwIfAborted();
    clearTimeout(this.#idleTimer);
    const worker = (this.#worker ??= this.#create());
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        this.#idleTimer = setTimeout(() => this.terminate(), this.#idleMs);
      };
      const onMessage = ({ data }: MessageEvent<WorkerReply>) => {
        if (data.id !== id) return;
        if (data.kind === 'progress') return onProgress?.(data.progress);
        finish();
        if (data.kind === 'value') resolve(data.value as T);
        else reject(new WorkerError(data.name, data.message));
      };
      const onError = (event: ErrorEvent) => {
        finish();
        this.terminate();
        reject(new WorkerError('WorkerCrash', event.message || 'The worker stopped unexpectedly'));
      };
      // Terminating is the only way to stop a decode or zip that is under way.
      const onAbort = () => {
        finish();
        this.terminate();
        reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      const call: WorkerCall = { id, method, args };
      worker.postMessage(call, findTransferables(args[0]));
    });
  }
}
