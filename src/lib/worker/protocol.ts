// The message shapes between a worker client and the worker it drives, and the worker's side.

/** A call sent to a worker. */
export interface WorkerCall {
  id: number;
  method: string;
  args: unknown[];
}

/** A worker's answer: a value, an error, or progress on a long call. */
export type WorkerReply =
  | { id: number; kind: 'value'; value: unknown }
  | { id: number; kind: 'error'; name: string; message: string }
  | { id: number; kind: 'progress'; progress: unknown };

/**
 * The part of a worker's global scope that `exposeWorkerApi` needs (a fake stands in for tests).
 * Both the worker's and the page's typings of `self` fit it, so a worker file type-checks in the
 * page's program too, where its exported API type is imported.
 */
export interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCall>) => void): void;
  postMessage(message: WorkerReply, options: { transfer: Transferable[] }): void;
}

/** How a worker method reports progress: always its last parameter, when it has one. */
export type ReportProgress<P> = (progress: P) => void;

/** A worker API: async methods; one that reports progress takes a ReportProgress last. */
export type WorkerApi = Record<string, (...args: never[]) => Promise<unknown>>;

const isTransferable = (value: unknown): value is ArrayBuffer => value instanceof ArrayBuffer;

/**
 * Buffers at the top level of some values (or one level inside them, or inside the objects of an
 * array there: an image's tiles), to move instead of copying.
 */
export function findTransferables(...values: unknown[]): Transferable[] {
  const found = new Set<ArrayBuffer>();
  const add = (value: unknown) => {
    if (isTransferable(value)) found.add(value);
    else if (ArrayBuffer.isView(value) && isTransferable(value.buffer)) found.add(value.buffer);
  };
  const isPlainObject = (value: unknown): value is object => !!value && typeof value === 'object' && !ArrayBuffer.isView(value) && !isTransferable(value);
  for (const value of values) {
    add(value);
    if (!isPlainObject(value)) continue;
    for (const inner of Object.values(value)) {
      add(inner);
      if (Array.isArray(inner)) inner.filter(isPlainObject).forEach((item) => Object.values(item).forEach(add));
    }
  }
  return [...found];
}

/** Inside a worker: answer calls by running the API's methods, moving result buffers back. */
export function exposeWorkerApi(scope: WorkerScope, api: WorkerApi): void {
  scope.addEventListener('message', async ({ data: call }) => {
    const report = (progress: unknown) => scope.postMessage({ id: call.id, kind: 'progress', progress }, { transfer: [] });
    try {
      if (!Object.hasOwn(api, call.method)) throw new Error(`Unknown worker method ${call.method}`);
      // The page's WorkerClient<Api> types each call's arguments from this very API.
      const method = api[call.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await method(...call.args, report);
      scope.postMessage({ id: call.id, kind: 'value', value }, { transfer: findTransferables(value) });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      scope.postMessage({ id: call.id, kind: 'error', name, message }, { transfer: [] });
    }
  });
}
