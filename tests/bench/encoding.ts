/// <reference types="node" />
// 2. What one image costs to prepare (decode → orient → resize → re-encode → base64, in the worker)
//    from the moment it is dropped to the moment its chat request reaches Ollama.
// 3. The app's own overhead per image on a batch, with a model that answers instantly.
import type { Page } from 'playwright-core';
import type { RecordedRequest } from '../fake-ollama/server.ts';
import { sniffImage } from '../fake-ollama/images.ts';
import { countStoredResults } from './stored.ts';
import { type BenchEnv, type BenchPage, openConnected, sleep } from './env.ts';
import { dropImages, makeImages, type ImageSpec } from './images.ts';
import { MemorySampler, chromiumPss, chromiumRss } from './memory.ts';
import { type PhaseChange, readLongTasks, readPhases, resetProbes, summariseLongTasks, waitFor } from './probes.ts';

export interface EncodeFigures {
  label: string;
  name: string;
  fileBytes: number;
  generateMs: number;
  ok: boolean;
  /** The app's message when the image was refused or failed. */
  message?: string;
  /** Drop → chat request received by Ollama (body complete). */
  toRequestMs?: number;
  /** Drop → row listed (header read, hash and Blob stored: the worker's identify; no decode). */
  inspectMs?: number;
  /** Run started → request sent (reading the Blob back and the worker's encode). */
  encodeMs?: number;
  sentSize?: string;
  sentBytes?: number;
  longTasks: { count: number; max: number; total: number };
  baselineRss: number;
  baselinePss: number;
  peakRss: number;
}

export interface ThroughputFigures {
  images: number;
  width: number;
  height: number;
  meanFileBytes: number;
  totalMs: number;
  imagesPerSecond: number;
  meanMsPerImage: number;
  firstRequestMs: number;
  /** Mean gap between consecutive chat requests: the per-image cost once the batch is flowing. */
  steadyGapMs: number;
  longTasks: { count: number; max: number; total: number };
  stored: number;
}

const isImageChat = (r: RecordedRequest) =>
  r.path === '/api/chat' && ((r.body as { messages?: { images?: unknown[] }[] } | undefined)?.messages?.[0]?.images?.length ?? 0) > 0;
const sentImage = (r: RecordedRequest) => Buffer.from((r.body as { messages: { images: string[] }[] }).messages[0]?.images[0] ?? '', 'base64');

/** The row's phase changes for one file, as the probes saw them. */
const phaseAt = (phases: PhaseChange[], name: string, ...wanted: string[]) => phases.find((p) => p.name === name && wanted.includes(p.phase))?.at;

/** A rejection or failure message for this file, if the app showed one. */
function problemOf(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate((fileName) => {
    const rejected = Array.from(document.querySelectorAll('[data-testid=rejected]')).find((el) => el.textContent?.includes(fileName));
    if (rejected) return rejected.textContent?.replace('✕', '').trim();
    const row = Array.from(document.querySelectorAll('[data-testid=item]')).find((el) => el.querySelector('.name')?.textContent === fileName);
    const failed = row?.querySelector('[data-phase=failed]');
    return failed ? failed.textContent?.trim() : undefined;
  }, name);
}

async function encodeOne(env: BenchEnv, bench: BenchPage, label: string, spec: ImageSpec): Promise<EncodeFigures> {
  const { page } = bench;
  const generated = Date.now();
  const [fileBytes = 0] = await makeImages(page, [spec]);
  const generateMs = Date.now() - generated;
  await sleep(500);
  await resetProbes(page, true);
  const before = env.ollama.requests.filter(isImageChat).length;
  const memory = new MemorySampler();
  const dropped = await dropImages(page);
  let request: RecordedRequest | undefined;
  let message: string | undefined;
  await waitFor(`${spec.name} to reach Ollama or fail`, async () => {
    request = env.ollama.requests.filter(isImageChat)[before];
    if (request) return true;
    message = await problemOf(page, spec.name);
    return message === undefined ? undefined : true;
  }, 180_000, 25);
  if (request) await waitFor(`${spec.name} to be done`, async () => ((await page.locator(`[data-testid=item]:has-text("${spec.name}") [data-phase=done]`).count()) > 0 ? true : undefined), 30_000, 25);
  const ended = Date.now();
  const { baselineRss, baselinePss, peakRss } = memory.stop();
  const longTasks = summariseLongTasks(await readLongTasks(page), dropped, ended);
  const phases = await readPhases(page);
  const listed = phaseAt(phases, spec.name, 'idle', 'queued', 'encoding');
  const encoding = phaseAt(phases, spec.name, 'encoding');
  const waiting = phaseAt(phases, spec.name, 'waiting', 'streaming', 'done');
  const sent = request ? sentImage(request) : undefined;
  const info = sent ? sniffImage(sent, 0) : undefined;
  return {
    label,
    name: spec.name,
    fileBytes,
    generateMs,
    ok: request !== undefined,
    message,
    toRequestMs: request ? request.time - dropped : undefined,
    inspectMs: listed !== undefined ? listed - dropped : undefined,
    encodeMs: encoding !== undefined && waiting !== undefined ? waiting - encoding : undefined,
    sentSize: info ? `${info.width}×${info.height} ${info.format.toUpperCase()}` : undefined,
    sentBytes: sent?.length,
    longTasks,
    baselineRss,
    baselinePss,
    peakRss,
  };
}

/** One kind of image, dropped `runs` times (a new picture each time, so never a cached result). */
export interface EncodeCase {
  label: string;
  runs: EncodeFigures[];
}

export interface EncodingFigures {
  cases: EncodeCase[];
  /** Chromium memory once the image worker has been idle long enough to be terminated (20 s). */
  idleRss: number;
  idlePss: number;
}

/** How long the bridge keeps an idle image worker (src/lib/worker/bridge.ts), plus a margin. */
const WORKER_IDLE_MS = 20_000 + 2_000;

/** One image at a time, all in the same page, smallest first; the 100 MP photo once. */
export async function benchEncoding(env: BenchEnv, repeats = 3): Promise<EncodingFigures> {
  const bench = await openConnected(env);
  try {
    const cases: { label: string; times: number; spec: Omit<ImageSpec, 'name' | 'seed'>; stem: string; ext: string }[] = [
      { label: '12 MP photo JPEG 4000×3000', times: repeats, stem: 'photo-12mp', ext: 'jpg', spec: { width: 4000, height: 3000, kind: 'photo', type: 'image/jpeg' } },
      { label: '24 MP phone photo JPEG 6000×4000', times: repeats, stem: 'photo-24mp', ext: 'jpg', spec: { width: 6000, height: 4000, kind: 'photo', type: 'image/jpeg' } },
      { label: '300-dpi page scan PNG 2550×3300', times: repeats, stem: 'scan-300dpi', ext: 'png', spec: { width: 2550, height: 3300, kind: 'scan', type: 'image/png' } },
      { label: '100 MP photo JPEG 10000×10000', times: 1, stem: 'photo-100mp', ext: 'jpg', spec: { width: 10_000, height: 10_000, kind: 'photo', type: 'image/jpeg' } },
    ];
    const out: EncodeCase[] = [];
    let seed = 1;
    for (const c of cases) {
      const runs: EncodeFigures[] = [];
      for (let i = 1; i <= c.times; i++) {
        runs.push(await encodeOne(env, bench, c.label, { ...c.spec, name: `${c.stem}-${i}.${c.ext}`, seed: seed++ }));
      }
      out.push({ label: c.label, runs });
    }
    // Does the memory come back? The bridge ends an idle worker after 20 s.
    await sleep(WORKER_IDLE_MS);
    return { cases: out, idleRss: chromiumRss(), idlePss: chromiumPss() };
  } finally {
    await bench.context.close();
  }
}

/** Drop a batch of ordinary photos at once and time until every result is stored. */
export async function benchThroughput(env: BenchEnv, images = 30, width = 1600, height = 1200): Promise<ThroughputFigures> {
  const bench = await openConnected(env);
  const { page } = bench;
  try {
    const specs: ImageSpec[] = Array.from({ length: images }, (_, i) => ({
      name: `batch-${String(i + 1).padStart(2, '0')}.jpg`, width, height, kind: 'photo', type: 'image/jpeg', seed: 100 + i,
    }));
    const sizes = await makeImages(page, specs);
    await sleep(500);
    await resetProbes(page, true);
    const before = env.ollama.requests.filter(isImageChat).length;
    const dropped = await dropImages(page);
    // The last file is queued last and, being the newest, is listed at the top: when it is done, all are.
    const lastName = specs[images - 1]?.name ?? '';
    const done = await waitFor('the whole batch', async () => {
      const chats = env.ollama.requests.filter(isImageChat).length - before;
      if (chats < images) return undefined;
      return phaseAt(await readPhases(page), lastName, 'done');
    }, 120_000, 25);
    const requests = env.ollama.requests.filter(isImageChat).slice(before);
    const times = requests.map((r) => r.time);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const stored = await countStoredResults(page);
    const totalMs = done - dropped;
    return {
      images,
      width,
      height,
      meanFileBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      totalMs,
      imagesPerSecond: images / (totalMs / 1000),
      meanMsPerImage: totalMs / images,
      firstRequestMs: (times[0] ?? done) - dropped,
      steadyGapMs: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
      longTasks: summariseLongTasks(await readLongTasks(page), dropped, done),
      stored,
    };
  } finally {
    await bench.context.close();
  }
}
