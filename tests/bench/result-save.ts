/// <reference types="node" />
// 1c. One result saved in a library of 10,000 results: what the page does between a text being
// saved and the list showing it. Two ways: another tab's saved version (read from the store, put in
// the library, the row updated), timed in the page; and a few new images run through the real queue
// against the instant fake model, as main-thread time per image from CDP.
import type { CDPSession, Page } from 'playwright-core';
import { type ImageSpec, dropImages, makeImages } from './images.ts';
import { readLongTasks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';
import { countStoredResults } from './stored.ts';
import { DATABASES } from '../../src/lib/library/databases.ts';
import { SYNC_CHANNEL } from '../../src/lib/tabs/channel.ts';

export interface ResultSaveFigures {
  /** Another tab's saved version → the row's text updated in the DOM, then the next frame, per save. */
  savedToRowMs: number[];
  savedToFrameMs: number[];
  /** Main-thread task time (CDP TaskDuration) per such save, message to next frame. */
  savedTaskMs: number[];
  savedLongTasks: { count: number; max: number; total: number };
  /** New images run through the queue (instant model). */
  runImages: number;
  /** Drop → every result stored. */
  runTotalMs: number;
  /** Main-thread task time per image over the whole run (intake, queue, save, list). */
  runTaskMsPerImage: number;
  runLongTasks: { count: number; max: number; total: number };
}

const SAVES = 12;
const RUN_IMAGES = 10;

/** Main-thread time the page has spent in tasks so far, ms. */
async function taskTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/** Runs in the page: store a new version of the n-th row's image as another tab would, announce it, time the row. */
async function saveVersionInPage(args: { n: number; databases: typeof DATABASES; channel: string }) {
  const rows = document.querySelectorAll<HTMLElement>('[data-testid=item]');
  const row = rows[args.n % 3] as HTMLElement;
  const sha256 = row.dataset.sha as string;
  const text = `Saved version ${args.n} of this page, with a few words`;
  const key = `${sha256}:bench-save:${args.n}`;
  const record = {
    key, jobKey: `${sha256}:bench-save`, sha256, model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'Extract all text.',
    options: { temperature: 0, num_predict: 4096, maxSide: 1536 }, text, author: 'model', createdAt: Date.now(),
  };
  await new Promise<void>((resolve, reject) => {
    const open = indexedDB.open(args.databases.results[0]);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(args.databases.results[1], 'readwrite');
      tx.objectStore(args.databases.results[1]).put(record, key);
      tx.oncomplete = () => {
        open.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
  const snippet = () => row.querySelector('.snippet')?.textContent ?? '';
  const channel = new BroadcastChannel(args.channel);
  const started = performance.now();
  const updated = new Promise<number>((resolve) => {
    const observer = new MutationObserver(() => {
      if (!snippet().startsWith(text)) return;
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(row, { subtree: true, childList: true, characterData: true });
  });
  channel.postMessage({ type: 'results-changed', keys: [key] });
  const at = await updated;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const frame = performance.now();
  channel.close();
  return { rowMs: at - started, frameMs: frame - started };
}

/** Measure on the loaded 10,000-image library (the list showing everything, newest first). */
export async function measureResultSave(page: Page, cdp: CDPSession): Promise<ResultSaveFigures> {
  await resetProbes(page);
  const savedToRowMs: number[] = [];
  const savedToFrameMs: number[] = [];
  const savedTaskMs: number[] = [];
  for (let n = 0; n < SAVES; n++) {
    const before = await taskTime(cdp);
    const timing = await page.evaluate(saveVersionInPage, { n, databases: DATABASES, channel: SYNC_CHANNEL });
    savedTaskMs.push((await taskTime(cdp)) - before);
    savedToRowMs.push(timing.rowMs);
    savedToFrameMs.push(timing.frameMs);
    await page.waitForTimeout(100);
  }
  const savedLongTasks = summariseLongTasks(await readLongTasks(page));

  const specs: ImageSpec[] = Array.from({ length: RUN_IMAGES }, (_, i) => ({
    name: `saved-${String(i + 1).padStart(2, '0')}.jpg`, width: 640, height: 480, kind: 'photo', type: 'image/jpeg', seed: 900 + i,
  }));
  await makeImages(page, specs);
  const stored = await countStoredResults(page);
  await page.waitForTimeout(300);
  await resetProbes(page);
  const before = await taskTime(cdp);
  const dropped = await dropImages(page);
  const done = await waitFor('the new images\' results', async () => ((await countStoredResults(page)) >= stored + RUN_IMAGES ? Date.now() : undefined), 120_000, 20);
  // Let the list take the last result before the main thread's time is read.
  await page.waitForTimeout(200);
  const runTaskMsPerImage = ((await taskTime(cdp)) - before) / RUN_IMAGES;
  const runLongTasks = summariseLongTasks(await readLongTasks(page));
  return { savedToRowMs, savedToFrameMs, savedTaskMs, savedLongTasks, runImages: RUN_IMAGES, runTotalMs: done - dropped, runTaskMsPerImage, runLongTasks };
}
