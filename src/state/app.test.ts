import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import type { Engine } from '../lib/engines/types.ts';
import { LibraryStore } from '../lib/library/store.ts';
import type { OllamaApi } from '../lib/ollama/client.ts';
import { AppState } from './app.ts';
import { OCR_MODEL } from './engines.svelte.ts';

/** An Ollama with two vision models whose replies start, then never end until the request is closed. */
function fakeOllama() {
  const warmedUp: string[] = [];
  const chatSignals: AbortSignal[] = [];
  const client: OllamaApi = {
    baseUrl: 'http://fake-ollama:11434',
    version: async () => '0.12.0',
    listModels: async () => [{ name: 'a:latest' }, { name: 'b:latest' }],
    showModel: async () => ({ capabilities: ['completion', 'vision'] }),
    async *streamChat(_request, signal) {
      if (signal) chatSignals.push(signal);
      yield { message: { role: 'assistant', content: 'Par' } };
      await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new DOMException('closed', 'AbortError'))));
      return {};
    },
    warmUp: async (model) => void warmedUp.push(model),
    async *pullModel() {},
    isServerAnswering: async () => true,
  };
  return { client, warmedUp, chatSignals };
}

/** Reads a file's name as its identity; no worker needed. */
const encoder: ImageEncoder = {
  identify: async (blobs) => blobs.map((blob) => ({ isImage: true, image: { sha256: `sha-${(blob as File).name}`, type: 'image/png', width: 10, height: 10 } })),
  makeViews: async () => ({ width: 10, height: 10, thumbnail: new Blob(['t']) }),
  encode: async () => ({ blob: new Blob(['hi']), base64: new TextEncoder().encode('aGk='), type: 'image/png', width: 10, height: 10 }),
};

/** A built-in OCR that reads two lines, and the longest sides its images were encoded at. */
function fakeOcr() {
  const sides: number[] = [];
  const engine: Engine = {
    id: 'builtin-ocr',
    kind: 'builtin-ocr',
    label: 'Built-in OCR (text only)',
    listModels: async () => [],
    async *read() {
      yield { text: 'Line one\nLine two' };
      return { doneReason: 'stop', metrics: {}, confidence: { source: 'ocr', mean: 0.91, lowest: 0.84 } };
    },
  };
  return { engine, sides };
}

async function connectedApp() {
  const store = new LibraryStore();
  await store.clearLibrary();
  const ollama = fakeOllama();
  const ocr = fakeOcr();
  const sizing: ImageEncoder = { ...encoder, encode: (blob, maxSide, signal) => (ocr.sides.push(maxSide), encoder.encode(blob, maxSide, signal)) };
  const app = new AppState({ store, encoder: sizing, createClient: () => ollama.client, origin: 'https://lenscribe.example', ocr: ocr.engine, tabs: {} });
  // Not the default address: ConnectionState starts with a real client for that one.
  await app.connection.testConnection('http://fake-ollama:11434');
  return { app, store, ocr, ...ollama };
}

/** Every value reachable from the app through a property or getter, one level into each part. */
function reachableValues(app: AppState): unknown[] {
  const values: unknown[] = [];
  const collect = (object: object) => {
    for (let proto: object | null = object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (descriptor && 'value' in descriptor && typeof descriptor.value !== 'function') values.push(descriptor.value);
        else if (descriptor?.get) values.push(descriptor.get.call(object));
      }
    }
  };
  collect(app);
  for (const part of [...values]) if (part && typeof part === 'object') collect(part);
  return values;
}

describe('AppState', () => {
  it('gives components neither the store nor the Ollama client', async () => {
    const { app, store, client } = await connectedApp();
    const values = reachableValues(app);
    expect(values).toContain(app.library);
    expect(values).not.toContain(store);
    expect(values).not.toContain(client);
    // Nor any engine, directly or in a list (the queue gets the slots that hold them another way).
    const isEngine = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as { read?: unknown }).read === 'function';
    const holdsEngine = (v: unknown) => isEngine(v) || (typeof v === 'object' && v !== null && 'engine' in v && isEngine(v.engine));
    expect(values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter(holdsEngine)).toEqual([]);
  });

  it('saves a chosen model, then loads it into memory', async () => {
    const { app, warmedUp } = await connectedApp();
    app.chooseModel('b:latest');
    expect(app.settings.model).toBe('b:latest');
    expect(warmedUp.at(-1)).toBe('b:latest');
  });

  it('closes the model request before deleting an image, so nothing writes it back', async () => {
    const { app, store, chatSignals } = await connectedApp();
    await app.addFiles([new File(['png'], 'page.png', { type: 'image/png' })]);
    await expect.poll(() => app.queue.jobFor('sha-page.png')?.text).toBe('Par');

    await app.deleteImage('sha-page.png');
    expect(chatSignals[0]?.aborted).toBe(true);
    expect(app.queue.jobFor('sha-page.png')).toBeUndefined();
    expect(app.library.imageBySha('sha-page.png')).toBeUndefined();
    expect(await store.listJobs()).toEqual([]);
    expect(await store.listImages()).toEqual([]);
  });

  it('names what Run, Export and Copy cover, and deletes all with its queued work', async () => {
    const { app } = await connectedApp();
    await app.addFiles([new File(['1'], 'one.png'), new File(['2'], 'two.png')]);
    expect(app.scopeLabel).toBe('all');
    app.library.toggleSelected('sha-two.png');
    expect(app.scopeLabel).toBe('1 selected');
    await app.deleteAllImages();
    expect(app.library.images).toEqual([]);
    expect(app.queue.jobs).toEqual([]);
  });

  it('reads with the built-in OCR at a larger size, keeps its confidence, and lets a vision model read the same image too', async () => {
    const { app, ocr, warmedUp } = await connectedApp();
    app.settings.set('context', 'Location: Glencoe');
    const warmUps = warmedUp.length;
    app.chooseModel(OCR_MODEL);
    expect(warmedUp).toHaveLength(warmUps);
    await app.addFiles([new File(['png'], 'shot.png', { type: 'image/png' })]);
    await expect.poll(() => app.library.resultsByImage.get('sha-shot.png')?.length).toBe(1);
    const [read] = app.library.resultsByImage.get('sha-shot.png') ?? [];
    expect(read).toMatchObject({ model: OCR_MODEL, text: 'Line one\nLine two', confidence: { source: 'ocr', mean: 0.91, lowest: 0.84 }, options: { maxSide: 3072 } });
    // The OCR ignores the prompt, so context does not make a second OCR result of the same image.
    expect(read?.context).toBeUndefined();
    expect(ocr.sides).toEqual([3072]);

    // Another model on the same image: both results stay, side by side.
    app.chooseModel('b:latest');
    void app.runChosenTask();
    await expect.poll(() => app.queue.jobFor('sha-shot.png')?.text).toBe('Par');
    expect(app.queue.jobFor('sha-shot.png')?.job.options.maxSide).toBe(1536);
    await app.queue.cancelFor(new Set(['sha-shot.png']));
    app.chooseModel(OCR_MODEL);
    await app.intake.run(['sha-shot.png'], false);
    // Already read by the OCR with these settings: found again, not queued.
    expect(app.queue.jobFor('sha-shot.png')).toBeUndefined();
  });

  it('deletes the selected images after cancelling their queued work, and keeps the rest', async () => {
    const { app, store, chatSignals } = await connectedApp();
    await app.addFiles([new File(['1'], 'one.png'), new File(['2'], 'two.png'), new File(['3'], 'three.png')]);
    await expect.poll(() => app.queue.jobFor('sha-one.png')?.text).toBe('Par');
    app.library.setSelection(['sha-one.png', 'sha-two.png']);
    expect(app.scopeLabel).toBe('2 selected');

    await app.deleteSelected();
    expect(chatSignals[0]?.aborted).toBe(true);
    expect(app.library.images.map((i) => i.name)).toEqual(['three.png']);
    expect(app.library.selected.size).toBe(0);
    expect((await store.listJobs()).map((j) => j.sha256)).toEqual(['sha-three.png']);
    expect((await store.listImages()).map((i) => i.name)).toEqual(['three.png']);
  });
});
