// What components may see of the connection: its status and models, never the Ollama client.
import type { ModelInfo } from '../lib/ollama/capabilities.ts';
import type { ConnectionState, ConnectionStatus } from './connection.svelte.ts';

/** A read-only window on ConnectionState; its getters stay reactive because they read its runes. */
export class ConnectionView {
  readonly #connection: ConnectionState;

  constructor(connection: ConnectionState) {
    this.#connection = connection;
  }

  get status(): ConnectionStatus { return this.#connection.status; }
  get version() { return this.#connection.version; }
  /** Ollama's own error text when it answered with an error. */
  get error() { return this.#connection.error; }
  get models(): ModelInfo[] { return this.#connection.models; }
  get visionModels(): ModelInfo[] { return this.#connection.visionModels; }
  get isConnected() { return this.#connection.isConnected; }
  /** True while the chosen model is being loaded into memory. */
  get isWarming() { return this.#connection.isWarming; }
  get hasNoVisionModel() { return this.#connection.hasNoVisionModel; }
  get isSelectedModelMissing() { return this.#connection.isSelectedModelMissing; }

  /** Use this address from now on and check it at once. */
  testConnection(url: string): Promise<void> {
    return this.#connection.testConnection(url);
  }
}
