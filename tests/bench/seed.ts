// Fills the app's IndexedDB straight from the page, with the raw API, into the databases and
// stores src/lib/library/store.ts uses (one database per idb-keyval store, keys given apart from
// values). Much faster than adding thousands of images through the UI, and the app cannot tell.
import type { Page } from 'playwright-core';
import type { ImageRecord, ResultRecord } from '../../src/lib/library/types.ts';
import { DATABASES } from '../../src/lib/library/databases.ts';

export interface SeedOptions {
  /** How many images (each with one model result). */
  count: number;
  /** Size of each fake image Blob: a JPEG header then random bytes (never decoded by list or export). */
  imageBytes: number;
  /** Longest side of the real JPEG thumbnails drawn for the list. */
  thumbnailSide: number;
  /** Length of each result's Markdown text. */
  textChars: number;
}

export interface SeedOutcome {
  ms: number;
  imageBytes: number;
  thumbnailBytes: number;
}

interface SeedArgs extends SeedOptions {
  databases: typeof DATABASES;
}

/** Write `count` images, their Blobs, thumbnails and results into the app's databases. */
export function seedLibrary(page: Page, options: SeedOptions): Promise<SeedOutcome> {
  return page.evaluate(seedInPage, { ...options, databases: DATABASES });
}

/** Runs inside the page: only browser APIs, nothing from the enclosing module. */
async function seedInPage(args: SeedArgs): Promise<SeedOutcome> {
  const started = performance.now();
  const BATCH = 250;
  const VARIANTS = 24;
  const MODEL = 'gemma3:4b';
  const PROMPT = 'Extract all text from the image and return it as markdown. Do not describe the image or add extra text. Only return the text found in the image.';

  const open = (name: string, store: string) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const { databases } = args;
  const [images, blobs, thumbnails, results] = await Promise.all([
    open(...databases.images), open(...databases.blobs), open(...databases.thumbnails), open(...databases.results),
  ]);

  // A deterministic 64-hex-digit "hash" per image (the list and export never check it).
  const hex = (i: number) => {
    let x = (i + 1) * 0x9e3779b1;
    let out = '';
    while (out.length < 64) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      out += (x >>> 0).toString(16).padStart(8, '0');
    }
    return out;
  };

  // Real JPEG thumbnails, a few colours reused, as the worker would have made them.
  const thumbs: Blob[] = [];
  for (let v = 0; v < VARIANTS; v++) {
    const canvas = new OffscreenCanvas(args.thumbnailSide, Math.round(args.thumbnailSide * 0.75));
    const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    g.fillStyle = `hsl(${(v * 360) / VARIANTS} 60% 60%)`;
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#222';
    for (let line = 0; line < 5; line++) g.fillRect(6, 8 + line * 9, canvas.width - 12 - ((line * 13) % 30), 4);
    thumbs.push(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 }));
  }

  // Random image bytes: one pool, each image a different window of it behind its own header.
  const pool = new Uint8Array(Math.max(args.imageBytes * 4, 1 << 20));
  for (let at = 0; at < pool.length; at += 65536) crypto.getRandomValues(pool.subarray(at, Math.min(pool.length, at + 65536)));
  const jpegHeader = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  const fakeImage = (i: number) => {
    const id = new TextEncoder().encode(`lenscribe-bench-${i}`);
    const rest = args.imageBytes - jpegHeader.length - id.length;
    const offset = (i * 7919) % (pool.length - rest);
    return new Blob([jpegHeader, id, pool.subarray(offset, offset + rest)], { type: 'image/jpeg' });
  };

  const words = 'the quick brown fox jumps over lazy dog invoice total amount due receipt table page heading paragraph'.split(' ');
  const markdown = (i: number) => {
    let text = `# Page ${i + 1}\n\n`;
    for (let w = 0; text.length < args.textChars; w++) text += (w % 12 === 11 ? '.\n' : ' ') + (words[(i + w * 7) % words.length] ?? '');
    return text.slice(0, args.textChars);
  };

  const put = (db: IDBDatabase, store: string, entries: [string, unknown][]) =>
    new Promise<void>((resolve, reject) => {
      const tx = db.transaction(store, 'readwrite');
      const os = tx.objectStore(store);
      for (const [key, value] of entries) os.put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });

  const now = Date.now();
  let imageBytes = 0;
  let thumbnailBytes = 0;
  for (let from = 0; from < args.count; from += BATCH) {
    const recs: [string, ImageRecord][] = [];
    const blobRows: [string, Blob][] = [];
    const thumbRows: [string, Blob][] = [];
    const resultRows: [string, ResultRecord][] = [];
    for (let i = from; i < Math.min(args.count, from + BATCH); i++) {
      const sha256 = hex(i);
      const blob = fakeImage(i);
      const thumb = thumbs[i % VARIANTS] as Blob;
      imageBytes += blob.size;
      thumbnailBytes += thumb.size;
      // Oldest first: IMG_00000 ends up at the bottom of the newest-first list.
      const addedAt = now - (args.count - i) * 60_000;
      recs.push([sha256, { sha256, name: `IMG_${String(i).padStart(5, '0')}.jpg`, type: 'image/jpeg', size: blob.size, width: 4000, height: 3000, addedAt }]);
      blobRows.push([sha256, blob]);
      thumbRows.push([sha256, new Blob([thumb], { type: 'image/jpeg' })]);
      const key = `${sha256}:${MODEL}:${hex(i + 1_000_000).slice(0, 16)}`;
      resultRows.push([key, {
        key, jobKey: key, sha256, model: MODEL, taskId: 'extract-markdown', prompt: PROMPT,
        options: { temperature: 0, num_predict: 4096, maxSide: 1536 },
        text: markdown(i), author: 'model',
        metrics: { total_duration: 4e9, load_duration: 1e8, prompt_eval_count: 300, prompt_eval_duration: 1e9, eval_count: 150, eval_duration: 3e9, done_reason: 'stop' },
        createdAt: addedAt + 5000,
      }]);
    }
    // Bytes before metadata, as the app writes them.
    await Promise.all([put(blobs, args.databases.blobs[1], blobRows), put(thumbnails, args.databases.thumbnails[1], thumbRows)]);
    await Promise.all([put(images, args.databases.images[1], recs), put(results, args.databases.results[1], resultRows)]);
  }
  for (const db of [images, blobs, thumbnails, results]) db.close();
  return { ms: performance.now() - started, imageBytes, thumbnailBytes };
}
