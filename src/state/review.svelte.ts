// The review session: a person goes through results one by one, least certain first (or in the
// list's order), accepting, correcting, skipping or re-running each. The order is built once when
// the session opens, so texts arriving meanwhile do not move what is under the person's eyes.
import type { ImageRecord, ResultRecord } from '../lib/library/types.ts';
import { confidenceOf, countReviewed, describeProgress, firstUnreviewed, orderByCertainty, orderByList, type ReviewOrder } from '../lib/review/order.ts';
import type { LibraryState } from './library.svelte.ts';
import type { LibraryViewState } from './library-view.svelte.ts';

/** What ReviewState reads and calls; tests pass fakes. */
export interface ReviewDeps {
  library: Pick<LibraryState, 'results' | 'resultsByImage' | 'allPreferredByImage' | 'unreviewedCount' | 'imageBySha' | 'verifyResult' | 'editResult' | 'dismissEditError'>;
  listView: Pick<LibraryViewState, 'shown' | 'filter'>;
  /** Ask the chosen task of this image again (what the detail view's Run again does). */
  rerun: (sha256: string) => Promise<void>;
}

/** One review session at a time, opened from the main view. */
export class ReviewState {
  #isOpen = $state(false);
  #order = $state<ReviewOrder>('least-certain');
  #keys = $state.raw<readonly string[]>([]);
  #index = $state(0);
  #isEditing = $state(false);
  #draft = $state('');
  #announcement = $state('');
  #isBusy = $state(false);
  readonly #deps: ReviewDeps;

  constructor(deps: ReviewDeps) {
    this.#deps = deps;
  }

  /**
   * What is reviewed is an image's text for a task: its preferred version. An edit or a choice adds
   * or picks another version, so the session's keys name the image and task, not a version.
   */
  readonly #preferred = $derived.by(() => [...this.#deps.library.allPreferredByImage.values()].flat());

  /** Every image-and-task's preferred version by its key, for O(1) lookups while the person moves through thousands. */
  readonly #byKey = $derived.by(() => new Map(this.#preferred.map((r) => [taskKeyOf(r), r])));

  /** Preferred texts nobody has checked yet: what the Review button counts. */
  get toReviewCount(): number { return this.#deps.library.unreviewedCount; }

  get isOpen() { return this.#isOpen; }
  get order() { return this.#order; }
  /** How many texts the session holds. */
  get total() { return this.#keys.length; }
  /** The position shown, from 0. */
  get index() { return this.#index; }
  get isEditing() { return this.#isEditing; }
  /** The text being edited. */
  get draft() { return this.#draft; }
  set draft(text: string) { this.#draft = text; }
  /** The last thing done or reached, for the live region. */
  get announcement() { return this.#announcement; }
  /** True while an action is being saved; actions meanwhile are ignored, so a held key does not skip texts. */
  get isBusy() { return this.#isBusy; }

  /** The text under review, or undefined when the queue is empty or it was deleted meanwhile. */
  get current(): ResultRecord | undefined {
    return this.#byKey.get(this.#keys[this.#index] ?? '');
  }

  /** The engine's confidence in the current text, 0–1, when it gave one. */
  get confidence(): number | undefined {
    const result = this.current;
    return result && confidenceOf(result);
  }

  /** The current text's image. */
  get image(): ImageRecord | undefined {
    const result = this.current;
    return result && this.#deps.library.imageBySha(result.sha256);
  }

  /** The next text's image, loaded ahead so moving on shows it at once. */
  get nextImage(): ImageRecord | undefined {
    const next = this.#byKey.get(this.#keys[this.#index + 1] ?? '');
    return next && next.sha256 !== this.current?.sha256 ? this.#deps.library.imageBySha(next.sha256) : undefined;
  }

  /** How many texts of this session a person has checked. */
  readonly reviewedCount = $derived.by(() => countReviewed(this.#keys, this.#byKey));
  /** "312 of 9,000 reviewed". */
  get progressLabel(): string { return describeProgress(this.reviewedCount, this.total); }
  /** "Text 3 of 9,000". */
  get positionLabel(): string {
    return this.total === 0 ? 'Nothing to review' : `Text ${(this.#index + 1).toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')}`;
  }

  /** Start a session in this order at the first text not yet reviewed. */
  open(order: ReviewOrder = this.#order): void {
    this.#isOpen = true;
    this.setOrder(order);
  }

  /** Leave the session; what was done is kept. */
  close(): void {
    this.#stopEditing();
    this.#isOpen = false;
    this.#keys = [];
    this.#announcement = '';
  }

  /** Order the session anew and go to its first text not yet reviewed. */
  setOrder(order: ReviewOrder): void {
    this.#stopEditing();
    this.#order = order;
    this.#keys = this.#buildOrder(order);
    this.#index = firstUnreviewed(this.#keys, this.#byKey);
    this.#announcement = this.total === 0 ? 'Nothing to review.' : this.#where();
  }

  #buildOrder(order: ReviewOrder): string[] {
    const { library, listView } = this.#deps;
    const byVersion = new Map(this.#preferred.map((r) => [r.key, taskKeyOf(r)]));
    const keys = order === 'list'
      ? orderByList(listView.shown, library.allPreferredByImage, listView.filter)
      : orderByCertainty(this.#preferred, order === 'least-certain-unknown-first');
    return keys.map((key) => byVersion.get(key) ?? key);
  }

  /** Move to the next text. */
  next(done = ''): void {
    if (this.#isBusy) return;
    this.#stopEditing();
    if (this.#index + 1 >= this.total) {
      this.#announcement = `${done}End of the queue. ${this.progressLabel}.`;
      return;
    }
    this.#index++;
    this.#announcement = done + this.#where();
  }

  /** Move to the previous text. */
  previous(): void {
    if (this.#isBusy) return;
    this.#stopEditing();
    if (this.#index === 0) {
      this.#announcement = `Start of the queue. ${this.#where()}`;
      return;
    }
    this.#index--;
    this.#announcement = this.#where();
  }

  /** Mark the text as checked and right, then move on. */
  async accept(): Promise<void> {
    const result = this.current;
    if (!result || this.#isBusy) return;
    const isSaved = await this.#whileBusy(() => this.#deps.library.verifyResult(result.key));
    this.next(isSaved ? `Accepted ${this.#nameOf(result)}. ` : `${this.#nameOf(result)} is gone. `);
  }

  /** Go on without changing anything. */
  skip(): void {
    if (this.total > 0 && !this.#isBusy) this.next(`Skipped ${this.#nameOf(this.current)}. `);
  }

  /** Queue the image to be read again, then move on. */
  async reject(): Promise<void> {
    const result = this.current;
    if (!result || this.#isBusy) return;
    await this.#whileBusy(() => this.#deps.rerun(result.sha256));
    this.next(`Sent ${this.#nameOf(result)} to be read again. `);
  }

  /** Open the current text for editing in place. */
  startEdit(): void {
    const result = this.current;
    if (!result || this.#isBusy) return;
    this.#draft = result.text;
    this.#isEditing = true;
    this.#announcement = `Editing the text of ${this.#nameOf(result)}.`;
  }

  /** Save the edited text as the person's own and move on; a failed save keeps the editor open. */
  async saveEdit(): Promise<void> {
    const result = this.current;
    if (!result || !this.#isEditing || this.#isBusy) return;
    if (await this.#whileBusy(() => this.#deps.library.editResult(result.key, this.#draft))) this.next(`Saved your text for ${this.#nameOf(result)}. `);
  }

  /** Give up the edit; the text stays as it was. */
  cancelEdit(): void {
    this.#stopEditing();
    this.#announcement = 'Edit cancelled.';
  }

  #stopEditing(): void {
    const key = this.current?.key;
    if (this.#isEditing && key) this.#deps.library.dismissEditError(key);
    this.#isEditing = false;
  }

  async #whileBusy<T>(action: () => Promise<T>): Promise<T> {
    this.#isBusy = true;
    try {
      return await action();
    } finally {
      this.#isBusy = false;
    }
  }

  #nameOf(result: ResultRecord | undefined): string {
    return (result && this.#deps.library.imageBySha(result.sha256)?.name) ?? 'this text';
  }

  /** Where the person now is: "Text 3 of 9,000: scan.png. 2 of 9,000 reviewed." */
  #where(): string {
    return `${this.positionLabel}: ${this.#nameOf(this.current)}. ${this.progressLabel}.`;
  }
}

/** One image's text for one task, whichever version is preferred. */
function taskKeyOf(result: ResultRecord): string {
  return `${result.sha256}\n${result.taskId}`;
}
