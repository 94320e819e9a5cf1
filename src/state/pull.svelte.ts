// Pulling a model from inside the page, with progress and cancel.
import { foldPullProgress } from '../lib/ollama/pull-progress.ts';
import { describePullFailure } from '../lib/ollama/describe-error.ts';
import { isAbortError } from '../lib/ollama/errors.ts';
import { findModelName } from '../lib/ollama/models.ts';
import type { ConnectionState } from './connection.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** One model download at a time. */
export class PullState {
  #name = $state('');
  #status = $state('');
  #completed = $state(0);
  #total = $state(0);
  #percent = $state(0);
  #error = $state('');
  #controller: AbortController | undefined;
  readonly #connection: ConnectionState;
  readonly #settings: SettingsState;

  constructor(connection: ConnectionState, settings: SettingsState) {
    this.#connection = connection;
    this.#settings = settings;
  }

  /** The model being downloaded, '' when none is. */
  get name() { return this.#name; }
  /** Ollama's latest status line: "pulling 8dd30f6b0cb1", "verifying sha256 digest"… */
  get status() { return this.#status; }
  get completed() { return this.#completed; }
  get total() { return this.#total; }
  get percent() { return this.#percent; }
  get error() { return this.#error; }
  get isPulling() { return this.#name !== ''; }

  /** Download a model; on success it becomes the chosen model. */
  async pull(name: string): Promise<void> {
    const wanted = name.trim();
    if (this.isPulling || !wanted) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#name = wanted;
    this.#status = 'starting';
    this.#error = '';
    this.#completed = this.#total = this.#percent = 0;
    const layers = new Map<string, { completed: number; total: number }>();
    try {
      for await (const line of this.#connection.client.pullModel(wanted, controller.signal)) {
        const summary = foldPullProgress(layers, line);
        this.#status = summary.status;
        this.#completed = summary.completed;
        this.#total = summary.total;
        this.#percent = summary.percent;
      }
      await this.#connection.refresh();
      // Ollama lists a bare name with its tag: "moondream" becomes "moondream:latest".
      const listed = findModelName(this.#connection.visionModels.map((m) => m.name), wanted);
      if (listed) {
        this.#settings.set('model', listed);
        void this.#connection.warmUp(listed);
      } else if (this.#connection.isConnected) {
        this.#error = `"${wanted}" is installed, but it cannot see images. Pull a vision model to read images.`;
      }
    } catch (error) {
      this.#error = isAbortError(error) ? `Download of "${wanted}" cancelled.` : describePullFailure(error, wanted);
    } finally {
      this.#controller = undefined;
      this.#name = '';
    }
  }

  /** Stop the download: closing the connection makes Ollama stop pulling. */
  cancel(): void {
    this.#controller?.abort();
  }
}
