// The presets the user owns: built-ins they may edit and reset, presets of their own, and the
// presets file to export and import. Everything is kept in settings (`presets`).
import { downloadBlob } from '../lib/share/download.ts';
import { PresetFileError, copyPresetAside, parsePresetsFile, planPresetImport, readPreset, serializePresets, type PresetImportPlan } from '../lib/tasks/preset-file.ts';
import { BUILT_IN_PRESETS, findBuiltInPreset, findPreset, mergePresets, type TaskPreset } from '../lib/tasks/presets.ts';
import type { SettingsState } from './settings.svelte.ts';

/** A plain copy of reactive state; Svelte's Snapshot type loses `unknown` values, so the type is kept as is. */
function plain<T>(value: T): T {
  return $state.snapshot(value) as T;
}

/** The name of an exported presets file. */
export const PRESETS_FILE_NAME = 'lenscribe-presets.json';

/** An import waiting for the user's word, because it would replace presets they have. */
export interface PendingPresetImport {
  plan: PresetImportPlan;
}

/** The user's presets and what can be done with them. */
export class PresetsState {
  readonly #settings: SettingsState;
  #pending = $state.raw<PendingPresetImport | undefined>(undefined);
  #message = $state('');
  /** Every preset the picker offers: built-ins (edited or not), then the user's own. */
  readonly list = $derived.by(() => mergePresets(this.#settings.presets));

  constructor(settings: SettingsState) {
    this.#settings = settings;
  }

  /** An import that would replace presets, waiting for the user to say how. */
  get pendingImport() { return this.#pending; }
  /** What the last save, import or export did, or why it could not. */
  get message() { return this.#message; }

  /** The preset with this id, or the first one. */
  find(id: string): TaskPreset {
    return findPreset(this.list, id);
  }

  /** True for a preset Lenscribe ships (it can be reset, not deleted). */
  isBuiltIn(id: string): boolean {
    return findBuiltInPreset(id) !== undefined;
  }

  /** True for a built-in the user changed. */
  isEdited(id: string): boolean {
    return this.isBuiltIn(id) && this.#settings.presets.some((p) => p.id === id);
  }

  /** True when replies of this task are alt text (checked for length and opening; "decorative" empties them). */
  isAltText(taskId: string): boolean {
    return this.list.find((p) => p.id === taskId)?.isAltText === true;
  }

  /** Save an edited or new preset; returns why it cannot be saved, or '' when saved. */
  save(preset: TaskPreset): string {
    let checked: TaskPreset;
    try {
      checked = readPreset(plain(preset), 'The preset');
    } catch (error) {
      return error instanceof PresetFileError ? error.message : String(error);
    }
    this.#write([...this.#settings.presets.filter((p) => p.id !== checked.id), checked]);
    this.#message = `Saved "${checked.label}".`;
    return '';
  }

  /** A new preset of the user's, started from `from` (or "Describe the image"); not saved until edited and saved. */
  draftNew(from?: TaskPreset): TaskPreset {
    const base = plain(from ?? (BUILT_IN_PRESETS[1] as TaskPreset));
    const taken = new Set(this.list.map((p) => p.id));
    let n = 1;
    while (taken.has(`my-preset-${n}`)) n++;
    const draft: TaskPreset = { ...base, id: `my-preset-${n}`, label: from ? `${from.label} (copy)` : `My preset ${n}` };
    delete draft.isCustom;
    if (!draft.prompt) draft.prompt = 'Describe this image.';
    return draft;
  }

  /** Put a built-in back as Lenscribe ships it. */
  reset(id: string): void {
    this.#write(this.#settings.presets.filter((p) => p.id !== id));
    this.#message = `"${this.find(id).label}" is back to the built-in.`;
  }

  /** Delete one of the user's own presets; the task falls back to the first if it was chosen. */
  remove(id: string): void {
    if (this.isBuiltIn(id)) return;
    const label = this.find(id).label;
    this.#write(this.#settings.presets.filter((p) => p.id !== id));
    if (this.#settings.taskId === id) this.#settings.set('taskId', this.list[0]?.id ?? 'extract-markdown');
    this.#message = `Deleted "${label}".`;
  }

  /** The presets file's text: every preset, built-ins included, so the file says all. */
  exportText(): string {
    // A snapshot: settings hold the presets as reactive proxies, which structuredClone refuses.
    return serializePresets(plain(this.list));
  }

  /** Download the presets file. */
  download(): void {
    downloadBlob(new Blob([this.exportText()], { type: 'application/json' }), PRESETS_FILE_NAME);
    this.#message = `Exported ${this.list.length} presets as ${PRESETS_FILE_NAME}.`;
  }

  /** Read a presets file; new presets are added at once, ones that would replace the user's wait for their word. */
  async importFile(file: Blob): Promise<void> {
    this.importText(await file.text());
  }

  /** importFile for text already read. */
  importText(text: string): void {
    this.#pending = undefined;
    let incoming: TaskPreset[];
    try {
      incoming = parsePresetsFile(text);
    } catch (error) {
      this.#message = `Not imported: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    const plan = planPresetImport(plain(this.list), incoming);
    if (plan.conflicting.length > 0) {
      this.#pending = { plan };
      this.#message = '';
      return;
    }
    this.#apply(plan, 'replace');
  }

  /** Finish a pending import: replace the user's presets with the file's, or keep theirs and add the file's as copies. */
  finishImport(choice: 'replace' | 'copy' | 'cancel'): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending || choice === 'cancel') {
      this.#message = 'Import cancelled: your presets are unchanged.';
      return;
    }
    this.#apply(pending.plan, choice);
  }

  #apply(plan: PresetImportPlan, choice: 'replace' | 'copy'): void {
    const saved = plain(this.#settings.presets);
    const taken = new Set(this.list.map((p) => p.id));
    for (const preset of plan.added) saved.push(preset);
    for (const { incoming } of plan.conflicting) {
      if (choice === 'replace') {
        const at = saved.findIndex((p) => p.id === incoming.id);
        if (at >= 0) saved[at] = incoming;
        else saved.push(incoming);
      } else {
        const copy = copyPresetAside(incoming, taken);
        taken.add(copy.id);
        saved.push(copy);
      }
    }
    this.#write(saved);
    const parts = [`${plan.added.length} added`];
    if (plan.conflicting.length > 0) parts.push(`${plan.conflicting.length} ${choice === 'replace' ? 'replaced yours' : 'added as copies beside yours'}`);
    if (plan.unchanged.length > 0) parts.push(`${plan.unchanged.length} already the same`);
    this.#message = `Imported presets: ${parts.join(', ')}.`;
  }

  /** Keep only what differs from the built-ins, so a later Lenscribe's better built-in is not masked by an untouched copy. */
  #write(saved: TaskPreset[]): void {
    const kept = saved.filter((p) => {
      const builtIn = findBuiltInPreset(p.id);
      return !builtIn || planPresetImport([builtIn], [p]).unchanged.length === 0;
    });
    this.#settings.set('presets', kept);
  }
}
