// Where jobs run. The queue fills each slot up to its concurrency; today there is one slot (the
// connected Ollama, one job at a time), and a pool of engines adds more.
import type { Engine } from '../engines/types.ts';
import type { JobSpec } from '../library/types.ts';

/** An engine the queue can hand jobs to, with how many at once and whether it answers now. */
export interface EngineSlot {
  /** Stable name of the slot (the engine's id). */
  readonly id: string;
  /** How many jobs may run on it at the same time. */
  readonly concurrency: number;
  /**
   * True for a server that runs its concurrency and queues the rest (Ollama, llama-server): one
   * more request waits there, so the model goes straight on to it when a reply ends.
   */
  readonly queuesAhead?: boolean;
  /** The engine to use now (it changes when the user changes the address). */
  readonly engine: Engine;
  /** False while the engine does not answer; jobs then wait instead of failing. */
  readonly isAvailable: boolean;
  /** Resolves once the engine answers again; rejects when the signal aborts. */
  waitUntilAvailable(signal: AbortSignal): Promise<void>;
  /** A job found the engine gone: mark it away and watch for its return. */
  reportUnavailable(): void;
  /** True for the jobs this slot can run. */
  accepts(job: JobSpec): boolean;
  /** The model's digest as the server lists it (kept with each version it writes), when known. */
  modelDigest?(model: string): string | undefined;
}
