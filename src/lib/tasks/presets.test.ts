import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS, buildPrompt, composeContext, findTask, mergePresets, presetOptions, presetSchema, resolvePreset, type TaskPreset } from './presets.ts';

describe('tasks', () => {
  it('starts with the extraction prompt from the source material', () => {
    expect(BUILT_IN_PRESETS[0]?.label).toBe('Extract text as Markdown');
    expect(BUILT_IN_PRESETS[0]?.prompt).toBe(
      'Extract all text from the image and return it as markdown. Do not describe the image or add extra text. Only return the text found in the image.',
    );
    expect(BUILT_IN_PRESETS[0]?.maxSide).toBe(1536);
  });
  it('fills in the language and appends context', () => {
    const prompt = buildPrompt(findTask('translate'), { language: 'German', context: 'Location: Glencoe, Scotland' });
    expect(prompt).toContain('translate it to German');
    expect(prompt).toContain('Location: Glencoe, Scotland');
  });
  it('uses the custom prompt as written', () => {
    expect(buildPrompt(findTask('custom'), { customPrompt: '  How many cats?  ' })).toBe('How many cats?');
  });
  it('ships a structured alt-text preset asking for alt and is_decorative', () => {
    const schema = presetSchema(findTask('alt-text-structured'));
    expect(Object.keys((schema?.['properties'] ?? {}) as object)).toEqual(['alt', 'is_decorative']);
    expect(presetSchema(findTask('alt-text'))).toBeUndefined();
  });
});

describe('contexts in the prompt', () => {
  it('puts the file name, the batch context and the image context on their own lines, in that order', () => {
    const context = composeContext({ fileName: 'trip/glencoe.jpg', batch: 'Location: Glencoe, Scotland', image: 'The man on the left is Angus.' });
    expect(buildPrompt(findTask('describe'), { context })).toBe(
      'Describe this image in detail.\n\nContext (facts the image may not show): File: trip/glencoe.jpg\nLocation: Glencoe, Scotland\nThe man on the left is Angus.',
    );
  });
  it('keeps a lone batch context exactly as before, so stored results are found again', () => {
    expect(composeContext({ batch: '  Location: Glencoe ' })).toBe('Location: Glencoe');
    expect(buildPrompt(findTask('describe'), { context: composeContext({ batch: 'Location: Glencoe' }) })).toBe(
      'Describe this image in detail.\n\nContext (facts the image may not show): Location: Glencoe',
    );
  });
  it('adds nothing when every part is blank', () => {
    expect(composeContext({ fileName: ' ', batch: '', image: undefined })).toBeUndefined();
    expect(buildPrompt(findTask('describe'), { context: undefined })).toBe('Describe this image in detail.');
  });
});

describe('the user\'s presets', () => {
  const mine: TaskPreset = { id: 'invoice', label: 'Invoice fields', prompt: 'Read the invoice.', temperature: 0, num_predict: 500, maxSide: 1536, output: 'text' };
  it('shows an edited built-in in its place and the user\'s own after the built-ins', () => {
    const edited = { ...findTask('describe'), prompt: 'Describe it briefly.' };
    const list = mergePresets([mine, edited]);
    expect(list.map((p) => p.id).slice(0, 2)).toEqual(['extract-markdown', 'describe']);
    expect(list[1]?.prompt).toBe('Describe it briefly.');
    expect(list.at(-1)?.id).toBe('invoice');
    expect(list).toHaveLength(BUILT_IN_PRESETS.length + 1);
  });
  it('lays a model\'s override over the preset for that model only (with or without :latest)', () => {
    const preset = { ...mine, models: { 'qwen2.5vl:3b': { prompt: 'Read the invoice. Be terse.', temperature: 0.1 }, moondream: { num_predict: 100 } } };
    expect(resolvePreset(preset, 'qwen2.5vl:3b')).toMatchObject({ prompt: 'Read the invoice. Be terse.', temperature: 0.1, num_predict: 500 });
    expect(resolvePreset(preset, 'moondream:latest').num_predict).toBe(100);
    expect(resolvePreset(preset, 'gemma3:4b').prompt).toBe('Read the invoice.');
    expect(presetOptions(resolvePreset(preset, 'qwen2.5vl:3b'))).toEqual({ temperature: 0.1, num_predict: 500, maxSide: 1536 });
  });
});
