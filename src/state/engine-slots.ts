// The main Ollama as a queue slot.
import type { EngineSlot } from '../lib/jobs/slot.ts';
import type { JobSpec } from '../lib/library/types.ts';
import { findModelName } from '../lib/ollama/models.ts';
import type { ConnectionState } from './connection.svelte.ts';

/** How the pool shares work with the main Ollama. */
export interface OllamaSlotOptions {
  /** Images at once (Ollama serves one request per model by default: OLLAMA_NUM_PARALLEL=1). */
  concurrency?: () => number;
  /** The jobs it takes; by default every job. */
  accepts?: (job: JobSpec) => boolean;
}

/** The connected Ollama as one slot. */
export function ollamaSlot(connection: ConnectionState, options: OllamaSlotOptions = {}): EngineSlot {
  const { concurrency = () => 1, accepts = () => true } = options;
  return {
    get id() { return connection.engine.id; },
    get concurrency() { return concurrency(); },
    // Ollama queues what it cannot run yet (up to 512 requests, docs/ollama-api.md).
    queuesAhead: true,
    get engine() { return connection.engine; },
    get isAvailable() { return connection.isConnected; },
    waitUntilAvailable: (signal) => connection.waitUntilConnected(signal),
    reportUnavailable: () => connection.reportUnreachable(),
    accepts,
    modelDigest: (model) => connection.models.find((m) => m.name === findModelName(connection.models.map((n) => n.name), model))?.digest,
  };
}
