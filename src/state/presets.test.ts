import { describe, expect, it } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import { serializePresets } from '../lib/tasks/preset-file.ts';
import { BUILT_IN_PRESETS, findTask, type TaskPreset } from '../lib/tasks/presets.ts';
import { IntakeState } from './intake.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { PresetsState } from './presets.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

function setup() {
  const saved = new Map<string, unknown>();
  const store = { getSetting: async (name: string) => saved.get(name), setSetting: async (name: string, value: unknown) => void saved.set(name, value) };
  const settings = new SettingsState(store as unknown as LibraryStore);
  return { saved, settings, presets: new PresetsState(settings) };
}

const invoice: TaskPreset = {
  id: 'invoice', label: 'Invoice fields', prompt: 'Read the invoice.', temperature: 0, num_predict: 500, maxSide: 2048,
  output: { schema: { type: 'object', properties: { total: { type: 'number' } } } },
};

describe('PresetsState', () => {
  it('saves an edited built-in to settings, shows it in place, and resets it', () => {
    const { saved, presets } = setup();
    expect(presets.save({ ...findTask('describe'), prompt: 'Describe it briefly.' })).toBe('');
    expect(presets.find('describe').prompt).toBe('Describe it briefly.');
    expect(presets.isEdited('describe')).toBe(true);
    expect(saved.get('presets')).toEqual([{ ...findTask('describe'), prompt: 'Describe it briefly.' }]);
    presets.reset('describe');
    expect(presets.find('describe').prompt).toBe('Describe this image in detail.');
    expect(saved.get('presets')).toEqual([]);
  });

  it('refuses a preset that is not valid, saying why', () => {
    const { presets } = setup();
    expect(presets.save({ ...invoice, num_predict: 0 })).toContain('num_predict must be a whole number');
    expect(presets.find('invoice').id).toBe('extract-markdown');
  });

  it('adds new presets from a file at once, and waits for the user before replacing theirs', () => {
    const { presets } = setup();
    presets.importText(serializePresets([invoice]));
    expect(presets.find('invoice').label).toBe('Invoice fields');
    expect(presets.message).toContain('1 added');

    presets.save({ ...invoice, prompt: 'My prompt.' });
    presets.importText(serializePresets([invoice, { ...invoice, id: 'receipt', label: 'Receipt' }]));
    expect(presets.pendingImport?.plan.conflicting.map((c) => c.current.prompt)).toEqual(['My prompt.']);
    expect(presets.find('receipt').id).toBe('extract-markdown');
    presets.finishImport('copy');
    expect(presets.find('invoice').prompt).toBe('My prompt.');
    expect(presets.find('invoice-imported')).toMatchObject({ label: 'Invoice fields (imported)', prompt: 'Read the invoice.' });
    expect(presets.find('receipt').label).toBe('Receipt');

    presets.importText(serializePresets([invoice]));
    presets.finishImport('replace');
    expect(presets.find('invoice').prompt).toBe('Read the invoice.');
  });

  it('says why a broken file is not imported and changes nothing', () => {
    const { presets, saved } = setup();
    presets.importText('{"version":3,"presets":[]}');
    expect(presets.message).toMatch(/^Not imported: .*version 3/);
    expect(saved.has('presets')).toBe(false);
  });

  it('exports every preset, built-ins included, as the presets file', () => {
    const { presets } = setup();
    presets.save(invoice);
    expect(JSON.parse(presets.exportText()).presets).toHaveLength(BUILT_IN_PRESETS.length + 1);
  });
});

describe('the job a preset describes', () => {
  function intakeWith(setupPresets: (p: PresetsState, s: SettingsState) => void) {
    const { settings, presets } = setup();
    settings.set('model', 'qwen2.5vl:3b');
    setupPresets(presets, settings);
    const library = new LibraryState({} as LibraryStore, queueMicrotask);
    library.addImage({ sha256: 'aa', name: 'trip/glencoe.jpg', type: 'image/jpeg', size: 1, width: 1, height: 1, addedAt: 0, context: 'Angus is on the left.' });
    const intake = new IntakeState({ library, settings, presets, encoder: { identify: async () => [] }, store: { saveNewImages: async () => {} }, queue: { enqueue: async () => {} } });
    return intake.describeJob('aa');
  }

  it('uses the model\'s override, sends the schema and keys the result by it', () => {
    const job = intakeWith((presets, settings) => {
      presets.save({ ...invoice, models: { 'qwen2.5vl:3b': { prompt: 'Invoice to JSON.', temperature: 0.1 } } });
      settings.set('taskId', 'invoice');
    });
    expect(job).toMatchObject({ taskId: 'invoice', prompt: 'Invoice to JSON.\n\nContext (facts the image may not show): Angus is on the left.', options: { temperature: 0.1, num_predict: 500, maxSide: 2048 } });
    expect(job.format).toEqual(invoice.output !== 'text' && invoice.output.schema);
    const plain = intakeWith((presets, settings) => {
      presets.save({ ...invoice, output: 'text', models: { 'qwen2.5vl:3b': { prompt: 'Invoice to JSON.', temperature: 0.1 } } });
      settings.set('taskId', 'invoice');
    });
    expect(plain.format).toBeUndefined();
    expect(plain.key).not.toBe(job.key);
  });

  it('adds the file name when asked, then the batch context, then the image\'s own', () => {
    const job = intakeWith((_presets, settings) => {
      settings.set('taskId', 'describe');
      settings.set('context', 'Location: Glencoe');
      settings.set('contextAddsFileName', true);
    });
    expect(job.context).toBe('File: trip/glencoe.jpg\nLocation: Glencoe\nAngus is on the left.');
    expect(job.prompt).toBe(`Describe this image in detail.\n\nContext (facts the image may not show): ${job.context}`);
  });
});
