/// <reference types="node" />
// 6. A 10,000-file drop: how soon the first request leaves, how soon every file is listed, and
//    what the main thread and the heap go through meanwhile. The model holds its first answer, so
//    the figures are intake's own, not the queue working through 10,000 replies.
import type { RecordedRequest } from '../fake-ollama/server.ts';
import { type BenchEnv, countText, openConnected } from './env.ts';
import { dropImages } from './images.ts';
import { MemorySampler, retainedHeap } from './memory.ts';
import { readLongTasks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';

export interface IntakeFigures {
  files: number;
  totalBytes: number;
  generateMs: number;
  /** Drop → the first image's chat request received by Ollama. */
  firstRequestMs: number;
  /** Drop → the list shows "10000 images". */
  allListedMs: number;
  /** Drop → the progress line is gone (every file read and stored). */
  intakeDoneMs: number;
  /** The progress texts seen (a sample). */
  progressSeen: string[];
  longTasks: { count: number; max: number; total: number };
  /** Page JS heap at its highest during the drop, and retained after it (after GC). */
  peakHeap: number;
  retainedHeap: number;
  baselineHeap: number;
}

const isImageChat = (r: RecordedRequest) =>
  r.path === '/api/chat' && ((r.body as { messages?: { images?: unknown[] }[] } | undefined)?.messages?.[0]?.images?.length ?? 0) > 0;

/** Draw `count` small images in the page (alternately JPEG and PNG, each its own picture). */
function makeSmallImages(bench: Awaited<ReturnType<typeof openConnected>>, count: number): Promise<number> {
  return bench.page.evaluate(async (n) => {
    const scope = globalThis as unknown as { __benchFiles?: File[] };
    scope.__benchFiles = [];
    const canvas = new OffscreenCanvas(96, 72);
    const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      g.fillStyle = `hsl(${(i * 37) % 360} 60% 60%)`;
      g.fillRect(0, 0, 96, 72);
      g.fillStyle = '#111';
      g.font = '16px sans-serif';
      g.fillText(`No. ${i}`, 8, 40);
      const isJpeg = i % 2 === 0;
      const blob = await canvas.convertToBlob({ type: isJpeg ? 'image/jpeg' : 'image/png', quality: 0.8 });
      bytes += blob.size;
      scope.__benchFiles.push(new File([blob], `IMG_${String(i).padStart(5, '0')}.${isJpeg ? 'jpg' : 'png'}`, { type: blob.type }));
    }
    return bytes;
  }, count);
}

/** Watch for the progress line and the moment the whole drop is listed (epoch ms). */
function watchIntake(bench: Awaited<ReturnType<typeof openConnected>>, listed: string): Promise<void> {
  return bench.page.evaluate((wanted) => {
    const seen: { progress: string[]; listedAt?: number; doneAt?: number } = { progress: [] };
    (globalThis as unknown as { __intake: typeof seen }).__intake = seen;
    let wasBusy = false;
    new MutationObserver(() => {
      const progress = document.querySelector('[data-testid=intake-progress] label')?.textContent;
      if (progress) {
        wasBusy = true;
        if (seen.progress.length < 400) seen.progress.push(progress);
      } else if (wasBusy && seen.doneAt === undefined) seen.doneAt = Date.now();
      if (seen.listedAt === undefined && document.querySelector('.library .count')?.textContent === wanted) seen.listedAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, listed);
}

export async function benchIntake(env: BenchEnv, files = 10_000): Promise<IntakeFigures> {
  const bench = await openConnected(env);
  try {
    const generated = Date.now();
    const totalBytes = await makeSmallImages(bench, files);
    const generateMs = Date.now() - generated;
    await watchIntake(bench, countText(files));
    await resetProbes(bench.page);
    const before = env.ollama.requests.filter(isImageChat).length;
    env.ollama.hold();
    const baselineHeap = await retainedHeap(bench.cdp);
    const memory = new MemorySampler(bench.cdp, 200);
    const dropped = await dropImages(bench.page);
    const first = await waitFor('the first chat request', () => env.ollama.requests.filter(isImageChat)[before], 120_000, 5);
    const seen = await waitFor('every file to be listed and read', async () => {
      const s = await bench.page.evaluate(() => (globalThis as unknown as { __intake: { progress: string[]; listedAt?: number; doneAt?: number } }).__intake);
      return s.listedAt !== undefined && s.doneAt !== undefined ? s : undefined;
    }, 600_000, 100);
    const summary = memory.stop();
    const longTasks = summariseLongTasks(await readLongTasks(bench.page), dropped, Math.max(seen.listedAt ?? 0, seen.doneAt ?? 0));
    const retained = await retainedHeap(bench.cdp);
    const step = Math.max(1, Math.floor(seen.progress.length / 4));
    return {
      files,
      totalBytes,
      generateMs,
      firstRequestMs: first.time - dropped,
      allListedMs: (seen.listedAt as number) - dropped,
      intakeDoneMs: (seen.doneAt as number) - dropped,
      progressSeen: seen.progress.filter((_, i) => i % step === 0).slice(0, 5),
      longTasks,
      peakHeap: summary.peakHeap,
      retainedHeap: retained,
      baselineHeap,
    };
  } finally {
    env.ollama.releaseAll();
    await bench.context.close();
  }
}
