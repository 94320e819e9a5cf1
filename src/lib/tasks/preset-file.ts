// The presets file: the user's presets as JSON, to keep, share and bring into another browser.
// `{"format":"lenscribe-presets","version":1,"presets":[…]}`, one entry per preset with its
// per-model entries under `models`, like a models.yaml naming each model's prompt and options.
// A file is untrusted input: every field is checked, and a bad one is named in the error.
import { describeSchemaProblem } from './structured.ts';
import type { ModelOverride, PresetOutput, TaskPreset } from './presets.ts';

/** The `format` tag of a presets file. */
export const PRESETS_FORMAT = 'lenscribe-presets';
/** The presets file version this code writes and reads. */
export const PRESETS_VERSION = 1;
/** Sane bounds for the numbers a preset holds. */
export const PRESET_LIMITS = {
  temperature: { min: 0, max: 2 },
  num_predict: { min: 1, max: 131072 },
  maxSide: { min: 56, max: 8192 },
} as const;
/** More than this is not a presets file a person wrote. */
const MAX_PRESETS = 500;

/** A presets file or a preset is not usable; the message names the entry and field. */
export class PresetFileError extends Error {
  override readonly name = 'PresetFileError';
}

/** The whole presets file. */
export interface PresetsFile {
  format: typeof PRESETS_FORMAT;
  version: typeof PRESETS_VERSION;
  presets: TaskPreset[];
}

type Fields = Record<string, unknown>;

const fail = (where: string, problem: string): never => {
  throw new PresetFileError(`${where} ${problem}`);
};

function asFields(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object');
  return value as Fields;
}

function readNumber(fields: Fields, key: keyof typeof PRESET_LIMITS, where: string, isInteger: boolean): number {
  const value = fields[key];
  const { min, max } = PRESET_LIMITS[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (isInteger && !Number.isInteger(value))) {
    fail(`${where}: ${key}`, `must be ${isInteger ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value as number;
}

function readOutput(value: unknown, where: string): PresetOutput {
  if (value === undefined || value === 'text') return 'text';
  const schema = asFields(value, `${where}: output`)['schema'];
  const problem = describeSchemaProblem(schema);
  if (problem) fail(`${where}: output.schema`, `is not usable. ${problem}`);
  return { schema: schema as Record<string, unknown> };
}

function readOverride(value: unknown, where: string): ModelOverride {
  const fields = asFields(value, where);
  const override: ModelOverride = {};
  if (fields['prompt'] !== undefined) {
    if (typeof fields['prompt'] !== 'string') fail(`${where}: prompt`, 'must be text');
    override.prompt = fields['prompt'] as string;
  }
  if (fields['temperature'] !== undefined) override.temperature = readNumber(fields, 'temperature', where, false);
  if (fields['num_predict'] !== undefined) override.num_predict = readNumber(fields, 'num_predict', where, true);
  if (fields['maxSide'] !== undefined) override.maxSide = readNumber(fields, 'maxSide', where, true);
  return override;
}

/** One preset checked field by field; `where` names it in errors ("Preset 2"). */
export function readPreset(value: unknown, where: string): TaskPreset {
  const fields = asFields(value, where);
  const id = fields['id'];
  if (typeof id !== 'string' || !/^[\w.-]{1,64}$/.test(id)) fail(`${where}: id`, 'must be 1–64 letters, digits, "-", "_" or "."');
  const label = fields['label'];
  if (typeof label !== 'string' || !label.trim()) fail(`${where}: label`, 'must be a name');
  const named = `${where} ("${String(label).trim()}")`;
  const prompt = fields['prompt'];
  if (typeof prompt !== 'string') fail(`${named}: prompt`, 'must be text');
  const preset: TaskPreset = {
    id: id as string,
    label: (label as string).trim(),
    prompt: prompt as string,
    temperature: readNumber(fields, 'temperature', named, false),
    num_predict: readNumber(fields, 'num_predict', named, true),
    maxSide: readNumber(fields, 'maxSide', named, true),
    output: readOutput(fields['output'], named),
  };
  if (!preset.prompt.trim() && fields['isCustom'] !== true) fail(`${named}: prompt`, 'is empty');
  for (const flag of ['isCustom', 'needsLanguage', 'isAltText'] as const) {
    if (fields[flag] === undefined) continue;
    if (typeof fields[flag] !== 'boolean') fail(`${named}: ${flag}`, 'must be true or false');
    if (fields[flag]) preset[flag] = true;
  }
  if (fields['models'] !== undefined) {
    const models = asFields(fields['models'], `${named}: models`);
    preset.models = Object.fromEntries(
      Object.entries(models).map(([model, override]) => [model, readOverride(override, `${named}: models["${model}"]`)]),
    );
  }
  return preset;
}

/** Parse a presets file; throws PresetFileError saying what is wrong and where. */
export function parsePresetsFile(text: string): TaskPreset[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PresetFileError('This file is not JSON, so it is not a Lenscribe presets file.');
  }
  const file = asFields(value, 'The presets file');
  if (file['format'] !== undefined && file['format'] !== PRESETS_FORMAT) fail('The file', `is not a Lenscribe presets file (format "${String(file['format'])}").`);
  if (file['version'] !== PRESETS_VERSION) fail('The presets file', `has version ${JSON.stringify(file['version'])}; this Lenscribe reads version ${PRESETS_VERSION}.`);
  const list = file['presets'];
  if (!Array.isArray(list)) fail('The presets file', 'has no "presets" list.');
  const entries = list as unknown[];
  if (entries.length > MAX_PRESETS) fail('The presets file', `has ${entries.length} presets; at most ${MAX_PRESETS} are read.`);
  const presets = entries.map((entry, i) => readPreset(entry, `Preset ${i + 1}`));
  const seen = new Set<string>();
  for (const preset of presets) {
    if (seen.has(preset.id)) fail(`Preset id "${preset.id}"`, 'appears twice in the file.');
    seen.add(preset.id);
  }
  return presets;
}

/** The presets file for these presets, as written to disk. */
export function serializePresets(presets: readonly TaskPreset[]): string {
  const file: PresetsFile = { format: PRESETS_FORMAT, version: PRESETS_VERSION, presets: presets.map((p) => structuredClone(p)) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Same content, whatever the key order. */
function isSamePreset(a: TaskPreset, b: TaskPreset): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Fields)[k])]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** What importing a file would do to the presets the user has. */
export interface PresetImportPlan {
  /** Ids the user has no preset with. */
  added: TaskPreset[];
  /** Same id, different content: importing replaces the user's (or keeps both, if they choose). */
  conflicting: { incoming: TaskPreset; current: TaskPreset }[];
  /** Already there exactly so. */
  unchanged: TaskPreset[];
}

/** Sort imported presets against the user's current ones (built-ins included). */
export function planPresetImport(current: readonly TaskPreset[], incoming: readonly TaskPreset[]): PresetImportPlan {
  const byId = new Map(current.map((p) => [p.id, p]));
  const plan: PresetImportPlan = { added: [], conflicting: [], unchanged: [] };
  for (const preset of incoming) {
    const existing = byId.get(preset.id);
    if (!existing) plan.added.push(preset);
    else if (isSamePreset(existing, preset)) plan.unchanged.push(preset);
    else plan.conflicting.push({ incoming: preset, current: existing });
  }
  return plan;
}

/** A copy of a preset under an id and label not yet taken ("Invoice (imported)"). */
export function copyPresetAside(preset: TaskPreset, takenIds: ReadonlySet<string>, suffix = 'imported'): TaskPreset {
  let n = 1;
  const idFor = (k: number) => `${preset.id}-${suffix}${k > 1 ? `-${k}` : ''}`.slice(0, 64);
  while (takenIds.has(idFor(n))) n++;
  return { ...structuredClone(preset), id: idFor(n), label: `${preset.label} (${suffix}${n > 1 ? ` ${n}` : ''})` };
}
