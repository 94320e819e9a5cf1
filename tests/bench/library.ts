/// <reference types="node" />
// 1. A library of 10,000 images: how fast it lists after a reload, how it scrolls, and what one
// more saved result costs in it.
import type { Page } from 'playwright-core';
import { seedLibrary } from './seed.ts';
import { type BenchEnv, countText, openConnected, sleep } from './env.ts';
import { retainedHeap } from './memory.ts';
import { type SearchFigures, measureSearch } from './search.ts';
import { type ResultSaveFigures, measureResultSave } from './result-save.ts';
import { readLongTasks, readMarks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';

export interface LoadFigures {
  firstRowMs: number;
  countShownMs: number;
  thumbnailsMs: number | undefined;
  longTasks: { count: number; max: number; total: number };
}

export interface LibraryFigures {
  count: number;
  seedMs: number;
  /** The first reload right after seeding, then `reloads` more. */
  firstLoad: LoadFigures;
  loads: LoadFigures[];
  rowsAfterLoad: number;
  heapBytes: number;
  /** Raw IndexedDB getAll of the two stores the list needs, timed in the page (for comparison). */
  readImagesMs: number;
  readResultsMs: number;
  jumpMs: number;
  jumpThumbnailMs: number;
  rowsAfterJump: number;
  fling: { frames: number; pixels: number; meanFrameMs: number; maxFrameMs: number; blankFrames: number };
  scrollLongTasks: { count: number; max: number; total: number };
  rowsAfterScroll: number;
  /** Reload of the same profile with an empty library → "0 images" shown, for the ratio. */
  emptyLoadMs: number[];
  search: SearchFigures;
  resultSave: ResultSaveFigures;
}

const BOTTOM_NAME = 'IMG_00000.jpg';

/** Reload and time the list coming up, then let it settle for a second (thumbnails, idle work). */
async function measureLoad(page: Page, count: number): Promise<LoadFigures> {
  await page.reload({ waitUntil: 'commit' });
  const shown = countText(count);
  const countShownMs = await waitFor('the image count', async () => (await readMarks(page)).counts.find((c) => c.text === shown)?.at, 120_000);
  const firstRowMs = await waitFor('the first row', async () => (await readMarks(page)).firstRow, 30_000);
  const thumbnailsMs = await waitFor('the visible thumbnails', async () => (await readMarks(page)).thumbnails, 10_000).catch(() => undefined);
  await sleep(1000);
  return { firstRowMs, countShownMs, thumbnailsMs, longTasks: summariseLongTasks(await readLongTasks(page)) };
}

/** Reload with an empty library and time "0 images" showing. */
async function measureEmptyLoad(page: Page): Promise<number> {
  await page.reload({ waitUntil: 'commit' });
  const shown = countText(0);
  const at = await waitFor('the empty library', async () => (await readMarks(page)).counts.find((c) => c.text === shown)?.at, 30_000);
  await sleep(500);
  return at;
}

export async function benchLibrary(env: BenchEnv, count = 10_000, reloads = 3): Promise<LibraryFigures> {
  const bench = await openConnected(env);
  const { page, cdp } = bench;
  try {
    // The same reload with nothing stored, the baseline a full library is compared with.
    const emptyLoadMs: number[] = [];
    for (let i = 0; i < reloads; i++) emptyLoadMs.push(await measureEmptyLoad(page));
    const seed = await seedLibrary(page, { count, imageBytes: 2048, thumbnailSide: 96, textChars: 600 });

    // Reload on the full library; timings are from navigation start. The first reload after
    // writing 10,000 records also pays for IndexedDB settling its files, so it is kept apart.
    const loads: LoadFigures[] = [];
    for (let i = 0; i <= reloads; i++) loads.push(await measureLoad(page, count));
    const rowsAfterLoad = await page.getByTestId('item').count();
    const heapBytes = await retainedHeap(cdp);
    const read = await page.evaluate(timeReadsInPage);

    // Jump to the bottom, then fling back up 1,500 px a frame, as a fast wheel or scrollbar drag does.
    await resetProbes(page);
    const jump = await page.evaluate(async (bottomName) => {
      const list = document.querySelector('ul[aria-label=Images]') as HTMLElement;
      const frame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      const bottomRow = () => Array.from(document.querySelectorAll('[data-testid=item]')).find((r) => r.querySelector('.name')?.textContent === bottomName);
      const started = performance.now();
      list.scrollTop = list.scrollHeight;
      while (!bottomRow()) await frame();
      const rendered = (await frame()) - started;
      while (!bottomRow()?.querySelector('img[src]')) await frame();
      const thumbnail = (await frame()) - started;
      return { rendered, thumbnail, rows: document.querySelectorAll('[data-testid=item]').length };
    }, BOTTOM_NAME);

    const fling = await page.evaluate(async () => {
      const list = document.querySelector('ul[aria-label=Images]') as HTMLElement;
      const frame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      const STEP = 1500;
      const FRAMES = 150;
      const deltas: number[] = [];
      let blank = 0;
      let last = await frame();
      const from = list.scrollTop;
      for (let i = 0; i < FRAMES; i++) {
        list.scrollTop -= STEP;
        const now = await frame();
        deltas.push(now - last);
        last = now;
        // A frame is blank when no row covers the middle of the list's box.
        const box = list.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (!hit?.closest('[data-testid=item]')) blank++;
      }
      await frame();
      return {
        frames: FRAMES,
        pixels: from - list.scrollTop,
        meanFrameMs: deltas.reduce((a, b) => a + b, 0) / deltas.length,
        maxFrameMs: Math.max(...deltas),
        blankFrames: blank,
      };
    });
    await sleep(500);
    const scrollLongTasks = summariseLongTasks(await readLongTasks(page));
    const rowsAfterScroll = await page.getByTestId('item').count();
    const search = await measureSearch(page);
    const resultSave = await measureResultSave(page, cdp);

    return {
      count,
      seedMs: seed.ms,
      firstLoad: loads[0] as LoadFigures,
      loads: loads.slice(1),
      rowsAfterLoad,
      heapBytes,
      readImagesMs: read.images,
      readResultsMs: read.results,
      jumpMs: jump.rendered,
      jumpThumbnailMs: jump.thumbnail,
      rowsAfterJump: jump.rows,
      fling,
      scrollLongTasks,
      rowsAfterScroll,
      emptyLoadMs,
      search,
      resultSave,
    };
  } finally {
    await bench.context.close();
  }
}

/** Runs inside the page: how long reading every record of each store takes, as the app's load does. */
async function timeReadsInPage(): Promise<{ images: number; results: number }> {
  const readAll = (db: string, store: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const open = indexedDB.open(db);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction(store).objectStore(store).getAll();
        all.onerror = () => reject(all.error);
        all.onsuccess = () => {
          open.result.close();
          resolve(performance.now() - started);
        };
      };
    });
  return { images: await readAll('lenscribe-images', 'images'), results: await readAll('lenscribe-results', 'results') };
}
