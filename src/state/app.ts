// Builds the app's state from its parts, so tests can build it from fakes instead.
import { createImageEncoder, type ImageEncoder } from '../lib/image/encoder.ts';
import { LibraryStore } from '../lib/library/store.ts';
import { ConnectionState } from './connection.svelte.ts';
import { ollamaSlot } from './engine-slots.ts';
import { ExportState } from './export.svelte.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { PullState } from './pull.svelte.ts';
import { PwaState } from './pwa.svelte.ts';
import { QueueState } from './queue.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { StorageState } from './storage.svelte.ts';

/** Everything the components use. */
export class AppState {
  readonly store: LibraryStore;
  readonly settings: SettingsState;
  readonly connection: ConnectionState;
  readonly library: LibraryState;
  readonly queue: QueueState;
  readonly intake: IntakeState;
  readonly pull: PullState;
  readonly exporter: ExportState;
  readonly pwa: PwaState;
  readonly storage: StorageState;

  constructor(store = new LibraryStore(), encoder: ImageEncoder = createImageEncoder()) {
    this.store = store;
    this.settings = new SettingsState(store);
    this.connection = new ConnectionState(this.settings);
    this.library = new LibraryState(store);
    this.queue = new QueueState({ store, encoder, library: this.library, slots: [ollamaSlot(this.connection)] });
    this.intake = new IntakeState({ store, encoder, library: this.library, queue: this.queue, settings: this.settings });
    this.pull = new PullState(this.connection, this.settings);
    this.exporter = new ExportState({ store, encoder, library: this.library, settings: this.settings });
    // A reload would lose an image being read, run or exported: updates wait for all three.
    this.pwa = new PwaState({ isBusy: () => this.queue.pendingCount > 0 || this.intake.isBusy || this.exporter.phase !== 'idle' });
    this.storage = new StorageState();
  }

  /** Load settings and library, reach Ollama, resume interrupted work. */
  async start(): Promise<void> {
    this.pwa.start();
    await this.settings.load();
    await this.library.load();
    void this.storage.start(this.library.images.length > 0);
    await this.connection.refresh();
    this.connection.watch(document);
    await this.queue.resume();
  }
}
