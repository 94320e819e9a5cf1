// Reads a dropped deck off the main thread: inflating its parts, parsing their XML and hashing the
// file never stall the page, and a hostile deck costs only this worker.
import { sha256HexOfBlob } from '../image/hash.ts';
import { exposeWorkerApi } from '../worker/protocol.ts';
import { readPptx, type Deck } from './pptx.ts';

const api = {
  /** The deck's slides, notes and pictures (Blobs come back by reference), and the file's SHA-256. */
  async readDeck(file: Blob): Promise<Deck & { sha256: string }> {
    const deck = await readPptx(file);
    return { ...deck, sha256: await sha256HexOfBlob(file) };
  },
};

/** The worker's API, for the client's types. */
export type PptxWorkerApi = typeof api;

exposeWorkerApi(self, api);
