// The message shapes between a worker bridge and the worker it drives.

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

/** The minimal surface of a worker global scope that `exposeWorkerApi` needs. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerCall>) => void) | null;
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
}

/** A worker API: each method may report progress through the last argument. */
export type WorkerApi = Record<string, (...args: never[]) => Promise<unknown>>;

/** Buffers found at the top level of a value, to move them instead of copying. */
export function findTransferables(value: unknown): Transferable[] {
  if (value instanceof ArrayBuffer) return [value];
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) return [value.buffer];
  if (!value || typeof value !== 'object') return [];
  return Object.values(value).flatMap((v) =>
    v instanceof ArrayBuffer ? [v] : ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer ? [v.buffer] : [],
  );
}

/** Inside a worker: answer calls by running the API's methods, moving result buffers back. */
export function exposeWorkerApi(scope: WorkerScope, api: Record<string, (...args: unknown[]) => Promise<unknown>>): void {
  scope.onmessage = async ({ data: call }) => {
    const report = (progress: unknown) => scope.postMessage({ id: call.id, kind: 'progress', progress }, []);
    try {
      const method = api[call.method];
      if (!method) throw new Error(`Unknown worker method ${call.method}`);
      const value = await method(...call.args, report);
      scope.postMessage({ id: call.id, kind: 'value', value }, findTransferables(value));
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      scope.postMessage({ id: call.id, kind: 'error', name, message }, []);
    }
  };
}
