// The uses Lenscribe is built for, each with its prompt and the options that suit it.
import type { JobOptions } from '../library/types.ts';

/** A kind of question to ask about every image. */
export interface TaskPreset {
  id: string;
  label: string;
  /** The instruction sent with the image; `{language}` is filled in for translation. */
  prompt: string;
  options: JobOptions;
  /** True when the user writes the prompt. */
  isCustom?: boolean;
  /** True when the prompt needs a target language. */
  needsLanguage?: boolean;
  /** True when the task copies out the text: a long image is then read in tiles, not shrunk past reading. */
  readsText?: boolean;
}

/** Default longest side sent to the model: enough for every detail current models use. */
export const DEFAULT_MAX_SIDE = 1536;

/** The built-in tasks, in the order the picker shows them. */
export const TASKS: readonly TaskPreset[] = [
  {
    id: 'extract-markdown',
    label: 'Extract text as Markdown',
    prompt:
      'Extract all text from the image and return it as markdown. Do not describe the image or add extra text. Only return the text found in the image.',
    options: { temperature: 0, num_predict: 4096, maxSide: DEFAULT_MAX_SIDE },
    readsText: true,
  },
  {
    id: 'describe',
    label: 'Describe the image',
    prompt: 'Describe this image in detail.',
    options: { temperature: 0.3, num_predict: 1024, maxSide: 1024 },
  },
  {
    id: 'objects',
    label: 'What objects or animals are in it',
    prompt: 'List the objects and animals you can see in this image, one per line.',
    options: { temperature: 0.2, num_predict: 512, maxSide: 1024 },
  },
  {
    id: 'translate',
    label: 'Read the text and translate it',
    prompt:
      'Read all text in the image and translate it to {language}. Return only the translation, formatted as markdown.',
    options: { temperature: 0.1, num_predict: 4096, maxSide: DEFAULT_MAX_SIDE },
    needsLanguage: true,
    readsText: true,
  },
  {
    id: 'alt-text',
    label: 'Alt text (one sentence for a screen reader)',
    prompt:
      'Write alt text for this image for a screen reader: one sentence of at most 125 characters, describing what matters. Do not start with "Image of" or "Picture of". Return only the sentence.',
    options: { temperature: 0.2, num_predict: 120, maxSide: 1024 },
  },
  {
    id: 'custom',
    label: 'Custom prompt',
    prompt: '',
    options: { temperature: 0.2, num_predict: 2048, maxSide: DEFAULT_MAX_SIDE },
    isCustom: true,
  },
];

/** The task with this id, or the first one. */
export function findTask(id: string): TaskPreset {
  return TASKS.find((t) => t.id === id) ?? (TASKS[0] as TaskPreset);
}

/** Whether the task with this id copies out the text (so a long image is read in tiles). */
export function readsText(taskId: string): boolean {
  return TASKS.find((t) => t.id === taskId)?.readsText === true;
}

/** What the user adds to a task. */
export interface PromptInputs {
  language?: string;
  customPrompt?: string;
  /** Facts the model cannot see ("Location: Glencoe, Scotland"). */
  context?: string;
}

/** The prompt exactly as sent: the task's instruction, the language, and the user's context. */
export function buildPrompt(task: TaskPreset, inputs: PromptInputs): string {
  const base = task.isCustom ? (inputs.customPrompt ?? '').trim() : task.prompt;
  const instruction = task.needsLanguage ? base.replaceAll('{language}', inputs.language?.trim() || 'English') : base;
  const context = inputs.context?.trim();
  return context ? `${instruction}\n\nContext (facts the image may not show): ${context}` : instruction;
}
