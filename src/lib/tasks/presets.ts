// The uses Lenscribe is built for, each with its prompt and the options that suit it. Built-ins
// are a starting point: the user may edit them (kept in settings), reset them, and add their own.
import type { JobOptions } from '../library/types.ts';

/** A JSON Schema, as Ollama takes it in `format`. */
export type JsonSchema = Record<string, unknown>;

/** Free text, or JSON held to a schema (sent as Ollama's `format`). */
export type PresetOutput = 'text' | { schema: JsonSchema };

/** What a preset changes for one model ("qwen2.5vl:3b" wants a blunter prompt); unset keeps the preset's. */
export interface ModelOverride {
  prompt?: string;
  temperature?: number;
  num_predict?: number;
  maxSide?: number;
}

/** A kind of question to ask about every image. */
export interface TaskPreset {
  id: string;
  label: string;
  /** The instruction sent with the image; `{language}` is filled in where the preset needs a language. */
  prompt: string;
  temperature: number;
  /** The most tokens the model may write. */
  num_predict: number;
  /** Longest side, in pixels, the image is fitted within before it is sent. */
  maxSide: number;
  output: PresetOutput;
  /** Model name → what differs for that model. */
  models?: Record<string, ModelOverride>;
  /** True when the user writes the prompt in the task bar. */
  isCustom?: boolean;
  /** True when the prompt needs a target language. */
  needsLanguage?: boolean;
  /** True when the reply is alt text: its length and opening are checked, and "decorative" empties it on export. */
  isAltText?: boolean;
}

/**
 * The built-in tasks that copy out the text: a long image is read in tiles for them, not shrunk
 * past reading. By id, so a person's edit of such a task still tiles; their own presets do not.
 */
const TEXT_READING_TASKS: ReadonlySet<string> = new Set(['extract-markdown', 'translate']);

/** Default longest side sent to the model: enough for every detail current models use. */
export const DEFAULT_MAX_SIDE = 1536;

/** The structured alt-text schema: the sentence, and whether the image is only decoration. */
export const ALT_TEXT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    alt: { type: 'string', description: 'One sentence for a screen reader, empty for a decorative image' },
    is_decorative: { type: 'boolean', description: 'True when the image adds no information' },
  },
  required: ['alt', 'is_decorative'],
};

/** The built-in tasks, in the order the picker shows them. */
export const BUILT_IN_PRESETS: readonly TaskPreset[] = [
  {
    id: 'extract-markdown',
    label: 'Extract text as Markdown',
    prompt:
      'Extract all text from the image and return it as markdown. Do not describe the image or add extra text. Only return the text found in the image.',
    temperature: 0, num_predict: 4096, maxSide: DEFAULT_MAX_SIDE, output: 'text',
  },
  {
    id: 'describe',
    label: 'Describe the image',
    prompt: 'Describe this image in detail.',
    temperature: 0.3, num_predict: 1024, maxSide: 1024, output: 'text',
  },
  {
    id: 'objects',
    label: 'What objects or animals are in it',
    prompt: 'List the objects and animals you can see in this image, one per line.',
    temperature: 0.2, num_predict: 512, maxSide: 1024, output: 'text',
  },
  {
    id: 'translate',
    label: 'Read the text and translate it',
    prompt:
      'Read all text in the image and translate it to {language}. Return only the translation, formatted as markdown.',
    temperature: 0.1, num_predict: 4096, maxSide: DEFAULT_MAX_SIDE, output: 'text',
    needsLanguage: true,
  },
  {
    id: 'alt-text',
    label: 'Alt text (one sentence for a screen reader)',
    prompt:
      'Write alt text for this image for a screen reader: one sentence of at most 125 characters, describing what matters. Do not start with "Image of" or "Picture of". Return only the sentence.',
    temperature: 0.2, num_predict: 120, maxSide: 1024, output: 'text',
    isAltText: true,
  },
  {
    id: 'alt-text-structured',
    label: 'Alt text (structured)',
    prompt:
      'Write alt text for this image for a screen reader. Answer in JSON: "alt" is one sentence of at most 125 characters describing what matters, not starting with "Image of" or "Picture of"; "is_decorative" is true when the image is pure decoration that adds no information (then "alt" is empty).',
    temperature: 0.2, num_predict: 200, maxSide: 1024, output: { schema: ALT_TEXT_SCHEMA },
    isAltText: true,
  },
  {
    id: 'custom',
    label: 'Custom prompt',
    prompt: '',
    temperature: 0.2, num_predict: 2048, maxSide: DEFAULT_MAX_SIDE, output: 'text',
    isCustom: true,
  },
];

/** The built-in preset with this id, if there is one. */
export function findBuiltInPreset(id: string): TaskPreset | undefined {
  return BUILT_IN_PRESETS.find((p) => p.id === id);
}

/** The presets the picker offers: the built-ins (the user's edit in place of each), then the user's own. */
export function mergePresets(saved: readonly TaskPreset[]): TaskPreset[] {
  const byId = new Map(saved.map((p) => [p.id, p]));
  const builtIns = BUILT_IN_PRESETS.map((p) => byId.get(p.id) ?? p);
  return [...builtIns, ...saved.filter((p) => !findBuiltInPreset(p.id))];
}

/** The preset with this id in `presets`, or the first one. */
export function findPreset(presets: readonly TaskPreset[], id: string): TaskPreset {
  return presets.find((p) => p.id === id) ?? presets[0] ?? (BUILT_IN_PRESETS[0] as TaskPreset);
}

/** The built-in task with this id, or the first one (for code that only deals with built-ins). */
export function findTask(id: string): TaskPreset {
  return findPreset(BUILT_IN_PRESETS, id);
}

/** The override for this model: its exact name, else the same name with or without ":latest". */
export function findModelOverride(preset: TaskPreset, model: string): ModelOverride | undefined {
  const models = preset.models;
  if (!models) return undefined;
  const other = model.endsWith(':latest') ? model.slice(0, -':latest'.length) : `${model}:latest`;
  return models[model] ?? models[other];
}

/** The preset as it applies to one model: that model's override laid over it. */
export function resolvePreset(preset: TaskPreset, model: string): TaskPreset {
  const override = findModelOverride(preset, model);
  if (!override) return preset;
  const defined = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
  return { ...preset, ...defined };
}

/** A run's options from a preset: sampling options plus how the image is sized. */
export function presetOptions(preset: TaskPreset): JobOptions {
  return { temperature: preset.temperature, num_predict: preset.num_predict, maxSide: preset.maxSide };
}

/** The JSON Schema a preset holds replies to, if it asks for structured output. */
export function presetSchema(preset: TaskPreset): JsonSchema | undefined {
  return preset.output === 'text' ? undefined : preset.output.schema;
}

/** Where the context of one image comes from. */
export interface ContextParts {
  /** The file name or folder path, when the user chose to add it. */
  fileName?: string;
  /** The batch-wide context from the task bar. */
  batch?: string;
  /** This image's own context. */
  image?: string;
}

/**
 * The context of one image as one text: "File: <name>", then the batch context, then the image's
 * own, one per line; blank parts are left out. Undefined when there is none.
 */
export function composeContext({ fileName, batch, image }: ContextParts): string | undefined {
  const name = fileName?.trim();
  const lines = [name ? `File: ${name}` : '', batch?.trim() ?? '', image?.trim() ?? ''].filter(Boolean);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Whether the task with this id copies out the text (so a long image is read in tiles). */
export function readsText(taskId: string): boolean {
  return TEXT_READING_TASKS.has(taskId);
}

/** What the user adds to a task. */
export interface PromptInputs {
  language?: string;
  customPrompt?: string;
  /** Facts the model cannot see ("Location: Glencoe, Scotland"), as composeContext gives them. */
  context?: string;
}

/** The prompt exactly as sent: the task's instruction, the language, and the user's context. */
export function buildPrompt(task: TaskPreset, inputs: PromptInputs): string {
  const base = task.isCustom ? (inputs.customPrompt ?? '').trim() : task.prompt;
  const instruction = task.needsLanguage ? base.replaceAll('{language}', inputs.language?.trim() || 'English') : base;
  const context = inputs.context?.trim();
  return context ? `${instruction}\n\nContext (facts the image may not show): ${context}` : instruction;
}
