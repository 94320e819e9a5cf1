import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import { LibraryStore } from '../lib/library/store.ts';
import type { OllamaApi } from '../lib/ollama/client.ts';
import { AppState } from './app.ts';

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

async function connectedApp() {
  const store = new LibraryStore();
  await store.clearLibrary();
  const ollama = fakeOllama();
  const app = new AppState({ store, encoder, createClient: () => ollama.client, origin: 'https://lenscribe.example' });
  // Not the default address: ConnectionState starts with a real client for that one.
  await app.connection.testConnection('http://fake-ollama:11434');
  return { app, store, ...ollama };
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
});
