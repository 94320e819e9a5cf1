/// <reference types="node" />
// The built-in OCR: seconds per 1 MP screenshot, and its first-use start-up (cold profile: files
// downloaded from the local server, WebAssembly compiled, English data loaded). Runs a private
// production build with the engine as an extra entry, served like `npm start` (policy header).
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { preview } from 'vite';
import { buildWithOcrEntry } from '../e2e/ocr-build.ts';
import type { BenchEnv } from './env.ts';
import { median } from './report.ts';

/** One read of one screenshot, timed in the page. */
export interface OcrRun {
  /** read() called → first chunk of text. */
  firstTextMs: number;
  /** read() called → reply finished. */
  totalMs: number;
  /** The engine's own start-up time (load_duration), when this read started the worker. */
  startupMs?: number;
  words: number;
  /** Share of the drawn words found spelled exactly (each counted as often as drawn). */
  wordsFound: number;
  confidence?: { mean: number; lowest: number };
}

export interface OcrFigures {
  width: number;
  height: number;
  cold: OcrRun;
  /** Warm reads of new screenshots by the same, started worker. */
  warm: OcrRun[];
  /** A new page in the same profile: files from the HTTP cache, WebAssembly compiled again. */
  reloaded: OcrRun;
  /** Bytes the cold start downloaded from /ocr/. */
  downloadedBytes: number;
}

const WIDTH = 1280;
const HEIGHT = 800;

export async function benchOcr(env: BenchEnv, warmRuns = 3): Promise<OcrFigures> {
  const outDir = await mkdtemp(join(tmpdir(), 'lenscribe-bench-ocr-'));
  const engineUrl = await buildWithOcrEntry(outDir);
  const server = await preview({ logLevel: 'silent', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = `http://localhost:${(server.httpServer.address() as AddressInfo).port}`;
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    let downloadedBytes = 0;
    context.on('response', (response) => {
      if (!response.url().includes('/ocr/')) return;
      // Bytes on the wire: the preview server gzips some of these files as it sends them.
      void response.request().sizes().then((sizes) => (downloadedBytes += sizes.responseBodySize), () => undefined);
    });
    const page = await context.newPage();
    await page.goto(url);
    const cold = await readScreenshot(page, engineUrl, 0);
    const warm: OcrRun[] = [];
    for (let i = 1; i <= warmRuns; i++) warm.push(await readScreenshot(page, engineUrl, i));
    const coldBytes = downloadedBytes;
    await page.reload();
    const reloaded = await readScreenshot(page, engineUrl, warmRuns + 1);
    return { width: WIDTH, height: HEIGHT, cold, warm, reloaded, downloadedBytes: coldBytes };
  } finally {
    await context.close();
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Draw a screenshot-like page of text (a title, paragraphs of 16–18 px sans-serif, a sidebar) and read it. */
async function readScreenshot(page: Page, engineUrl: string, seed: number): Promise<OcrRun> {
  await page.evaluate(`import(${JSON.stringify(engineUrl)}).then((module) => { window.ocrModule = module; })`);
  return page.evaluate(readScreenshotInPage, { width: WIDTH, height: HEIGHT, seed });
}

/** Runs inside the page. */
async function readScreenshotInPage({ width, height, seed }: { width: number; height: number; seed: number }): Promise<OcrRun> {
  type Engine = import('../../src/lib/engines/types.ts').Engine;
  const holder = window as unknown as { ocrModule: typeof import('../../src/lib/engines/builtin-ocr/index.ts'); ocrEngine?: Engine };
  const engine = (holder.ocrEngine ??= holder.ocrModule.createBuiltinOcrEngine());
  const vocabulary = 'the model reads every image on this computer and keeps results in the browser library export share offline worker queue screenshot receipt invoice paragraph column heading settings network privacy'.split(' ');
  // No named inner functions here: tsx would wrap them in a helper the page does not have.
  const words: string[] = [];
  let state = seed * 7919 + 17;
  for (let i = 0; i < 400; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    words.push(vocabulary[state % vocabulary.length]!);
  }
  let next = 0;
  const lines: [text: string, x: number, y: number, font: string][] = [];
  for (let i = 0; i < 14; i++) lines.push([`${words[next++]} ${words[next++]}`, 24, 60 + i * 34, '16px sans-serif']);
  lines.push([`Settings ${words[next++]} ${words[next++]} ${words[next++]}`, 300, 56, 'bold 28px sans-serif']);
  let y = 110;
  for (let paragraph = 0; paragraph < 5; paragraph++) {
    for (let line = 0; line < 5; line++) {
      lines.push([words.slice(next, next + 10).join(' '), 300, y, '17px sans-serif']);
      next += 10;
      y += 25;
    }
    y += 22;
  }
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#f0f2f5';
  context.fillRect(0, 0, 260, height);
  context.fillStyle = '#1b1f24';
  const drawn: string[] = [];
  for (const [text, x, lineY, font] of lines) {
    context.font = font;
    context.fillText(text, x, lineY);
    drawn.push(...text.split(' '));
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const image = { blob, base64: new Uint8Array(), type: 'image/png' as const, width, height };
  const started = performance.now();
  let firstTextMs: number | undefined;
  let text = '';
  const reply = engine.read({ model: 'tesseract-eng', prompt: '', images: [image], options: {} });
  for (;;) {
    const chunk = await reply.next();
    if (chunk.done) {
      const totalMs = performance.now() - started;
      // Words found, each as often as it was drawn at most (the vocabulary repeats).
      const found = new Map<string, number>();
      for (const word of text.split(/\s+/)) found.set(word, (found.get(word) ?? 0) + 1);
      let matched = 0;
      for (const word of drawn) {
        const left = found.get(word) ?? 0;
        if (left === 0) continue;
        matched += 1;
        found.set(word, left - 1);
      }
      const load = chunk.value.metrics.load_duration;
      return {
        firstTextMs: firstTextMs ?? totalMs,
        totalMs,
        ...(load ? { startupMs: load / 1e6 } : {}),
        words: drawn.length,
        wordsFound: matched / drawn.length,
        ...(chunk.value.confidence ? { confidence: chunk.value.confidence } : {}),
      };
    }
    firstTextMs ??= performance.now() - started;
    text += chunk.value.text;
  }
}

/** Seconds per megapixel of a warm read, median over the warm runs. */
export function secondsPerMegapixel(f: OcrFigures): number {
  return median(f.warm.map((run) => run.totalMs)) / 1000 / ((f.width * f.height) / 1e6);
}
