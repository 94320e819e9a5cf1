// The page's handle on pptx.worker.ts: one worker per deck, ended as soon as the deck is read.
import { createWorkerClient, WorkerError } from '../worker/bridge.ts';
import { DeckReadError, type Deck } from './pptx.ts';
import type { PptxWorkerApi } from './pptx.worker.ts';

/** A deck read in a worker, with its file's SHA-256. */
export type ReadDeck = Deck & { sha256: string };

/** Read a .pptx in a worker; DeckReadError says why it was refused. Abort ends the worker. */
export async function readDeckInWorker(file: Blob, signal?: AbortSignal): Promise<ReadDeck> {
  const worker = createWorkerClient<PptxWorkerApi>(() => new Worker(new URL('./pptx.worker.ts', import.meta.url), { type: 'module', name: 'pptx' }));
  try {
    return await worker.readDeck(file, { signal });
  } catch (error) {
    if (error instanceof WorkerError && error.name === 'DeckReadError') throw new DeckReadError(error.message);
    throw error;
  } finally {
    worker.terminate();
  }
}

/** Whether a dropped file is a deck to open rather than an image: by name, since a .pptx is a zip to a sniffer. */
export function isPptxFile(name: string, type: string): boolean {
  return /\.pptx$/i.test(name) || type === 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
}
