// The built-in OCR for real: tesseract.js, its WebAssembly core and the English data, in Chromium,
// from the app's own origin. First through the dev server (the module as written), then through a
// production build under the strict CSP header, with the service worker caching it for offline use.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/lib/engines/types.ts';
import { OCR_FOLDER } from '../../scripts/vite-plugin-ocr-assets.ts';
import { OCR_CORE_FILES, OCR_LANGUAGE_FILE, OCR_WORKER_FILE, wasmOf } from '../../src/lib/engines/builtin-ocr/assets.ts';
import { freePort, launchBrowser } from './harness.ts';
import { similarity } from './ocr-text.ts';
import { ENGINE_SOURCE, buildWithOcrEntry } from './ocr-build.ts';

const PARAGRAPHS = [
  ['The quick brown fox jumps over', 'the lazy dog beside the river.'],
  ['Lenscribe reads screenshots offline', 'with Tesseract in a web worker.'],
];

/** What one read in the page gave back. */
interface PageRead {
  text: string;
  chunks: number;
  outcome: { doneReason: string; metrics: { total_duration?: number; load_duration?: number }; confidence?: { source: string; mean: number; lowest: number } };
  progress: { status: string; fraction?: number }[];
}

/**
 * Draw a screenshot-like PNG (two paragraphs of 26 px sans-serif) in the page, and read it with
 * the engine from `moduleUrl`, kept on window so later reads reuse its worker. With `abortWhen`,
 * abort at the first progress of that status and report the error's name instead.
 */
async function readInPage(page: Page, moduleUrl: string, abortWhen?: string): Promise<PageRead | { error: string; message?: string }> {
  // A string, because vitest rewrites import() in test code, and the page must do its own import.
  await page.evaluate(`import(${JSON.stringify(moduleUrl)}).then((module) => { window.ocrModule = module; })`);
  return page.evaluate(
    async ({ paragraphs, abortWhen }) => {
      const holder = window as unknown as { ocrModule: typeof import('../../src/lib/engines/builtin-ocr/index.ts'); ocrEngine?: Engine };
      const engine = (holder.ocrEngine ??= holder.ocrModule.createBuiltinOcrEngine());
      const canvas = new OffscreenCanvas(960, 400);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = '#1a1a1a';
      context.font = '26px sans-serif';
      let y = 70;
      for (const lines of paragraphs) {
        for (const line of lines) {
          context.fillText(line, 48, y);
          y += 38;
        }
        y += 60;
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const image = { blob, base64: new Uint8Array(), type: 'image/png' as const, width: canvas.width, height: canvas.height };
      const controller = new AbortController();
      const progress: { status: string; fraction?: number }[] = [];
      const onProgress = (p: { status: string; fraction?: number }) => {
        progress.push(p);
        if (p.status === abortWhen) controller.abort();
      };
      const reply = engine.read({ model: 'tesseract-eng', prompt: 'ignored', images: [image], options: {} }, { signal: controller.signal, onProgress });
      let text = '';
      let chunks = 0;
      try {
        for (;;) {
          const next = await reply.next();
          if (next.done) return { text, chunks, outcome: next.value, progress };
          text += next.value.text;
          chunks += 1;
        }
      } catch (error) {
        return { error: (error as Error).name, message: (error as Error).message };
      }
    },
    { paragraphs: PARAGRAPHS, abortWhen },
  );
}

/** The checks every successful read must pass: words, lines, one blank line between paragraphs, confidence. */
function expectTwoParagraphs(read: PageRead | { error: string }): PageRead {
  if ('error' in read) throw new Error(`read failed: ${read.error}`);
  const paragraphs = read.text.split('\n\n');
  expect(paragraphs, read.text).toHaveLength(2);
  // Tesseract may misread a letter; each line must still be there, as its own line, mostly right.
  paragraphs.forEach((paragraph, p) => {
    const lines = paragraph.split('\n');
    expect(lines, paragraph).toHaveLength(2);
    lines.forEach((line, l) => expect(similarity(line, PARAGRAPHS[p]![l]!), `${line} vs ${PARAGRAPHS[p]![l]}`).toBeGreaterThan(0.85));
  });
  for (const word of ['quick', 'brown', 'river', 'Lenscribe', 'screenshots', 'Tesseract', 'worker']) expect(read.text).toContain(word);
  expect(read.chunks).toBe(2);
  expect(read.outcome.doneReason).toBe('stop');
  expect(read.outcome.metrics.total_duration).toBeGreaterThan(0);
  const { source, mean, lowest } = read.outcome.confidence!;
  expect(source).toBe('ocr');
  expect(mean).toBeGreaterThan(0.6);
  expect(mean).toBeLessThanOrEqual(1);
  expect(lowest).toBeGreaterThan(0);
  expect(lowest).toBeLessThanOrEqual(mean);
  expect(read.progress.some((p) => p.status === 'Recognizing text' && p.fraction === 1)).toBe(true);
  return read;
}

const sameOrigin = (origin: string) => (url: string) => new URL(url).origin === origin;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('built-in OCR through the dev server', () => {
  let server: ViteDevServer;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    server = await createServer({ logLevel: 'silent', server: { port: await freePort(), strictPort: true, host: '127.0.0.1' } });
    await server.listen();
    origin = new URL(server.resolvedUrls!.local[0]!).origin;
    context = await browser.newContext();
    context.on('request', (request) => requests.push(request.url()));
    page = await context.newPage();
    // A blank page on the dev server's origin: the app itself is not needed to drive the module.
    await page.route(`${origin}/ocr-test.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>OCR</title>' }));
    await page.goto(`${origin}/ocr-test.html`);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('reads two paragraphs with their lines, with confidence and start-up progress, all from this origin', async () => {
    const read = expectTwoParagraphs(await readInPage(page, `/${ENGINE_SOURCE}`));
    const statuses = read.progress.map((p) => p.status);
    for (const status of ['Loading the OCR engine', 'Loading English language data', 'Starting the OCR engine', 'Recognizing text']) expect(statuses).toContain(status);
    // Start-up progress comes before recognition, as the user sees it.
    expect(statuses.indexOf('Loading the OCR engine')).toBeLessThan(statuses.indexOf('Recognizing text'));
    expect(read.outcome.metrics.load_duration).toBeGreaterThan(0);
    expect(requests.filter((url) => !sameOrigin(origin)(url))).toEqual([]);
    const ocrRequests = requests.filter((url) => url.includes(`/${OCR_FOLDER}`)).map((url) => url.slice(url.lastIndexOf('/') + 1));
    expect(ocrRequests).toContain(OCR_WORKER_FILE);
    expect(ocrRequests).toContain(OCR_LANGUAGE_FILE);
    // Chromium runs relaxed SIMD: its core and that core's .wasm, nothing else.
    expect(ocrRequests).toContain(OCR_CORE_FILES.relaxedSimd);
    expect(ocrRequests).toContain(wasmOf(OCR_CORE_FILES.relaxedSimd));
  }, 180_000);

  it('reuses the started worker for the next image: no second start-up', async () => {
    const before = requests.length;
    const read = expectTwoParagraphs(await readInPage(page, `/${ENGINE_SOURCE}`));
    expect(read.outcome.metrics.load_duration).toBeUndefined();
    expect(read.progress.map((p) => p.status)).not.toContain('Loading the OCR engine');
    expect(requests.slice(before).filter((url) => url.includes('/ocr/'))).toEqual([]);
  }, 180_000);

  it('stops when aborted during recognition, and reads again afterwards with a fresh worker', async () => {
    expect(await readInPage(page, `/${ENGINE_SOURCE}`, 'Recognizing text')).toMatchObject({ error: 'AbortError' });
    const read = expectTwoParagraphs(await readInPage(page, `/${ENGINE_SOURCE}`));
    // The aborted worker was terminated, so this read started a new one.
    expect(read.outcome.metrics.load_duration).toBeGreaterThan(0);
  }, 180_000);
});

describe('built-in OCR in the built app', () => {
  // A production build with the engine as an extra entry, since the app does not load it yet.
  const outDir = join(tmpdir(), `lenscribe-ocr-dist-${process.pid}`);
  let engineUrl: string;
  let server: PreviewServer;
  let origin: string;

  beforeAll(async () => {
    engineUrl = await buildWithOcrEntry(outDir);
    // `npm start`'s server: vite preview, which sends the strict policy as a header on every response.
    server = await preview({ logLevel: 'silent', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
    origin = `http://localhost:${(server.httpServer.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('ships the OCR files in dist/ but keeps them out of the precache, with a cache-first route instead', () => {
    const folder = join(outDir, OCR_FOLDER);
    const files = readdirSync(folder);
    for (const name of [OCR_WORKER_FILE, OCR_LANGUAGE_FILE, ...Object.values(OCR_CORE_FILES)]) expect(files).toContain(name);
    expect(files.filter((name) => name.endsWith('.wasm'))).toHaveLength(3);
    const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
    const precached = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
    expect(precached).toContain('index.html');
    expect(precached.filter((url) => url.includes('ocr/tesseract'))).toEqual([]);
    expect(sw).toContain('"lenscribe-ocr"');
    expect(sw).toMatch(/CacheFirst/);
  });

  it('serves each OCR file with its type, under the strict policy header that allows WebAssembly but not eval', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(origin);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
      // The keyword lets WebAssembly compile, and nothing else: eval and new Function stay refused.
      const allowed = await page.evaluate(async () => {
        const attempt = (run: () => unknown) => {
          try {
            run();
            return 'ran';
          } catch (error) {
            return (error as Error).name;
          }
        };
        const wasm = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => 'compiled', (error: Error) => error.name);
        return { wasm, eval: attempt(() => (0, eval)('1')), newFunction: attempt(() => new Function('return 1')) };
      });
      expect(allowed).toEqual({ wasm: 'compiled', eval: 'EvalError', newFunction: 'EvalError' });
      const types = await page.evaluate(async (folder) => {
        const names = ['worker.min.js', 'tesseract-core-simd-lstm.js', 'tesseract-core-simd-lstm.wasm', 'eng.traineddata.gz'];
        return Promise.all(names.map(async (name) => {
          const answer = await fetch(`/${folder}${name}`);
          // vite preview (sirv) serves a .gz file as gzip-encoded content of no type, which the
          // browser unpacks; tesseract.js takes the data packed or not.
          const type = answer.headers.get('content-type')?.split(';')[0] || (answer.headers.get('content-encoding') === 'gzip' ? 'gzip-encoded' : '');
          return [name, answer.status, type];
        }));
      }, OCR_FOLDER);
      expect(types).toEqual([
        ['worker.min.js', 200, 'text/javascript'],
        ['tesseract-core-simd-lstm.js', 200, 'text/javascript'],
        ['tesseract-core-simd-lstm.wasm', 200, 'application/wasm'],
        ['eng.traineddata.gz', 200, 'gzip-encoded'],
      ]);
    } finally {
      await context.close();
    }
  });

  it('reads under the strict CSP, caches the OCR files on first use and reads again offline', async () => {
    const context = await browser.newContext();
    const requests: string[] = [];
    const violations: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    context.on('console', (message) => {
      if (/Content.Security.Policy|CSP/i.test(message.text())) violations.push(message.text());
    });
    try {
      const page = await context.newPage();
      await page.goto(origin);
      // The first visit is not controlled by the service worker; once it is active, a reload is.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

      expectTwoParagraphs(await readInPage(page, engineUrl));
      const cached = await page.evaluate(async () => (await (await caches.open('lenscribe-ocr')).keys()).map((r) => new URL(r.url).pathname));
      expect(cached.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort()).toEqual(
        [OCR_WORKER_FILE, OCR_LANGUAGE_FILE, OCR_CORE_FILES.relaxedSimd, wasmOf(OCR_CORE_FILES.relaxedSimd)].sort(),
      );

      await context.setOffline(true);
      await page.reload();
      const offline = expectTwoParagraphs(await readInPage(page, engineUrl));
      expect(offline.outcome.metrics.load_duration).toBeGreaterThan(0);
      // The app itself looks for Ollama at its default address; the OCR asks nothing of any other origin.
      expect(requests.filter((url) => !sameOrigin(origin)(url) && !url.startsWith('http://localhost:11434/'))).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  }, 100_000);

  it('reads on a static host that sends no policy header, and offline after a first visit', async () => {
    const host = await serveStatically(outDir);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(host.url);
      expect(response?.headers()['content-security-policy']).toBeUndefined();
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("'wasm-unsafe-eval'");
      // A first visit: the service worker does not control the page, so the page keeps the OCR files itself.
      expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
      expectTwoParagraphs(await readInPage(page, engineUrl));
      await expect.poll(() => page.evaluate(async () => (await (await caches.open('lenscribe-ocr')).keys()).length)).toBe(4);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await context.setOffline(true);
      await page.reload();
      expectTwoParagraphs(await readInPage(page, engineUrl));
    } finally {
      await context.close();
      await host.close();
    }
  }, 240_000);

  it("fails at once and names 'wasm-unsafe-eval', rather than waiting forever", async () => {
    // The built app as a host would serve it with the policy from before the built-in OCR existed.
    const strictest = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; worker-src 'self'";
    const server = await preview({ logLevel: 'silent', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false, headers: { 'Content-Security-Policy': strictest } } });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`http://localhost:${(server.httpServer.address() as AddressInfo).port}`);
      expect(response?.headers()['content-security-policy']).toBe(strictest);
      const read = await readInPage(page, engineUrl);
      expect(read).toMatchObject({ error: 'OcrEngineError', message: expect.stringContaining("'wasm-unsafe-eval'") });
    } finally {
      await context.close();
      await server.close();
    }
  }, 60_000);
});


/** A plain static file server with no headers but the type, like many static hosts. */
async function serveStatically(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
    '.webmanifest': 'application/manifest+json', '.wasm': 'application/wasm', '.gz': 'application/gzip',
  };
  const server = createHttpServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!existsSync(file)) return void response.writeHead(404).end();
    readFile(file).then((body) => {
      response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
