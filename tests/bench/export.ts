/// <reference types="node" />
// 4. Zip export of 1,000 stored images with their results: time, throughput, and memory.
import { stat } from 'node:fs/promises';
import { type BenchEnv, countText, openConnected, sleep } from './env.ts';
import { MemorySampler, chromiumRss, retainedHeap } from './memory.ts';
import { readLongTasks, readMarks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';
import { seedLibrary } from './seed.ts';

export interface ExportFigures {
  images: number;
  imageBytes: number;
  seedMs: number;
  /** Click → the browser's download event (the zip Blob handed to an <a download>). */
  totalMs: number;
  zipBytes: number;
  mbPerSecond: number;
  message: string;
  baselineRss: number;
  baselinePss: number;
  peakRss: number;
  /** RSS two seconds after the download starts: the zip Blob is still referenced by its object URL. */
  afterRss: number;
  baselineHeap: number;
  peakHeap: number;
  retainedHeapAfter: number;
  longTasks: { count: number; max: number; total: number };
}

export async function benchExport(env: BenchEnv, images = 1000, imageBytes = 300 * 1024): Promise<ExportFigures> {
  const bench = await openConnected(env);
  const { page, cdp } = bench;
  try {
    const seed = await seedLibrary(page, { count: images, imageBytes, thumbnailSide: 96, textChars: 800 });
    await page.reload({ waitUntil: 'commit' });
    const shown = countText(images);
    await waitFor('the library to list', async () => ((await readMarks(page)).counts.some((c) => c.text === shown) ? true : undefined), 60_000);
    const button = page.getByRole('button', { name: 'Export all as zip' });
    await waitFor('the export button', async () => ((await button.isEnabled()) ? true : undefined), 30_000);
    await sleep(1500);
    await cdp.send('HeapProfiler.collectGarbage');
    await resetProbes(page);

    const memory = new MemorySampler(cdp);
    await sleep(300);
    const downloaded = page.waitForEvent('download', { timeout: 180_000 });
    const started = Date.now();
    await button.click();
    const download = await downloaded;
    const ended = Date.now();
    const message = await waitFor('the export message', async () => {
      const text = (await page.getByTestId('export-message').textContent())?.trim();
      return text ? text : undefined;
    }, 30_000);
    await sleep(300);
    const summary = memory.stop();
    const longTasks = summariseLongTasks(await readLongTasks(page), started, ended);
    const path = await download.path();
    const zipBytes = (await stat(path)).size;
    await sleep(2000);
    const afterRss = chromiumRss();
    const retainedHeapAfter = await retainedHeap(cdp);
    const totalMs = ended - started;
    return {
      images,
      imageBytes: seed.imageBytes,
      seedMs: seed.ms,
      totalMs,
      zipBytes,
      mbPerSecond: zipBytes / 1024 / 1024 / (totalMs / 1000),
      message,
      baselineRss: summary.baselineRss,
      baselinePss: summary.baselinePss,
      peakRss: summary.peakRss,
      afterRss,
      baselineHeap: summary.baselineHeap,
      peakHeap: summary.peakHeap,
      retainedHeapAfter,
      longTasks,
    };
  } finally {
    await bench.context.close();
  }
}
