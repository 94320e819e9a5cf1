// The images and results the user has, in memory for instant listing, mirrored from IndexedDB.
// Results are kept per image: saving, replacing or deleting one version touches only its image's
// entry (a small array kept newest first), never a pass over every result.
import { SvelteMap } from 'svelte/reactivity';
import { rangeBetween, withRange } from '../lib/library/selection.ts';
import type { DecodedViews } from '../lib/image/types.ts';
import type { DocumentRecord } from '../lib/documents/types.ts';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord, JobRecord, ResultRecord } from '../lib/library/types.ts';
import { versionKey } from '../lib/library/keys.ts';
import { NameCounts } from '../lib/library/name-counts.ts';
import { isReviewed } from '../lib/review/order.ts';
import { groupVersionsByTask, listPreferredVersions, listShownVersions, nextChoiceTime, newestFirst, pickPreferredVersion, withVersion } from '../lib/library/versions.ts';
import { diffTexts, type DiffPart } from '../lib/text/compare.ts';
import { TextSearch } from './text-search.svelte.ts';

/** A dropped file that could not be read, shown with its reason until dismissed. */
export interface RejectedFile {
  id: string;
  name: string;
  reason: string;
  /** Not an image at all (a PDF, a text file): summed up in one line, not listed one by one. */
  isNotImage?: boolean;
}

/** What changed in the library, for the other tabs: which images and results to read again. */
export type LibraryChange = { images?: string[]; results?: string[]; isReplaced?: true };

/** One task of one image: every version (newest first), the preferred one, and those shown side by side. */
export interface TaskVersions {
  taskId: string;
  versions: ResultRecord[];
  preferred: ResultRecord;
  shown: ResultRecord[];
}

/** Runs `apply` soon, once for many calls: the list takes additions in batches, not per file. */
export type BatchScheduler = (apply: () => void) => void;

/** Once per animation frame; a timer too, since frames stop while the tab is hidden. */
const nextFrame: BatchScheduler = (apply) => {
  if (typeof requestAnimationFrame !== 'function') return queueMicrotask(apply);
  let isDone = false;
  const once = () => {
    if (isDone) return;
    isDone = true;
    apply();
  };
  requestAnimationFrame(once);
  setTimeout(once, 100);
};

/** Resolves once the next frame has been painted; at once where there are no frames (tests). */
function afterNextPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  // A task after the frame, so its paint is done; nextFrame's timer covers a hidden tab.
  return new Promise((resolve) => nextFrame(() => setTimeout(resolve, 0)));
}

/** `first` with every record of `rest` whose id it lacks, oldest added first. */
function mergeById(first: DocumentRecord[], rest: DocumentRecord[]): DocumentRecord[] {
  const ids = new Set(first.map((d) => d.id));
  return [...first, ...rest.filter((d) => !ids.has(d.id))].sort((a, b) => a.addedAt - b.addedAt);
}

/** The list's one-piece copy is saved once its changes pause this long… */
const LISTING_SAVE_DELAY_MS = 1000;
/** …or this long after the first unsaved change while they go on: each save copies every record. */
const LISTING_SAVE_MAX_WAIT_MS = 10_000;

const byOldestAdded = (a: ImageRecord, b: ImageRecord) => a.addedAt - b.addedAt;

/** True when both lists hold the same items (records, names) in the same order. */
function isSameList<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** How many of these versions nobody has checked yet. */
function countUnreviewed(versions: readonly ResultRecord[]): number {
  let count = 0;
  for (const version of versions) if (!isReviewed(version)) count++;
  return count;
}

/** Note that a version's image and task changed (images → task ids). */
function noteTask(touched: Map<string, Set<string>>, version: ResultRecord): void {
  const taskIds = touched.get(version.sha256);
  if (taskIds) taskIds.add(version.taskId);
  else touched.set(version.sha256, new Set([version.taskId]));
}

/** The library: images, their results, what is selected. */
export class LibraryState {
  /** Oldest first, so a new image is appended; the list shows it reversed. */
  #images = $state.raw<ImageRecord[]>([]);
  /** Every version by key. Plain: readers go through the per-image maps, or #revision for the whole set. */
  readonly #byKey = new Map<string, ResultRecord>();
  /** Each image's versions, newest first, and its preferred version per task: the truth, read without tracking. */
  readonly #versionsOf = new Map<string, readonly ResultRecord[]>();
  readonly #preferredOf = new Map<string, readonly ResultRecord[]>();
  /** The same two, reactive per image: a reader of one image re-runs only when that image changes. */
  // Replaced whole when every result is read (a load, an import): 20,000 single sets would each
  // notify the map's readers, which took ~40 ms of a 10,000-result load.
  #versionsView = $state.raw(new SvelteMap<string, readonly ResultRecord[]>());
  #preferredView = $state.raw(new SvelteMap<string, readonly ResultRecord[]>());
  /** Bumped on every change of results, for readers of the whole set. */
  #revision = $state(0);
  readonly #modelCounts = new NameCounts();
  readonly #taskCounts = new NameCounts();
  #models = $state.raw<readonly string[]>([]);
  /** Preferred versions nobody has checked yet, kept up to date image by image. */
  #unreviewed = 0;
  #taskIds = $state.raw<readonly string[]>([]);
  #rejected = $state.raw<RejectedFile[]>([]);
  #documents = $state.raw<DocumentRecord[]>([]);
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #focused = $state<string | undefined>();
  #isLoaded = $state(false);
  #editErrors = $state.raw<ReadonlyMap<string, string>>(new Map());
  /** The row a shift-click ranges from: the last one ticked or unticked. */
  #anchor: string | undefined;
  /** Search over each image's preferred texts, told of every change to them. */
  readonly search = new TextSearch();
  readonly #listeners = new Set<(change: LibraryChange) => void>();
  /** Every image by SHA-256, additions not yet shown included: finding one costs O(1). */
  readonly #index = new Map<string, ImageRecord>();
  /** Added or replaced since the list last took them (applied together by #applyPending). */
  #added: ImageRecord[] = [];
  readonly #replaced = new Map<string, ImageRecord>();
  #isApplyScheduled = false;
  #listingSaveTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest change not in the saved listing was made. */
  #listingStaleSince: number | undefined;
  readonly #store: LibraryStore;
  readonly #schedule: BatchScheduler;

  constructor(store: LibraryStore, schedule: BatchScheduler = nextFrame) {
    this.#store = store;
    this.#schedule = schedule;
  }

  get images() { return this.#images; }
  /** Every version, as a list: built when read after a change, so read it for actions, not per row. */
  get results(): readonly ResultRecord[] { return this.#resultList; }
  readonly #resultList = $derived.by(() => {
    void this.#revision;
    return [...this.#byKey.values()];
  });
  /** How many preferred texts (one per image and task) nobody has checked yet: what the Review button counts. */
  get unreviewedCount(): number {
    void this.#revision;
    return this.#unreviewed;
  }
  /** How many versions the library holds. */
  get resultCount(): number {
    void this.#revision;
    return this.#byKey.size;
  }
  /** The models the results name, sorted; changes only when a model first appears or its last result goes. */
  get resultModels(): readonly string[] { return this.#models; }
  /** The tasks the results belong to, sorted. */
  get resultTaskIds(): readonly string[] { return this.#taskIds; }
  get rejected() { return this.#rejected; }
  /** Dropped PDFs and decks; their pages and pictures are in `images`. */
  get documents() { return this.#documents; }
  get isLoaded() { return this.#isLoaded; }
  /** The image shown in the detail view. */
  get focused() { return this.#focused; }
  /** Images ticked for export or copy. */
  get selected() { return this.#selected; }

  /** Results per image, newest first; an image's list is replaced (never changed) when one of its versions is. */
  get resultsByImage(): ReadonlyMap<string, readonly ResultRecord[]> { return this.#versionsView; }

  /** Each image's preferred version of each task, the task worked on last first (what lists, search, copy and export use). */
  get preferredByImage(): ReadonlyMap<string, readonly ResultRecord[]> { return this.#preferredView; }

  /**
   * The same as preferredByImage, for readers of every image (filters, the review queue): one
   * dependency that changes with any result, instead of one per image read.
   */
  get allPreferredByImage(): ReadonlyMap<string, readonly ResultRecord[]> {
    void this.#revision;
    return this.#preferredOf;
  }

  /** Images newest first, as the list shows them. */
  readonly orderedImages = $derived([...this.#images].reverse());

  /** Read the library from disk: metadata and texts only, never image bytes. */
  async load(): Promise<void> {
    const documents = this.#store.listDocuments();
    // The list first, from the one-piece listing when it holds as many images as are stored
    // (10,000 records read one by one take about ten times as long, and even reading their keys
    // costs the backend some 60 ms). The records themselves, which may be newer than the listing
    // and tell exactly which images are stored, and the texts are read once the list is painted.
    const listing = await this.#readListing();
    const listed = listing ?? (await this.#store.listImages());
    const loaded = listed.filter((i) => !this.#index.has(i.sha256));
    for (const image of loaded) this.#index.set(image.sha256, image);
    this.#images = [...loaded, ...this.#images].sort(byOldestAdded);
    this.#isLoaded = true;
    await afterNextPaint();
    if (listing) this.#refreshListed(listing, await this.#store.listImages());
    this.#replaceResults(await this.#store.listResults());
    void this.search.load([...this.#preferredOf.values()].flat());
    this.#documents = mergeById(await documents, this.#documents);
    // No listing matched: the next load has one.
    if (!listing) this.#scheduleListingSave(0);
  }

  /**
   * The saved listing, if it holds as many images as are stored now (another version or tab may
   * have changed them): a count costs the backend about a millisecond where the keys cost 60.
   * Which images it names is checked against the records right after the paint.
   */
  async #readListing(): Promise<ImageRecord[] | undefined> {
    const { listing, count } = await this.#store.readImageListing();
    if (!listing || listing.length !== count) return undefined;
    return new Set(listing.map((i) => i.sha256)).size === count ? listing : undefined;
  }

  /**
   * Make the list shown from the listing what is stored: newer records replace the listing's
   * copies, records it missed are added, images no longer stored go. An image this tab has
   * changed or dropped since the listing was read is left as it is now.
   */
  #refreshListed(listing: readonly ImageRecord[], records: readonly ImageRecord[]): void {
    const stored = new Map(records.map((r) => [r.sha256, r]));
    const listed = new Set<string>();
    const gone = new Set<string>();
    let isChanged = false;
    for (const old of listing) {
      listed.add(old.sha256);
      if (this.#index.get(old.sha256) !== old) continue;
      const fresh = stored.get(old.sha256);
      if (!fresh) gone.add(old.sha256);
      if (!fresh || JSON.stringify(fresh) === JSON.stringify(old)) continue;
      this.#index.set(fresh.sha256, fresh);
      this.#replaced.set(fresh.sha256, fresh);
      isChanged = true;
    }
    for (const record of records) {
      if (listed.has(record.sha256) || this.#index.has(record.sha256)) continue;
      this.#index.set(record.sha256, record);
      this.#added.push(record);
      isChanged = true;
    }
    this.forgetImages(gone);
    if (!isChanged) return;
    this.#scheduleApply();
    this.#scheduleListingSave(0);
  }

  /** Save the list in one piece once its changes pause (a drop of 10,000 files saves it a few times, not every second). */
  #scheduleListingSave(delayMs = LISTING_SAVE_DELAY_MS): void {
    const now = Date.now();
    this.#listingStaleSince ??= now;
    clearTimeout(this.#listingSaveTimer);
    this.#listingSaveTimer = setTimeout(() => {
      this.#listingSaveTimer = undefined;
      this.#listingStaleSince = undefined;
      // Only a hint for the next load, which checks it against the stored keys: a failed save costs speed, not data.
      void this.#store.saveImageListing(this.#images).catch(() => {});
    }, Math.max(0, Math.min(delayMs, this.#listingStaleSince + LISTING_SAVE_MAX_WAIT_MS - now)));
  }

  /** Keep a document's record and show it; its pages or pictures are added as images. */
  async addDocument(document: DocumentRecord): Promise<void> {
    await this.#store.saveDocument(document);
    this.#documents = mergeById([document], this.#documents);
  }

  /** The document with this id, if any. */
  documentById(id: string): DocumentRecord | undefined {
    return this.#documents.find((d) => d.id === id);
  }

  /** The image with this SHA-256, if any (just-added ones included). */
  imageBySha(sha256: string): ImageRecord | undefined {
    // Read the list so a reactive caller sees the record change when the list takes it.
    void this.#images;
    return this.#index.get(sha256);
  }

  /** Whether this image still waits for its one decode (no thumbnail or preview yet). */
  needsViews(sha256: string): boolean {
    return this.#index.get(sha256)?.isDecoded === false;
  }

  /** Whether a model's text for this job was saved after it was queued (its job record may outlive it). */
  hasAnswerTo(job: Pick<JobRecord, 'key' | 'sha256' | 'queuedAt'>): boolean {
    return (this.#versionsOf.get(job.sha256) ?? []).some((v) => v.jobKey === job.key && v.author === 'model' && v.createdAt >= job.queuedAt);
  }

  /** Call `listener` after each change this tab makes; returns a function that stops it. */
  onChange(listener: (change: LibraryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(change: LibraryChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  /** Add (or refresh) an image record already saved to disk. */
  addImage(record: ImageRecord): void {
    this.addImages([record]);
  }

  /** Add image records already saved to disk; the list shows them with the next batch, O(1) each. */
  addImages(records: Iterable<ImageRecord>): void {
    const changed: string[] = [];
    for (const record of records) {
      if (this.#index.has(record.sha256)) this.#replaced.set(record.sha256, record);
      else this.#added.push(record);
      this.#index.set(record.sha256, record);
      changed.push(record.sha256);
    }
    this.#scheduleApply();
    if (changed.length > 0) this.#changed({ images: changed });
  }

  /** Store the views made by an image's decode and show its thumbnail. */
  async saveViews(sha256: string, views: DecodedViews): Promise<void> {
    const record = await this.#store.saveViews(sha256, views);
    if (record && this.#index.has(sha256)) this.addImages([record]);
  }

  /** Keep an image's own context (added to its prompt) and whether it is decorative (its alt text exported empty). */
  async saveImageNotes(sha256: string, notes: Pick<ImageRecord, 'context' | 'isDecorative'>): Promise<void> {
    const record = await this.#store.saveImageNotes(sha256, notes);
    if (record && this.#index.has(sha256)) this.addImages([record]);
  }

  #scheduleApply(): void {
    if (this.#isApplyScheduled) return;
    this.#isApplyScheduled = true;
    this.#schedule(() => this.#applyPending());
  }

  /** One copy of the list for everything added or replaced since the last batch. */
  #applyPending(): void {
    this.#isApplyScheduled = false;
    const replaced = this.#replaced;
    const latest = (i: ImageRecord) => replaced.get(i.sha256) ?? i;
    let images = replaced.size > 0 ? this.#images.map(latest) : this.#images;
    if (this.#added.length > 0) {
      const added = this.#added.map(latest);
      const last = images[images.length - 1];
      const isInOrder = added.every((image, i) => image.addedAt >= ((i > 0 ? added[i - 1] : last)?.addedAt ?? -Infinity));
      images = images.concat(added);
      // An import brings older images: only then is the list sorted again.
      if (!isInOrder) images.sort(byOldestAdded);
    }
    replaced.clear();
    this.#added = [];
    if (images === this.#images) return;
    this.#images = images;
    this.#scheduleListingSave();
  }

  /** Put a saved version in place of any with the same key (a new version is added). */
  putResult(result: ResultRecord): void {
    this.putResults([result]);
  }

  /** Put many saved versions in place (a run, an edit, an import, another tab's change): each touches only its image. */
  putResults(results: readonly ResultRecord[]): void {
    const touched = new Map<string, Set<string>>();
    for (const result of results) {
      const old = this.#byKey.get(result.key);
      if (old) this.#removeVersion(old, touched);
      this.#byKey.set(result.key, result);
      this.#count(result, 1);
      this.#versionsOf.set(result.sha256, withVersion(this.#versionsOf.get(result.sha256) ?? [], result));
      noteTask(touched, result);
    }
    this.#publish(touched);
    if (results.length > 0) this.#changed({ results: [...new Set(results.map((r) => r.key))] });
  }

  /** Every result read from disk in place of those in memory (a load, or another tab replaced the library). */
  #replaceResults(results: readonly ResultRecord[]): void {
    // Which texts are preferred may differ anywhere: the caller indexes the new ones.
    this.search.clear();
    this.#byKey.clear();
    this.#versionsOf.clear();
    this.#preferredOf.clear();
    this.#modelCounts.clear();
    this.#taskCounts.clear();
    this.#unreviewed = 0;
    const byImage = new Map<string, ResultRecord[]>();
    for (const result of results) this.#byKey.set(result.key, result);
    for (const result of this.#byKey.values()) {
      this.#count(result, 1);
      const versions = byImage.get(result.sha256);
      if (versions) versions.push(result);
      else byImage.set(result.sha256, [result]);
    }
    for (const [sha256, versions] of byImage) {
      versions.sort(newestFirst);
      this.#setImage(sha256, versions, false);
    }
    this.#versionsView = new SvelteMap(this.#versionsOf);
    this.#preferredView = new SvelteMap(this.#preferredOf);
    this.#afterChange();
  }

  /** Take a version out of its image's list (the caller publishes the images touched). */
  #removeVersion(version: ResultRecord, touched: Map<string, Set<string>>): void {
    this.#byKey.delete(version.key);
    this.#count(version, -1);
    const rest = (this.#versionsOf.get(version.sha256) ?? []).filter((v) => v.key !== version.key);
    if (rest.length > 0) this.#versionsOf.set(version.sha256, rest);
    else this.#versionsOf.delete(version.sha256);
    noteTask(touched, version);
  }

  #count(result: ResultRecord, change: 1 | -1): void {
    if (change > 0) {
      this.#modelCounts.add(result.model);
      this.#taskCounts.add(result.taskId);
    } else {
      this.#modelCounts.remove(result.model);
      this.#taskCounts.remove(result.taskId);
    }
  }

  /** Show the touched images' new lists and preferred versions, and search each touched task's preferred text. */
  #publish(touched: ReadonlyMap<string, ReadonlySet<string>>): void {
    for (const [sha256, taskIds] of touched) {
      const versions = this.#versionsOf.get(sha256) ?? [];
      const wasPreferred = new Set(this.#preferredOf.get(sha256));
      this.#setImage(sha256, versions);
      for (const taskId of taskIds) {
        const group = versions.filter((v) => v.taskId === taskId);
        const preferred = pickPreferredVersion(group);
        this.search.remove(group.filter((v) => v !== preferred).map((v) => v.key));
        // The same record preferred as before is indexed already.
        if (preferred && !wasPreferred.has(preferred)) this.search.put(preferred);
      }
    }
    this.#afterChange();
  }

  /**
   * One image's versions (newest first) and its preferred ones, in the plain maps and, unless
   * `isShown` is false (a caller replacing the reactive maps whole), in the reactive ones.
   */
  #setImage(sha256: string, versions: readonly ResultRecord[], isShown = true): void {
    const before = this.#preferredOf.get(sha256) ?? [];
    if (versions.length === 0) {
      this.#unreviewed -= countUnreviewed(before);
      this.#versionsOf.delete(sha256);
      this.#preferredOf.delete(sha256);
      if (!isShown) return;
      this.#versionsView.delete(sha256);
      this.#preferredView.delete(sha256);
      return;
    }
    this.#versionsOf.set(sha256, versions);
    if (isShown) this.#versionsView.set(sha256, versions);
    const preferred = listPreferredVersions(versions);
    // Rows and filters read an image's preferred list: an unchanged one is not replaced.
    if (isSameList(this.#preferredOf.get(sha256), preferred)) return;
    this.#unreviewed += countUnreviewed(preferred) - countUnreviewed(before);
    this.#preferredOf.set(sha256, preferred);
    if (isShown) this.#preferredView.set(sha256, preferred);
  }

  /** Tell whole-set readers, and the model and task lists when a name came or went. */
  #afterChange(): void {
    this.#revision++;
    const models = this.#modelCounts.names();
    if (!isSameList(this.#models, models)) this.#models = models;
    const taskIds = this.#taskCounts.names();
    if (!isSameList(this.#taskIds, taskIds)) this.#taskIds = taskIds;
  }

  /** Drop an image and its results from memory only (another tab deleted them from disk). */
  forgetImage(sha256: string): void {
    this.forgetImages(new Set([sha256]));
  }

  /** Drop images and their results from memory only, in one pass over the list. */
  forgetImages(sha256s: ReadonlySet<string>): void {
    if (sha256s.size === 0) return;
    for (const sha256 of sha256s) this.#forgetPending(sha256);
    this.#images = this.#images.filter((i) => !sha256s.has(i.sha256));
    this.#scheduleListingSave();
    this.#forgetResultsOf(sha256s);
    if (this.#focused !== undefined && sha256s.has(this.#focused)) this.#focused = undefined;
    if ([...sha256s].some((sha256) => this.#selected.has(sha256))) this.#selected = withRange(this.#selected, [...sha256s], false);
  }

  /** The index and the additions not yet shown forget an image. */
  #forgetPending(sha256: string): void {
    this.#index.delete(sha256);
    this.#added = this.#added.filter((i) => i.sha256 !== sha256);
    this.#replaced.delete(sha256);
  }

  /** Every version of these images gone from memory and search. */
  #forgetResultsOf(sha256s: Iterable<string>): void {
    const keys: string[] = [];
    for (const sha256 of sha256s) {
      for (const version of this.#versionsOf.get(sha256) ?? []) {
        this.#byKey.delete(version.key);
        this.#count(version, -1);
        keys.push(version.key);
      }
      this.#setImage(sha256, []);
    }
    if (keys.length === 0) return;
    this.search.remove(keys);
    this.#afterChange();
  }

  /** Drop a result from memory only (another tab deleted it from disk). */
  forgetResult(key: string): void {
    const gone = this.#byKey.get(key);
    if (!gone) return;
    const touched = new Map<string, Set<string>>();
    this.#removeVersion(gone, touched);
    this.search.remove([key]);
    // Another version of its task may be preferred now.
    this.#publish(touched);
  }

  /** Show files that could not be read, with their reasons. */
  reject(...files: RejectedFile[]): void {
    if (files.length > 0) this.#rejected = [...this.#rejected, ...files];
  }

  dismissRejected(id?: string): void {
    this.#rejected = id ? this.#rejected.filter((r) => r.id !== id) : [];
  }

  focus(sha256: string | undefined): void {
    this.#focused = sha256;
  }

  /** Tick or untick one image; it becomes the anchor of the next range. */
  toggleSelected(sha256: string): void {
    const next = new Set(this.#selected);
    if (!next.delete(sha256)) next.add(sha256);
    this.#selected = next;
    this.#anchor = sha256;
  }

  /** Give every image from the anchor to this one (in `order`, the list as shown) this one's new tick. */
  toggleRangeTo(sha256: string, order: readonly string[]): void {
    const isSelected = !this.#selected.has(sha256);
    this.#selected = withRange(this.#selected, rangeBetween(order, this.#anchor, sha256), isSelected);
    this.#anchor = sha256;
  }

  /** Select exactly these images. */
  setSelection(sha256s: Iterable<string>): void {
    this.#selected = new Set(sha256s);
  }

  /** One image's tasks, the one worked on last first, each with its versions. */
  tasksOf(sha256: string): TaskVersions[] {
    const groups = groupVersionsByTask(this.#versionsView.get(sha256) ?? []);
    return (this.preferredByImage.get(sha256) ?? []).map((preferred) => {
      const versions = groups.get(preferred.taskId) ?? [preferred];
      return { taskId: preferred.taskId, versions, preferred, shown: listShownVersions(versions) };
    });
  }

  /** One image's versions of one task, newest first. */
  versionsOf(sha256: string, taskId: string): ResultRecord[] {
    return (this.#versionsView.get(sha256) ?? []).filter((v) => v.taskId === taskId);
  }

  /** The word differences from one version's text to another's; undefined if either is gone. */
  diffVersions(fromKey: string, toKey: string): DiffPart[] | undefined {
    const from = this.#byKey.get(fromKey);
    const to = this.#byKey.get(toKey);
    return from && to ? diffTexts(from.text, to.text) : undefined;
  }

  /** When a person's choice of a version of this one's task is made now (later than any before). */
  #choiceTime(version: ResultRecord): number {
    return nextChoiceTime(this.versionsOf(version.sha256, version.taskId), Date.now());
  }

  /** Make this version the one its image uses for its task (the person's own choice, kept until they choose again). */
  async preferVersion(key: string): Promise<boolean> {
    const existing = this.#byKey.get(key);
    if (!existing) return false;
    this.putResult(await this.#store.saveResult({ ...existing, preferredAt: this.#choiceTime(existing) }));
    return true;
  }

  /**
   * Save the person's text as a new version edited from this one, and prefer it; no version is
   * replaced, and no model run displaces it. Resolves false when it could not be saved:
   * `editErrorFor(key)` then says why, and the caller keeps the text in the editor so it is not lost.
   */
  async editResult(key: string, text: string): Promise<boolean> {
    const existing = this.#byKey.get(key);
    if (!existing) {
      this.#setEditError(key, 'Your edit was not saved: this result no longer exists.');
      return false;
    }
    const createdAt = Date.now();
    // A person's text is whole, theirs and unchecked: it inherits none of the model's marks or metrics.
    const edited: ResultRecord = {
      ...existing,
      key: versionKey(existing.jobKey, createdAt),
      text,
      author: 'person',
      editedFrom: existing.key,
      preferredAt: this.#choiceTime(existing),
      createdAt,
      isTruncated: undefined, needsReview: undefined, reviewReason: undefined, verifiedAt: undefined,
      metrics: undefined, confidence: undefined, engine: undefined, modelDigest: undefined,
    };
    try {
      await this.#store.saveResult(edited);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#setEditError(key, `Your edit was not saved: ${reason} Your text is still in the editor.`);
      return false;
    }
    this.#setEditError(key, '');
    this.putResult(edited);
    return true;
  }

  /** Mark a version as checked by a person and right, which makes it preferred; resolves false when it no longer exists. */
  async verifyResult(key: string): Promise<boolean> {
    const existing = this.#byKey.get(key);
    if (!existing) return false;
    const verified: ResultRecord = { ...existing, verifiedAt: Date.now(), preferredAt: this.#choiceTime(existing), needsReview: undefined, reviewReason: undefined };
    const stored = await this.#store.saveResult(verified);
    this.putResult(stored);
    return true;
  }

  /** Why the last edit of this result was not saved; empty when it was (or none failed). */
  editErrorFor(key: string): string {
    return this.#editErrors.get(key) ?? '';
  }

  /** Forget a failed edit's message, when the person gives up the edit. */
  dismissEditError(key: string): void {
    this.#setEditError(key, '');
  }

  #setEditError(key: string, message: string): void {
    if (!message && !this.#editErrors.has(key)) return;
    const next = new Map(this.#editErrors);
    if (message) next.set(key, message);
    else next.delete(key);
    this.#editErrors = next;
  }

  /** Delete one version (the others of its task stay). */
  async deleteResult(key: string): Promise<void> {
    await this.#store.deleteResult(key);
    this.forgetResult(key);
    this.#changed({ results: [key] });
  }

  /** Remove an image and all it has; queued work for it must be cancelled first. */
  async deleteImage(sha256: string, jobKeys: string[]): Promise<void> {
    const keys = (this.#versionsOf.get(sha256) ?? []).map((r) => r.key);
    await this.#store.deleteImage(sha256, keys, jobKeys);
    this.forgetImage(sha256);
    this.#changed({ images: [sha256] });
  }

  /** Remove many images and all they have; queued work for them must be cancelled first. */
  async deleteImages(sha256s: ReadonlySet<string>, jobKeys: string[]): Promise<void> {
    const keys = [...sha256s].flatMap((sha256) => (this.#versionsOf.get(sha256) ?? []).map((r) => r.key));
    await this.#store.deleteImages([...sha256s], keys, jobKeys);
    this.forgetImages(sha256s);
    if (sha256s.size > 0) this.#changed({ images: [...sha256s] });
  }

  async clear(): Promise<void> {
    await this.#store.clearLibrary();
    this.#index.clear();
    this.#added = [];
    this.#replaced.clear();
    this.#images = [];
    this.#replaceResults([]);
    this.#documents = [];
    this.search.clear();
    this.#selected = new Set();
    this.#focused = undefined;
    this.#changed({ isReplaced: true });
  }
}
