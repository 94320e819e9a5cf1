// What the list shows of the library: the filter (status, model, task, search), the images it
// leaves in list order with a count per status, and selection in terms of what is shown.
import { filterImages, statusBitsOf, type FilterScope, type JobFacts, type LibraryFilter, type StatusFilter } from '../lib/library/filter.ts';
import type { LibraryState } from './library.svelte.ts';
import type { QueueState } from './queue.svelte.ts';

/** What LibraryViewState reads; tests pass fakes. */
export interface LibraryViewDeps {
  library: LibraryState;
  queue: Pick<QueueState, 'jobs'>;
}

/** The filtered list and selecting within it. */
export class LibraryViewState {
  // Kept apart so typing a query does not work out every image's statuses again.
  #status = $state<StatusFilter>('all');
  #scope = $state.raw<FilterScope>({ model: '', taskId: '' });
  #query = $state('');
  readonly #deps: LibraryViewDeps;

  constructor(deps: LibraryViewDeps) {
    this.#deps = deps;
  }

  /** What the list is narrowed to. */
  readonly filter: LibraryFilter = $derived({ status: this.#status, ...this.#scope, query: this.#query });
  /** True when anything narrows the list. */
  get isFiltered(): boolean {
    return this.#status !== 'all' || this.#scope.model !== '' || this.#scope.taskId !== '' || this.#query.trim() !== '';
  }

  /** Each image's runs still in the queue (queued, running or failed). */
  readonly #jobsByImage = $derived.by(() => {
    const map = new Map<string, JobFacts[]>();
    for (const run of this.#deps.queue.jobs) {
      const facts = { model: run.job.model, taskId: run.job.taskId, isFailed: run.isFailed };
      const list = map.get(run.job.sha256);
      if (list) list.push(facts);
      else map.set(run.job.sha256, [facts]);
    }
    return map;
  });

  /** Each image's statuses under the model and task filter, in list order, from its preferred versions. */
  readonly #bits = $derived.by(() => {
    const { library } = this.#deps;
    return statusBitsOf({ images: library.orderedImages, resultsByImage: library.allPreferredByImage, jobsByImage: this.#jobsByImage }, this.#scope);
  });

  readonly #filtered = $derived.by(() => {
    const { library } = this.#deps;
    const source = { images: library.orderedImages, resultsByImage: library.allPreferredByImage, jobsByImage: this.#jobsByImage, findText: (term: string) => library.search.findText(term) };
    return filterImages(source, this.filter, this.#bits);
  });

  /** The images the list shows, in list order. */
  get shown() { return this.#filtered.shown; }
  /** How many images each status would show, with the other filters applied. */
  get counts(): Record<StatusFilter, number> { return this.#filtered.counts; }
  /** Every image in the library. */
  get total(): number { return this.#deps.library.images.length; }

  /** Models with a result or a run in the library, by name. */
  readonly models = $derived.by(() => {
    const names = new Set(this.#deps.library.resultModels);
    for (const run of this.#deps.queue.jobs) names.add(run.job.model);
    return [...names].sort();
  });

  /** Tasks with a result or a run in the library. */
  readonly taskIds = $derived.by(() => {
    const ids = new Set(this.#deps.library.resultTaskIds);
    for (const run of this.#deps.queue.jobs) ids.add(run.job.taskId);
    return [...ids].sort();
  });

  /** Selected images the filter hides (they still count for export, run and delete). */
  readonly hiddenSelectedCount = $derived.by(() => {
    const { selected } = this.#deps.library;
    if (selected.size === 0) return 0;
    let shownSelected = 0;
    for (const image of this.#filtered.shown) if (selected.has(image.sha256)) shownSelected++;
    return selected.size - shownSelected;
  });

  setStatus(status: StatusFilter): void { this.#status = status; }
  setModel(model: string): void { this.#scope = { ...this.#scope, model }; }
  setTask(taskId: string): void { this.#scope = { ...this.#scope, taskId }; }
  setQuery(query: string): void { this.#query = query; }
  /** Show everything again. */
  resetFilter(): void {
    this.#status = 'all';
    this.#scope = { model: '', taskId: '' };
    this.#query = '';
  }

  /** Shift-click: tick or untick every shown image between the last one ticked and this one. */
  toggleRangeTo(sha256: string): void {
    this.#deps.library.toggleRangeTo(sha256, this.#filtered.shown.map((i) => i.sha256));
  }

  /** Select exactly the images the filter shows, or (false) untick them all. */
  selectAllShown(isSelected = true): void {
    const { library } = this.#deps;
    if (isSelected) library.setSelection(this.#filtered.shown.map((i) => i.sha256));
    else {
      const shown = new Set(this.#filtered.shown.map((i) => i.sha256));
      library.setSelection([...library.selected].filter((sha256) => !shown.has(sha256)));
    }
  }

  clearSelection(): void {
    this.#deps.library.setSelection([]);
  }
}
