/// <reference types="node" />
// A reply mode that really reads: each received image is OCR'd (tesseract.js in Node, with the
// English data of @tesseract.js-data/eng) and its text is the answer. So a test can check that what
// the app sent was legible, not only that something was sent. About 3 s to start, a few seconds a page.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import type { ReplyFn } from './state.ts';

/** Tesseract in Node: read images, and answer chats with what they say. */
export interface OcrReader {
  /** The text in a PNG or JPEG. */
  read(bytes: Buffer): Promise<string>;
  /** A reply function for the fake: the text of every image of the request, in order. */
  reply: ReplyFn;
  close(): Promise<void>;
}

/** Start Tesseract (LSTM, English, the packed data from node_modules: no network). */
export async function createOcrReader(): Promise<OcrReader> {
  const require = createRequire(import.meta.url);
  const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  const worker: Worker = await createWorker('eng', 1, { langPath, gzip: true, cacheMethod: 'none' });
  // One recognition at a time: the fake may get several chats at once.
  let last: Promise<unknown> = Promise.resolve();
  const read = (bytes: Buffer): Promise<string> => {
    const next = last.then(async () => (await worker.recognize(bytes)).data.text.replace(/\n+$/, ''));
    last = next.catch(() => {});
    return next;
  };
  return {
    read,
    reply: async (_request, { images }) => {
      const texts: string[] = [];
      for (const image of images) texts.push(await read(image.bytes));
      return texts.join('\n\n');
    },
    close: () => worker.terminate().then(() => {}),
  };
}
