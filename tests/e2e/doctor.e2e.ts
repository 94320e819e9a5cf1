// Issue 3's journeys: tell "not running" from "refused by CORS" from "answers with an error",
// manage models (capabilities, pull with progress, cancel), and survive Ollama going away.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, type FakeOllama, type FakeOllamaOptions, SERVER_BUSY, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, connectTo, freePort, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
/** The same build served from an origin Ollama does not allow by default (loopback, not 127.0.0.1). */
let foreignApp: { url: string; close: () => Promise<void> };
const fakes: FakeOllama[] = [];
const opened: OpenedApp[] = [];

beforeAll(async () => {
  [browser, app, foreignApp] = await Promise.all([launchBrowser(), startApp(), startApp('127.0.0.2')]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), foreignApp?.close()]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.context.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A fake Ollama of this test's own, closed after it. */
async function fake(options?: FakeOllamaOptions): Promise<FakeOllama> {
  const ollama = await startFakeOllama(options);
  fakes.push(ollama);
  return ollama;
}

/** Open the app (served from `appUrl`) pointed at `ollamaUrl`. */
async function open(ollamaUrl: string, appUrl = app.url): Promise<Page> {
  const o = await openApp(browser, appUrl, ollamaUrl);
  opened.push(o);
  return o.page;
}


const badge = (page: Page) => page.locator('[data-status]');
const status = (page: Page) => badge(page).getAttribute('data-status');
const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');
const modelSelect = (page: Page) => page.getByLabel('Model', { exact: true });
const chats = (ollama: FakeOllama) =>
  ollama.requests.filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] })?.messages?.length ?? 0) > 0);
const warmUps = (ollama: FakeOllama) =>
  ollama.requests.filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] })?.messages?.length ?? -1) === 0);
const png = (name: string, shade: number) => ({ name, mimeType: 'image/png', buffer: makePng(64, 48, (x) => [shade, x % 256, 40]) });

async function openPanel(page: Page) {
  if (!(await page.getByTestId('doctor').isVisible())) await page.getByRole('button', { name: 'Connection & models' }).click();
}

/** Record every distinct text of the pull progress line, so a fast pull's steps are all seen. */
async function watchPullProgress(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { __pullSeen: string[] }).__pullSeen = []);
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid=pull-progress]');
      const bar = box?.querySelector('progress');
      const text = box ? `${bar?.value ?? ''}|${box.textContent?.replace(/\s+/g, ' ').trim()}` : '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __pullSeen: string[] }).__pullSeen);
}

describe('connection doctor', () => {
  it('says how to start Ollama when nothing listens, then connects by itself once it does', async () => {
    const port = await freePort();
    const page = await open(`http://127.0.0.1:${port}`);
    await expect.poll(() => status(page)).toBe('not-running');
    expect(await badge(page).textContent()).toMatch(/Ollama is not running/);
    const help = page.getByTestId('help-not-running');
    expect(await help.textContent()).toContain('ollama serve');
    expect(await help.getByRole('link', { name: /ollama\.com/ }).getAttribute('href')).toBe('https://ollama.com/download');

    // Ollama starts after the page opened: polling notices with no click.
    await fake({ port, version: '0.13.2' });
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('connected');
    expect(await badge(page).textContent()).toMatch(/Connected to Ollama 0\.13\.2/);
    expect(await help.count()).toBe(0);
  });

  it('tells a CORS refusal apart and gives the exact OLLAMA_ORIGINS for this origin', async () => {
    const ollama = await fake();
    const page = await open(ollama.url, foreignApp.url);
    const origin = new URL(foreignApp.url).origin;
    await expect.poll(() => status(page)).toBe('cors-blocked');
    // Ollama refused with a bare 403, which the page only sees as "Failed to fetch".
    expect(ollama.requests.some((r) => r.origin === origin && r.status === 403)).toBe(true);
    expect(await badge(page).textContent()).toMatch(/CORS/);
    expect(await page.getByTestId('origins-line').textContent()).toBe(`OLLAMA_ORIGINS=${origin}`);
    const help = (await page.getByTestId('help-cors').textContent()) ?? '';
    expect(help).toContain(`launchctl setenv OLLAMA_ORIGINS "${origin}"`);
    expect(help).toContain(`Environment="OLLAMA_ORIGINS=${origin}"`);
    expect(help).toMatch(/Windows[\s\S]*OLLAMA_ORIGINS/);
    expect(help).toContain('http://localhost:*');
    expect(await page.getByTestId('help-not-running').count()).toBe(0);

    // Following the advice works: an Ollama started with that value lets the page in.
    const allowing = await fake({ origins: [origin] });
    await connectTo(page, allowing.url);
    await expect.poll(() => status(page)).toBe('connected');
  });

  it("shows Ollama's own error text when it answers with an error, and recovers", async () => {
    const ollama = await fake();
    const error = 'open /root/.ollama/models/manifests: permission denied';
    ollama.failNext({ path: '/api/tags', status: 500, error });
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('error');
    expect(await page.getByTestId('help-error').textContent()).toContain(error);
    expect(await badge(page).textContent()).toContain(error);
    // The failure was one-off: the next poll connects.
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('connected');
  });

  it('notices Ollama quitting while the page is idle when the tab comes back into view', async () => {
    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    await ollama.stop();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => status(page)).toBe('not-running');
    await ollama.start();
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('connected');
  });

  it('starts at the default address and keeps a changed one across a reload', async () => {
    const fresh = await openApp(browser, app.url);
    opened.push(fresh);
    await openPanel(fresh.page);
    expect(await fresh.page.getByLabel('Ollama address').inputValue()).toBe('http://localhost:11434');

    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    ollama.clearRequests();
    await page.reload();
    await expect.poll(() => status(page)).toBe('connected');
    expect(ollama.requests.some((r) => r.path === '/api/tags')).toBe(true);
    await openPanel(page);
    expect(await page.getByLabel('Ollama address').inputValue()).toBe(ollama.url);
  });
});

describe('models', () => {
  it('lists size, parameters, quantisation and capabilities, with the clip fallback for old servers', async () => {
    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    await openPanel(page);
    const cells = (name: string) => page.getByTestId('model-row').filter({ hasText: name }).locator('td').allTextContents();
    expect(await cells('gemma3:4b')).toEqual(['3.3 GB', '4.3B', 'Q4_K_M', 'vision']);
    expect(await cells('qwen3-vl:4b')).toEqual(['3.3 GB', '4.4B', 'Q4_K_M', 'vision, thinking']);
    expect(await cells('llama3.2:3b')).toEqual(['2.0 GB', '3.2B', 'Q4_K_M', 'text only']);
    // llava on an old server: no capabilities in /api/show, but a clip projector.
    expect(await cells('llava:7b')).toEqual(['4.7 GB', '7B', 'Q4_0', 'vision']);
    expect(await modelSelect(page).locator('option').allTextContents()).toEqual(['gemma3:4b (4.3B)', 'qwen3-vl:4b (4.4B)', 'llava:7b (7B)', 'Built-in OCR (text only)']);
  });

  it('says when no model can see images, and pulls one with progress until it is chosen', async () => {
    const ollama = await fake({ models: DEFAULT_MODELS.filter((m) => m.name === 'llama3.2:3b'), pullDelayMs: 60 });
    const page = await open(ollama.url);
    await expect.poll(() => badge(page).textContent()).toMatch(/no vision model/);
    expect(await status(page)).toBe('connected');
    expect(await page.getByTestId('no-vision').isVisible()).toBe(true);
    // Until a vision model is there, the built-in OCR reads images, and the page says why.
    expect(await modelSelect(page).inputValue()).toBe('tesseract-eng');
    expect(await page.getByTestId('model-notice').textContent()).toContain('has no vision model, so images are read by the built-in OCR');

    const seen = await watchPullProgress(page);
    expect(await page.getByLabel('Pull a model').inputValue()).toBe('gemma3:4b');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => modelSelect(page).inputValue(), { timeout: 10_000 }).toBe('gemma3:4b');
    expect(await modelSelect(page).isDisabled()).toBe(false);
    expect(await badge(page).textContent()).toMatch(/Connected to Ollama/);
    expect(await page.getByTestId('no-vision').count()).toBe(0);
    // Per-layer byte progress first, then the steps without byte counts.
    const steps = await seen();
    expect(steps.some((s) => /^50\|pulling [0-9a-f]{12} 50%$/.test(s))).toBe(true);
    expect(steps.findIndex((s) => s.includes('verifying sha256 digest'))).toBeGreaterThan(steps.findIndex((s) => s.includes('50%')));
    expect(steps.some((s) => s.includes('writing manifest'))).toBe(true);
    expect(await page.getByTestId('pull-progress').count()).toBe(0);
  });

  it("shows Ollama's error for a name it cannot pull", async () => {
    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    await openPanel(page);
    await page.getByLabel('Pull a model').fill('no-such-model:1b');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/no-such-model:1b.*pull model manifest: file does not exist/);
    expect(await page.getByTestId('model-row').filter({ hasText: 'no-such-model' }).count()).toBe(0);
  });

  it('cancels a pull: the download stops and no model is added', async () => {
    const ollama = await fake({ pullDelayMs: 400 });
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    await openPanel(page);
    await page.getByLabel('Pull a model').fill('moondream');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => page.getByTestId('pull-progress').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Cancel download' }).click();
    await expect.poll(() => ollama.pullsCancelled).toBe(1);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/cancelled/i);
    expect(await page.getByTestId('pull-progress').count()).toBe(0);
    expect(ollama.modelNames()).not.toContain('moondream:latest');
  });

  it('says when the chosen model is gone, and pulling it back chooses it again', async () => {
    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => modelSelect(page).inputValue()).toBe('gemma3:4b');
    ollama.setModels(DEFAULT_MODELS.filter((m) => m.name !== 'gemma3:4b'));
    await connectTo(page, ollama.url);
    await expect.poll(() => badge(page).textContent()).toMatch(/chosen model missing/);
    expect(await page.getByTestId('doctor').textContent()).toContain('"gemma3:4b" is no longer in Ollama');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => badge(page).textContent(), { timeout: 10_000 }).toMatch(/Connected to Ollama/);
    expect(await modelSelect(page).inputValue()).toBe('gemma3:4b');
  });

  it('warms the chosen model up and says so while it loads', async () => {
    const ollama = await fake({ loadDelayMs: 800 });
    const page = await open(ollama.url);
    const loading = page.getByText('Loading model…');
    await expect.poll(() => loading.isVisible()).toBe(true);
    await expect.poll(() => loading.isVisible()).toBe(false);
    expect(warmUps(ollama).map((r) => (r.body as { model: string }).model)).toEqual(['gemma3:4b']);
    expect(ollama.loadedModels()).toEqual(['gemma3:4b']);

    await modelSelect(page).selectOption('qwen3-vl:4b');
    await expect.poll(() => loading.isVisible()).toBe(true);
    await expect.poll(() => loading.isVisible()).toBe(false);
    expect(warmUps(ollama).map((r) => (r.body as { model: string }).model)).toEqual(['gemma3:4b', 'qwen3-vl:4b']);
    expect(chats(ollama)).toHaveLength(0);
  });

  it('gets the text of a thinking model by sending think:false', async () => {
    const ollama = await fake({ reply: 'Invoice 42, total 19.99' });
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    await modelSelect(page).selectOption('qwen3-vl:4b');
    await addFiles(page, [png('invoice.png', 10)]);
    await expect.poll(() => phase(page, 'invoice.png'), { timeout: 20_000 }).toBe('done');
    expect(chats(ollama).map((r) => r.body)).toEqual([expect.objectContaining({ model: 'qwen3-vl:4b', think: false })]);
    await row(page, 'invoice.png').getByRole('button').first().click();
    expect(await page.getByTestId('result').getByTestId('markdown').textContent()).toContain('Invoice 42, total 19.99');
  });
});

describe('recovery', () => {
  it('pauses the batch while Ollama is gone and finishes it, nothing lost, when it is back', async () => {
    const ollama = await fake({ reply: 'one two three four five six' });
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    const names = ['a.png', 'b.png', 'c.png'];
    ollama.hold();
    await addFiles(page, names.map((name, i) => png(name, 60 * i)));
    await ollama.whenHeld(1);
    ollama.release(1);
    await expect.poll(() => page.getByTestId('item').filter({ has: page.locator('[data-phase=streaming]') }).count(), { timeout: 20_000 }).toBe(1);

    await ollama.stop();
    await expect.poll(() => status(page)).toBe('not-running');
    for (const name of names) await expect.poll(() => phase(page, name), { timeout: 20_000 }).toBe('paused');
    expect(await row(page, 'a.png').textContent()).toMatch(/Waiting for a model: Ollama at 127\.0\.0\.1:\d+ does not answer/);

    ollama.releaseAll();
    await ollama.start();
    for (const name of names) await expect.poll(() => phase(page, name), { timeout: 20_000 }).toBe('done');
    expect(await status(page)).toBe('connected');
    expect(await page.locator('[data-phase=failed]').count()).toBe(0);
    // The cut-off request was asked again: one per image after the restart.
    expect(chats(ollama).filter((r) => r.status === 200)).toHaveLength(3);
  });

  it('retries after a 503 "server busy" instead of failing', async () => {
    const ollama = await fake();
    const page = await open(ollama.url);
    await expect.poll(() => status(page)).toBe('connected');
    ollama.failNext({ status: 503, error: SERVER_BUSY });
    await addFiles(page, [png('busy.png', 200)]);
    await expect.poll(() => phase(page, 'busy.png'), { timeout: 20_000 }).toBe('paused');
    await expect.poll(() => phase(page, 'busy.png'), { timeout: 20_000 }).toBe('done');
    expect(chats(ollama).map((r) => r.status)).toEqual([503, 200]);
  });
});
