// Which model reads new images, and which tasks it can do. While no Ollama answers, a new user's
// images are read by the built-in OCR, chosen for them; once Ollama answers with a vision model,
// new work goes to it. A model the user chose is never switched.
import { PDF_BLANK_PAGE_MODEL, PDF_TEXT_LAYER_MODEL, isPdfOwnText } from '../lib/documents/assemble.ts';
import { BUILTIN_OCR_LIMITS } from '../lib/engines/builtin-ocr/index.ts';
import { pickDefaultModel } from '../lib/ollama/models.ts';
import { findTask } from '../lib/tasks/presets.ts';
import type { ConnectionState } from './connection.svelte.ts';
import { OCR_MODEL, type EnginesState } from './engines.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** The one task the built-in OCR can do. */
export const OCR_TASK_ID = 'extract-markdown';

/** One entry of the model picker. */
export interface ModelOption {
  value: string;
  /** "gemma3:4b (4.3B, 2 servers)", "Built-in OCR (text only)". */
  label: string;
  /** Which servers have it. */
  title: string;
}

/** What ModelChoiceState works with; tests pass fakes. */
export interface ModelChoiceDeps {
  settings: SettingsState;
  connection: ConnectionState;
  engines: EnginesState;
}

/** The chosen model, the picker's options and what the page says about them. */
export class ModelChoiceState {
  /** A one-off sentence: the model was switched, or the task was changed to fit it. */
  #notice = $state('');
  readonly #deps: ModelChoiceDeps;

  constructor(deps: ModelChoiceDeps) {
    this.#deps = deps;
    deps.connection.onChecked(() => this.#followConnection());
  }

  /** True when the built-in OCR reads new images. */
  get isOcr() { return this.#deps.settings.model === OCR_MODEL; }

  /** Every model the picker offers: vision models of all servers, each once, then the built-in OCR. */
  get options(): ModelOption[] {
    const { connection, engines } = this.#deps;
    return engines.modelChoices
      .filter((choice) => choice.isVision || choice.isOcr)
      .map((choice) => {
        if (choice.isOcr) return { value: choice.name, label: engines.ocrLabel, title: 'Reads printed text in this browser; no Ollama needed' };
        const size = connection.visionModels.find((m) => m.name === choice.name)?.parameterSize;
        const servers = choice.engines.length > 1 ? `${choice.engines.length} servers` : '';
        const details = [size, servers].filter(Boolean).join(', ');
        return { value: choice.name, label: details ? `${choice.name} (${details})` : choice.name, title: `On ${choice.engines.join(', ')}` };
      });
  }

  /** What the page says about the model: why the built-in OCR reads images, or what was switched. */
  get notice(): string {
    return [this.#standInReason(), this.#notice].filter(Boolean).join(' ');
  }

  /** True while the built-in OCR stands in for an Ollama that did not answer (so the page offers its panel). */
  get isOcrStandIn(): boolean {
    return this.#standInReason() !== '';
  }

  /** A model's name as people read it. */
  labelOf(model: string): string {
    if (model === PDF_TEXT_LAYER_MODEL) return 'PDF text layer';
    if (model === PDF_BLANK_PAGE_MODEL) return 'Blank page check';
    return model === OCR_MODEL ? this.#deps.engines.ocrLabel : model;
  }

  /** True for texts the built-in OCR wrote or a PDF carried: plain lines, not Markdown. */
  isPlainText(model: string): boolean {
    return model === OCR_MODEL || isPdfOwnText(model);
  }

  /** Why the chosen model does nothing but extract text; empty when it does every task. */
  get limits(): string {
    return this.isOcr ? BUILTIN_OCR_LIMITS : '';
  }

  /** Why this task cannot run with the chosen model; empty when it can. */
  taskUnavailableReason(taskId: string): string {
    return this.isOcr && taskId !== OCR_TASK_ID ? BUILTIN_OCR_LIMITS : '';
  }

  /** The user chooses a model: it stays until they choose another; Ollama models are loaded at once. */
  choose(name: string): void {
    const { settings, connection } = this.#deps;
    settings.set('model', name);
    settings.set('isOcrAutomatic', false);
    this.#notice = '';
    if (name === OCR_MODEL) this.#fitTask();
    else void connection.warmUp(name);
  }

  /** Use this task from now on, if the chosen model can do it. */
  chooseTask(taskId: string): void {
    if (this.taskUnavailableReason(taskId)) return;
    this.#deps.settings.set('taskId', taskId);
    this.#notice = '';
  }

  /** Forget the one-off notice. */
  dismissNotice(): void {
    this.#notice = '';
  }

  #followConnection(): void {
    const { settings, connection, engines } = this.#deps;
    if (!engines.hasOcr) return;
    // Another model was chosen some other way (a pull chooses what it pulled): the OCR is no stand-in now.
    if (!this.isOcr && settings.isOcrAutomatic) settings.set('isOcrAutomatic', false);
    if (settings.model === '' && this.#isOllamaUnusable()) {
      // A vision model on a server the user added beats the OCR.
      const elsewhere = engines.modelChoices.filter((c) => c.isVision && !c.isOcr).map((c) => c.name);
      const vision = pickDefaultModel(elsewhere);
      if (vision) {
        settings.set('model', vision);
        return;
      }
      settings.set('model', OCR_MODEL);
      settings.set('isOcrAutomatic', true);
      this.#fitTask();
      return;
    }
    if (this.isOcr && settings.isOcrAutomatic && connection.isConnected) {
      const model = pickDefaultModel(connection.visionModels.map((m) => m.name));
      if (!model) return;
      settings.set('model', model);
      settings.set('isOcrAutomatic', false);
      this.#notice = `Ollama answered with the vision model ${model}: new images are read by it from now on. Texts the built-in OCR wrote stay; choose it under Model to use it again.`;
      void connection.warmUp(model);
      return;
    }
    if (this.isOcr) this.#fitTask();
  }

  #isOllamaUnusable(): boolean {
    const { status, hasNoVisionModel } = this.#deps.connection;
    return status === 'not-running' || status === 'cors-blocked' || hasNoVisionModel;
  }

  #standInReason(): string {
    const { settings, connection } = this.#deps;
    if (!this.isOcr || !settings.isOcrAutomatic) return '';
    const reading = 'so images are read by the built-in OCR (text only).';
    switch (connection.status) {
      case 'not-running': return `No Ollama answered at ${settings.ollamaUrl}, ${reading} Start Ollama with a vision model for descriptions and alt text.`;
      case 'cors-blocked': return `Ollama at ${settings.ollamaUrl} refused this page, ${reading} Let this page into Ollama for descriptions and alt text.`;
      case 'connected': return connection.hasNoVisionModel ? `Ollama at ${settings.ollamaUrl} has no vision model, ${reading} Pull a vision model for descriptions and alt text.` : '';
      default: return '';
    }
  }

  /** The built-in OCR only extracts text: any other task is switched, and the user told. */
  #fitTask(): void {
    const { settings } = this.#deps;
    if (settings.taskId === OCR_TASK_ID) return;
    const previous = findTask(settings.taskId).label;
    settings.set('taskId', OCR_TASK_ID);
    this.#notice = `The built-in OCR cannot do "${previous}", so the task is now "${findTask(OCR_TASK_ID).label}".`;
  }
}
