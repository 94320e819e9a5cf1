// Builds the app's state from its parts, so tests can build it from fakes instead. Components get
// intent methods and derived values here, never the store or the Ollama client.
import { createPdfReader, type PdfReader } from '../lib/documents/pdf-reader.ts';
import { createImageEncoder, type ImageEncoder } from '../lib/image/encoder.ts';
import { collectDroppedFiles, namedFiles, type NamedFile } from '../lib/input/collect-files.ts';
import { isPptxFile, readDeckInWorker, type ReadDeck } from '../lib/documents/pptx-client.ts';
import { createBuiltinOcrEngine } from '../lib/engines/builtin-ocr/index.ts';
import type { Engine } from '../lib/engines/types.ts';
import { PREVIEW_SIDE } from '../lib/image/sizing.ts';
import { UnreadableImageError } from '../lib/image/types.ts';
import { ViewBacklog } from '../lib/jobs/view-backlog.ts';
import type { ImageRecord, ResultRecord } from '../lib/library/types.ts';
import { agreementWithOthers, flagForReview } from '../lib/confidence/review.ts';
import { LibraryStore } from '../lib/library/store.ts';
import { RecentOriginals } from '../lib/library/recent-originals.ts';
import { OllamaClient, type OllamaApi } from '../lib/ollama/client.ts';
import { corsFixSteps, needsLocalNetworkPermission, originsValueFor } from '../lib/ollama/doctor.ts';
import { SERVER_PORTS } from '../lib/pwa/csp.ts';
import { connectSourcesOf, isAllowedBySources, readPagePolicy } from '../lib/pwa/connect-match.ts';
import { SYNC_CHANNEL, type ChannelPort } from '../lib/tabs/channel.ts';
import type { LockRequester } from '../lib/tabs/election.ts';
import type { TaskPreset } from '../lib/tasks/presets.ts';
import { useBlobUrl } from './blob-url.svelte.ts';
import { ConnectionState } from './connection.svelte.ts';
import { ConnectionView } from './connection-view.ts';
import { EnginesState } from './engines.svelte.ts';
import { DeckIntakeState } from './deck-intake.svelte.ts';
import { ExportState } from './export.svelte.ts';
import { ImageAddressState } from './image-address.svelte.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { ModelChoiceState } from './model-choice.svelte.ts';
import { LibraryViewState } from './library-view.svelte.ts';
import { PullState } from './pull.svelte.ts';
import { PresetsState } from './presets.svelte.ts';
import { PdfIntakeState } from './pdf-intake.svelte.ts';
import { PwaState } from './pwa.svelte.ts';
import { QueueState } from './queue.svelte.ts';
import { ReviewState } from './review.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { StorageState } from './storage.svelte.ts';
import { TabsState } from './tabs.svelte.ts';

/** The edges AppState talks to; tests pass fakes. */
export interface AppDeps {
  store?: LibraryStore;
  encoder?: ImageEncoder;
  createClient?: (url: string) => OllamaApi;
  /** The page's origin, which the CORS help is worked out for. */
  origin?: string;
  /** The built-in OCR engine. */
  ocr?: Engine;
  /** The page's Content-Security-Policy, which decides what "Add image from address" may fetch. */
  pagePolicy?: () => string | undefined;
  /** Reads a .pptx deck (in a worker). */
  readDeck?: (file: Blob, signal?: AbortSignal) => Promise<ReadDeck>;
  /** Makes the PDF reader, on the first PDF. */
  createPdfReader?: () => PdfReader;
  /** How this tab finds the others (Web Locks, a BroadcastChannel); without them it works alone. */
  tabs?: { locks?: LockRequester; port?: ChannelPort };
}

/** The browser's Web Locks and a channel to the other tabs, when it has both. */
function browserTabs(): { locks?: LockRequester; port?: ChannelPort } {
  const locks = globalThis.navigator?.locks;
  return locks && typeof BroadcastChannel === 'function' ? { locks, port: new BroadcastChannel(SYNC_CHANNEL) } : {};
}

/** How to let this page into Ollama, worked out for the page's own origin. */
export interface CorsHelp {
  /** The OLLAMA_ORIGINS value to set. */
  originsValue: string;
  fixSteps: { system: string; steps: string[] }[];
  /** An https page on a public host, where Chrome asks for local network access. */
  needsLocalNetworkPermission: boolean;
}

/** Everything the components use. */
export class AppState {
  readonly settings: SettingsState;
  readonly connection: ConnectionView;
  readonly library: LibraryState;
  /** What the list shows: filter, search, and selecting within them. */
  readonly listView: LibraryViewState;
  readonly queue: QueueState;
  /** The main Ollama, added servers and the built-in OCR, pooled. */
  readonly engines: EnginesState;
  /** The chosen model, the picker's options, and the built-in OCR standing in when no Ollama answers. */
  readonly models: ModelChoiceState;
  readonly intake: IntakeState;
  /** Dropped .pptx decks: speaker notes kept, slide pictures added for alt text. */
  readonly decks: DeckIntakeState;
  /** "Add image from address": one image fetched from what the user typed. */
  readonly imageAddress: ImageAddressState;
  /** Dropped PDFs, read page by page into images. */
  readonly pdfs: PdfIntakeState;
  readonly pull: PullState;
  readonly exporter: ExportState;
  readonly pwa: PwaState;
  readonly storage: StorageState;
  /** This tab among the app's other tabs: which one works the queue; libraries kept in step. */
  readonly tabs: TabsState;
  /** The keyboard review queue: least certain texts first, accept, edit, skip or re-run each. */
  readonly review: ReviewState;
  /** The user's presets: built-ins they may edit, their own, the presets file. */
  readonly presets: PresetsState;
  /** The ports the page may reach on any host (Ollama's, vLLM's…), so a server elsewhere on the LAN works unconfigured. */
  readonly serverPorts: readonly number[] = SERVER_PORTS;
  /** How to let this page into Ollama when it refuses the page. */
  readonly corsHelp: CorsHelp;
  readonly #store: LibraryStore;
  readonly #connection: ConnectionState;
  /** Thumbnails for images no job has decoded yet, made when the image worker is free. */
  readonly #backlog: ViewBacklog;
  /** Files just stored, in hand for their first job's encode. */
  readonly #originals = new RecentOriginals();

  constructor({
    store = new LibraryStore(),
    encoder = createImageEncoder(),
    createClient = (url) => new OllamaClient(url),
    origin = globalThis.location.origin,
    ocr = createBuiltinOcrEngine(),
    createPdfReader: makePdfReader = createPdfReader,
    tabs = browserTabs(),
    readDeck = readDeckInWorker,
    pagePolicy = readPagePolicy,
  }: AppDeps = {}) {
    this.corsHelp = {
      originsValue: originsValueFor(origin),
      fixSteps: corsFixSteps(origin),
      needsLocalNetworkPermission: needsLocalNetworkPermission(origin),
    };
    this.#store = store;
    this.settings = new SettingsState(store);
    this.presets = new PresetsState(this.settings);
    this.#connection = new ConnectionState(this.settings, createClient);
    this.connection = new ConnectionView(this.#connection);
    this.library = new LibraryState(store);
    this.engines = new EnginesState({
      settings: this.settings,
      connection: this.#connection,
      ocr,
      origin,
      isBlocked: (url) => this.pwa.isBlocked(url),
      onSlotsChanged: () => this.queue.reschedule(),
    });
    this.models = new ModelChoiceState({ settings: this.settings, connection: this.#connection, engines: this.engines });
    this.queue = new QueueState({
      store, encoder, library: this.library, slots: () => this.engines.slotsForQueue(), limits: () => this.settings.stallLimits,
      review: (result) => this.#review(result), originals: this.#originals,
    });
    this.listView = new LibraryViewState({ library: this.library, queue: this.queue });
    this.#backlog = new ViewBacklog({
      makeViews: (sha256, signal) => this.#makeViews(sha256, encoder, signal),
      isBusy: () => this.queue.hasWorkInHand,
    });
    this.intake = new IntakeState({
      store, encoder, library: this.library, queue: this.queue, settings: this.settings, presets: this.presets,
      onStored: (sha256s) => this.#backlog.add(sha256s),
      originals: this.#originals,
      onDocument: (file) => void this.pdfs.open(file),
    });
    this.pdfs = new PdfIntakeState({
      reader: makePdfReader, store, library: this.library,
      run: (sha256s) => this.intake.run(sha256s, false),
      onStored: (sha256s) => this.#backlog.add(sha256s),
    });
    this.decks = new DeckIntakeState({ readDeck, library: this.library, intake: this.intake });
    this.imageAddress = new ImageAddressState({
      intake: this.intake,
      isAllowed: (url) => {
        const sources = connectSourcesOf(pagePolicy());
        return !sources || isAllowedBySources(url, sources, origin);
      },
    });
    this.pull = new PullState(this.#connection, this.settings);
    this.exporter = new ExportState({ store, encoder, library: this.library, settings: this.settings, isAltTextTask: (id) => this.presets.isAltText(id) });
    // A reload would lose an image being read, run or exported: updates wait for all three.
    this.pwa = new PwaState({ isBusy: () => this.queue.pendingCount > 0 || this.intake.isBusy || this.decks.isBusy || this.pdfs.isBusy || this.exporter.phase !== 'idle' });
    this.storage = new StorageState();
    this.review = new ReviewState({ library: this.library, listView: this.listView, rerun: (sha256) => this.intake.run([sha256], true) });
    this.tabs = new TabsState({ store, library: this.library, queue: this.queue, slotIds: () => this.engines.slotsForQueue().map((s) => s.id), ...tabs });
  }

  /** Load settings and library, reach Ollama, resume interrupted work. */
  async start(): Promise<void> {
    this.pwa.start();
    // Neither needs the other: the list is read while the settings are.
    await Promise.all([this.settings.load(), this.library.load()]);
    this.#backlog.add(this.library.images.filter((i) => i.isDecoded === false).map((i) => i.sha256));
    void this.storage.start(this.library.images.length > 0);
    this.engines.load();
    await this.#connection.refresh();
    this.#connection.watch(document);
    // The leader's tab resumes the saved queue; another tab shows the leader's progress.
    await this.tabs.start();
  }

  /** Decode a stored image for its thumbnail and preview; one its job found unreadable already says so. */
  async #makeViews(sha256: string, encoder: ImageEncoder, signal: AbortSignal): Promise<void> {
    if (!this.library.needsViews(sha256) || this.queue.jobFor(sha256)?.phase === 'failed') return;
    const blob = await this.#store.getImageBlob(sha256);
    if (!blob || signal.aborted) return;
    try {
      await this.library.saveViews(sha256, await encoder.makeViews(blob, signal));
    } catch (error) {
      // Its header looked fine but it cannot be decoded: say so, as for a file refused at once;
      // an image with a job has its row say it instead, once, when that job's decode fails.
      if (!(error instanceof UnreadableImageError)) throw error;
      if (this.queue.jobFor(sha256)) return;
      const name = this.library.imageBySha(sha256)?.name ?? sha256;
      this.library.reject({ id: crypto.randomUUID(), name, reason: error.message });
    }
  }

  /** Every task the picker offers. */
  get tasks(): readonly TaskPreset[] {
    return this.presets.list;
  }

  /** A finished text flagged when its confidence, or its agreement with other models' texts of the image, is below the user's threshold. */
  #review(result: ResultRecord): ResultRecord {
    const others = this.library.resultsByImage.get(result.sha256) ?? [];
    return flagForReview(result, this.settings.reviewBelowPercent / 100, agreementWithOthers(result, others));
  }

  /** The chosen task. */
  get task(): TaskPreset {
    return this.presets.find(this.settings.taskId);
  }

  /** A task's name as people read it ("Invoice fields", or the id of a preset since deleted). */
  taskLabel(taskId: string): string {
    const preset = this.presets.list.find((p) => p.id === taskId);
    return preset?.label ?? taskId;
  }

  /** What Run, Export and Copy cover, as their buttons say it: "3 selected" or "all". */
  get scopeLabel(): string {
    const count = this.library.selected.size;
    return count > 0 ? `${count.toLocaleString('en-US')} selected` : 'all';
  }

  /**
   * A thumbnail's object URL, made while the calling component shows it; call from its script.
   * None until the image is decoded (the list shows a placeholder), then it appears.
   */
  useThumbnailUrl(image: () => ImageRecord): { readonly url: string | undefined } {
    return useBlobUrl(() => {
      const { sha256, isDecoded } = image();
      return isDecoded === false ? Promise.resolve(undefined) : this.#store.getThumbnail(sha256);
    });
  }

  /**
   * The detail view's image (a preview, or the original when small), like useThumbnailUrl. A large
   * image waits for its preview: its original could take hundreds of MB to show.
   */
  usePreviewUrl(image: () => ImageRecord): { readonly url: string | undefined } {
    return useBlobUrl(() => {
      const { sha256, isDecoded, width, height } = image();
      const isSmall = width > 0 && Math.max(width, height) <= PREVIEW_SIDE;
      return isDecoded === false && !isSmall ? Promise.resolve(undefined) : this.#store.getDisplayImage(sha256);
    });
  }

  /** Read files from a drop, folders walked; must be called while the drop event is handled. */
  async addDroppedFiles(data: DataTransfer): Promise<void> {
    await this.#addNamedFiles(await collectDroppedFiles(data));
  }

  /** Read files from a file picker or a paste. */
  addFiles(files: Iterable<File>): Promise<void> {
    return this.#addNamedFiles(namedFiles(files));
  }

  /** Decks are opened for their notes and pictures; everything else goes to the image intake. */
  async #addNamedFiles(files: NamedFile[]): Promise<void> {
    const decks = files.filter(({ file, name }) => isPptxFile(name, file.type));
    const others = decks.length > 0 ? files.filter((f) => !decks.includes(f)) : files;
    await Promise.all([this.intake.add(others), decks.length > 0 ? this.decks.add(decks) : undefined]);
  }

  /** Run the chosen task on the selected images, or on all, where it has no result yet. */
  runChosenTask(): Promise<void> {
    const { selected, images } = this.library;
    return this.intake.run(selected.size > 0 ? [...selected] : images.map((i) => i.sha256), false);
  }

  /** Use this model from now on, and load an Ollama model so the first image does not wait for it. */
  chooseModel(name: string): void {
    this.models.choose(name);
  }

  /** Delete an image with its results; its queued work is cancelled first, so nothing writes it back. */
  async deleteImage(sha256: string): Promise<void> {
    const jobKeys = await this.queue.cancelFor(new Set([sha256]));
    this.#originals.forget(sha256);
    await this.library.deleteImage(sha256, jobKeys);
  }

  /** Delete these images with their results; their queued work is cancelled first. */
  async deleteImages(sha256s: Iterable<string>): Promise<void> {
    const doomed = new Set(sha256s);
    const jobKeys = await this.queue.cancelFor(doomed);
    for (const sha256 of doomed) this.#originals.forget(sha256);
    await this.library.deleteImages(doomed, jobKeys);
  }

  /** Delete the selected images (the selection may include images the filter hides). */
  deleteSelected(): Promise<void> {
    return this.deleteImages(this.library.selected);
  }

  /** Ask the chosen task again of the selected images, even where they have a result for it. */
  rerunSelected(): Promise<void> {
    return this.intake.run([...this.library.selected], true);
  }

  /** Delete every image and result; all queued work is cancelled first. */
  async deleteAllImages(): Promise<void> {
    const all = new Set(this.library.images.map((i) => i.sha256));
    await this.queue.cancelFor(all);
    for (const sha256 of all) this.#originals.forget(sha256);
    await this.library.clear();
  }
}
