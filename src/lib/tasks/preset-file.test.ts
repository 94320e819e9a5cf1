import { describe, expect, it } from 'vitest';
import { copyPresetAside, parsePresetsFile, planPresetImport, serializePresets } from './preset-file.ts';
import { ALT_TEXT_SCHEMA, BUILT_IN_PRESETS, findTask, type TaskPreset } from './presets.ts';

const invoice: TaskPreset = {
  id: 'invoice',
  label: 'Invoice fields',
  prompt: 'Read the invoice and answer in JSON.',
  temperature: 0,
  num_predict: 800,
  maxSide: 2048,
  output: { schema: { type: 'object', properties: { number: { type: 'string' }, total: { type: 'number' } }, required: ['number', 'total'] } },
  models: { 'qwen2.5vl:3b': { prompt: 'Invoice → JSON.', temperature: 0.1 } },
};

const fileWith = (presets: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ format: 'lenscribe-presets', version: 1, presets, ...extra });

describe('the presets file', () => {
  it('round-trips every preset exactly, schemas and per-model entries included', () => {
    const presets = [...BUILT_IN_PRESETS, invoice];
    const text = serializePresets(presets);
    expect(JSON.parse(text)).toMatchObject({ format: 'lenscribe-presets', version: 1 });
    expect(parsePresetsFile(text)).toEqual(presets);
  });
  it('reads a file without the format tag (hand-written)', () => {
    expect(parsePresetsFile(JSON.stringify({ version: 1, presets: [invoice] }))).toEqual([invoice]);
  });
  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['another version', JSON.stringify({ version: 2, presets: [] }), /version 2; this Lenscribe reads version 1/],
    ['another format', fileWith([], { format: 'other' }), /not a Lenscribe presets file/],
    ['no list', JSON.stringify({ version: 1 }), /no "presets" list/],
    ['a bad temperature', fileWith([{ ...invoice, temperature: 7 }]), /Preset 1 \("Invoice fields"\): temperature must be a number from 0 to 2/],
    ['a fractional token limit', fileWith([{ ...invoice, num_predict: 1.5 }]), /num_predict must be a whole number/],
    ['a missing label', fileWith([{ ...invoice, label: '' }]), /Preset 1: label must be a name/],
    ['a bad id', fileWith([{ ...invoice, id: 'a b/c' }]), /Preset 1: id must be/],
    ['a schema that is not an object type', fileWith([{ ...invoice, output: { schema: { type: 'string' } } }]), /output.schema is not usable/],
    ['a bad model override', fileWith([{ ...invoice, models: { moondream: { temperature: 'hot' } } }]), /models\["moondream"\]: temperature must be a number/],
    ['the same id twice', fileWith([invoice, invoice]), /"invoice" appears twice/],
  ])('refuses %s with a clear message', (_name, text, message) => {
    expect(() => parsePresetsFile(text)).toThrow(message);
  });
  it('sorts an import into new, conflicting and unchanged presets', () => {
    const edited = { ...findTask('describe'), prompt: 'Describe it in one line.' };
    const plan = planPresetImport([...BUILT_IN_PRESETS], [invoice, edited, findTask('alt-text')]);
    expect(plan.added.map((p) => p.id)).toEqual(['invoice']);
    expect(plan.conflicting.map((c) => [c.incoming.prompt, c.current.prompt])).toEqual([['Describe it in one line.', 'Describe this image in detail.']]);
    expect(plan.unchanged.map((p) => p.id)).toEqual(['alt-text']);
  });
  it('sees the same preset with keys in another order as unchanged', () => {
    const reordered = Object.fromEntries(Object.entries(invoice).reverse()) as unknown as TaskPreset;
    expect(Object.keys(reordered)[0]).toBe('models');
    expect(planPresetImport([invoice], [reordered]).unchanged).toHaveLength(1);
  });
  it('copies a conflicting preset aside under a free id and a label saying so', () => {
    const copy = copyPresetAside(invoice, new Set(['invoice', 'invoice-imported']));
    expect(copy).toMatchObject({ id: 'invoice-imported-2', label: 'Invoice fields (imported 2)', prompt: invoice.prompt });
  });
  it('keeps the structured alt-text schema intact', () => {
    const [read] = parsePresetsFile(serializePresets([findTask('alt-text-structured')]));
    expect(read?.output).toEqual({ schema: ALT_TEXT_SCHEMA });
  });
});
