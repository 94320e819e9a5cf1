// Pulling a model from inside the page, with progress and cancel.
import { foldPullProgress } from '../lib/ollama/pull-progress.ts';
import { describeFailure } from '../lib/ollama/describe-error.ts';
import { isAbortError } from '../lib/ollama/errors.ts';
import type { ConnectionState } from './connection.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** One model download at a time. */
export class PullState {
  #name = $state('');
  #status = $state('');
  #completed = $state(0);
  #total = $state(0);
  #error = $state('');
  #controller: AbortController | undefined;
  readonly #connection: ConnectionState;
  readonly #settings: SettingsState;

  constructor(connection: ConnectionState, settings: SettingsState) {
    this.#connection = connection;
    this.#settings = settings;
  }

  get name() { return this.#name; }
  get status() { return this.#status; }
  get completed() { return this.#completed; }
  get total() { return this.#total; }
  get error() { return this.#error; }
  get isPulling() { return this.#controller !== undefined && this.#name !== ''; }

  /** Download a model; on success it becomes the chosen model. */
  async pull(name: string): Promise<void> {
    if (this.isPulling || !name.trim()) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#name = name.trim();
    this.#status = 'starting';
    this.#error = '';
    this.#completed = 0;
    this.#total = 0;
    const layers = new Map<string, { completed: number; total: number }>();
    try {
      for await (const line of this.#connection.client.pullModel(this.#name, controller.signal)) {
        const summary = foldPullProgress(layers, line);
        this.#status = summary.status;
        this.#completed = summary.completed;
        this.#total = summary.total;
      }
      await this.#connection.reloadModels();
      this.#settings.set('model', this.#name);
    } catch (error) {
      this.#error = isAbortError(error) ? 'Download cancelled.' : describeFailure(error, this.#name);
    } finally {
      this.#controller = undefined;
      this.#name = '';
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }
}
