// Issue 5's promises about what leaves the machine: nothing reaches another host during a whole
// journey, and the Content-Security-Policy is in force yet never gets in the app's way.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makeJpeg, makePng } from '../fixtures/images.ts';
import { addFiles, connectTo, launchBrowser, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

interface Watched {
  page: Page;
  /** The first load's response, from the server itself. */
  response: Response | null;
  requests: string[];
  /** How many of those the service worker made (precaching): they are watched too. */
  workerRequests: number;
  violations: string[];
  /** Policy refusals logged to the console, and uncaught errors. */
  errors: string[];
}

/** Open the app with every request, CSP violation and error recorded from the very first byte. */
async function openWatched(): Promise<Watched> {
  context = await browser.newContext();
  const watched: Watched = { page: undefined as unknown as Page, response: null, requests: [], workerRequests: 0, violations: [], errors: [] };
  context.on('request', (request) => {
    watched.requests.push(request.url());
    if (request.serviceWorker()) watched.workerRequests++;
  });
  await context.exposeBinding('reportViolation', (_source, text: string) => watched.violations.push(text));
  await context.addInitScript(() => {
    const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation;
    document.addEventListener('securitypolicyviolation', (e) => report(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    // Chromium logs each refusal as "Refused to … because it violates the … Content Security Policy".
    if (/Content.Security.Policy/i.test(message.text())) watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  watched.page = page;
  watched.response = await page.goto(app.url);
  return watched;
}

/** This machine: loopback over http, or data the page made itself. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'blob:' || protocol === 'data:' || (protocol === 'http:' && ['localhost', '127.0.0.1'].includes(hostname));
}

const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');

describe('privacy and the Content-Security-Policy', () => {
  it('contacts no other host and breaks no rule of the policy during a whole journey', async () => {
    const watched = await openWatched();
    const { page, requests, violations, errors } = watched;
    await connectTo(page, ollama.url);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    ollama.setReply('# Receipt\n\n| item | price |\n| --- | --- |\n| tea | 2.50 |\n\n**Total** 2.50');
    await addFiles(page, [
      { name: 'receipt.png', mimeType: 'image/png', buffer: makePng(240, 320, (x, y) => [x % 256, y % 256, 120]) },
      { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: makeJpeg(320, 240, (x) => [40, x % 256, 60]) },
    ]);
    for (const name of ['receipt.png', 'photo.jpg']) await expect.poll(() => phase(page, name), { timeout: 20_000 }).toBe('done');
    await row(page, 'receipt.png').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('result').locator('table').count()).toBe(1);
    await page.getByRole('figure').locator('img').waitFor();
    // The zip worker runs under the policy too.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.zip$/);
    await page.getByTestId('pwa-banner').getByText('Ready to work offline').waitFor({ timeout: 20_000 });
    await page.reload();
    await expect.poll(() => phase(page, 'photo.jpg')).toBe('done');
    await page.waitForTimeout(300);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
    expect(watched.workerRequests).toBeGreaterThan(0);
    expect(requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it('is in force: served as a header and a <meta>; inline code and other hosts are refused, Ollama\'s port is not', async () => {
    const { page, violations, response } = await openWatched();
    const header = (await response?.headerValue('content-security-policy')) ?? '';
    // 'wasm-unsafe-eval' lets the built-in OCR compile WebAssembly; it allows no eval and no inline code (checked below).
    expect(header).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    expect(header).toMatch(/frame-ancestors 'none'/);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toMatch(/default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';/);
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { inlineRan?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      const styled = document.createElement('div');
      styled.innerHTML = '<p style="color: rgb(1, 2, 3)">x</p>';
      document.body.append(styled);
      const colour = getComputedStyle(styled.firstElementChild as Element).color;
      const fetched = await fetch('https://example.com/').then(() => 'fetched', () => 'refused');
      // Another machine's Ollama or vLLM on its usual port is allowed (nothing listens here: refused by the network, not the policy).
      await fetch('http://127.0.0.2:11434/api/version').catch(() => undefined);
      await fetch('http://127.0.0.2:8000/v1/models').catch(() => undefined);
      return { inlineRan: w.inlineRan ?? false, colour, fetched };
    });
    expect(outcome).toMatchObject({ inlineRan: false, fetched: 'refused' });
    expect(outcome.colour).not.toBe('rgb(1, 2, 3)');
    // Each is refused twice: by the header and by the <meta> copy, both in force.
    await expect.poll(() => violations.map((v) => v.split(' ').slice(0, 3).join(' ')).sort()).toEqual([
      'connect-src blocked https://example.com/',
      'connect-src blocked https://example.com/',
      'script-src-elem blocked inline',
      'script-src-elem blocked inline',
      'style-src-attr blocked inline',
      'style-src-attr blocked inline',
    ]);
  });

  it('explains when the policy refuses an Ollama address, instead of only "not running"', async () => {
    const { page, violations } = await openWatched();
    // 127.0.0.2 is loopback but neither localhost nor 127.0.0.1, on a port no supported server uses.
    await connectTo(page, 'http://127.0.0.2:8081');
    await expect.poll(() => page.getByTestId('csp-blocked').textContent(), { timeout: 10_000 }).toMatch(/http:\/\/127\.0\.0\.2:8081.*LENSCRIBE_CONNECT_SRC/s);
    // The same watch the journey relies on does see a refusal.
    expect(violations.some((v) => v.startsWith('connect-src blocked http://127.0.0.2:8081'))).toBe(true);
  });
});
