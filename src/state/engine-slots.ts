// The engines jobs can run on, as queue slots.
import type { EngineSlot } from '../lib/jobs/slot.ts';
import type { ConnectionState } from './connection.svelte.ts';

/** The connected Ollama as one slot: one job at a time, as Ollama serves one request per model by default. */
export function ollamaSlot(connection: ConnectionState): EngineSlot {
  return {
    get id() { return connection.engine.id; },
    concurrency: 1,
    get engine() { return connection.engine; },
    get isAvailable() { return connection.isConnected; },
    waitUntilAvailable: (signal) => connection.waitUntilConnected(signal),
    reportUnavailable: () => connection.reportUnreachable(),
    accepts: () => true,
  };
}
