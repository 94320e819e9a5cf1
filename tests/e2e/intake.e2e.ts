// Issue 10's backlog: a large drop is listed as it is stored (progress shown, non-images summed
// up), the first image's request leaves before the rest are listed, and thumbnails follow decoding.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp | undefined;

const COUNT = 200;
const isImageChat = (r: { path: string; body: unknown }) =>
  r.path === '/api/chat' && ((r.body as { messages?: { images?: unknown[] }[] })?.messages?.[0]?.images?.length ?? 0) > 0;

/** Small PNGs, each its own picture (so its own hash), plus a file that is not an image. */
function smallFiles(count: number) {
  const images = Array.from({ length: count }, (_, i) => ({
    name: `page-${String(i + 1).padStart(3, '0')}.png`,
    mimeType: 'image/png',
    buffer: makePng(48 + (i % 7), 40, (x, y) => [i % 256, (i * 7 + x) % 256, (y * 3) % 256]),
  }));
  return [...images, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') }];
}

/** Watch the page for the progress line's texts and the moment the whole drop is listed. */
function watchIntake(page: Page, listedText: string): Promise<void> {
  return page.evaluate((wanted) => {
    const seen: { progress: string[]; listedAt?: number } = { progress: [] };
    (globalThis as unknown as { __intake: typeof seen }).__intake = seen;
    new MutationObserver(() => {
      const progress = document.querySelector('[data-testid=intake-progress] label')?.textContent;
      if (progress && seen.progress.at(-1) !== progress) seen.progress.push(progress);
      if (seen.listedAt === undefined && document.querySelector('.library .count')?.textContent === wanted) seen.listedAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, listedText);
}

const watched = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __intake: { progress: string[]; listedAt?: number } }).__intake);

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
afterEach(async () => {
  ollama.releaseAll();
  await opened?.context.close();
  opened = undefined;
});

describe('a large drop', () => {
  it('lists 200 files as they are stored, with progress, non-images summed up, the first request out early', async () => {
    ollama.clearRequests();
    ollama.configure({ chunkDelayMs: 0, firstChunkDelayMs: 0 });
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue()).toBe('gemma3:4b');
    // Every answer waits, so the queue keeps its order visible while the drop is read.
    ollama.hold();
    await watchIntake(page, `${COUNT} images`);

    await addFiles(page, smallFiles(COUNT));
    await expect.poll(() => page.locator('.library .count').textContent(), { timeout: 60_000 }).toBe(`${COUNT} images`);
    const { progress, listedAt } = await watched(page);
    expect(progress.length).toBeGreaterThan(0);
    for (const text of progress) expect(text).toMatch(new RegExp(`^Adding \\d+ of ${COUNT + 1}…$`));
    await expect.poll(() => page.getByTestId('intake-progress').count()).toBe(0);

    // The first image was asked about before the last of the drop was listed.
    const first = ollama.requests.find(isImageChat);
    expect(first).toBeDefined();
    expect(first!.time).toBeLessThan(listedAt!);

    // The text file is summed up in one line, not listed as an image or as a row of its own.
    await expect.poll(() => page.getByTestId('skipped').locator('summary').textContent()).toBe('1 file skipped: not an image');
    expect(await page.getByTestId('rejected').count()).toBe(0);
    expect(await row(page, 'notes.txt').count()).toBe(0);

    // The first file (the oldest, at the bottom of the list): once its job has decoded it, its
    // thumbnail is shown.
    ollama.releaseAll();
    await page.locator('.library ul').evaluate((list) => (list.scrollTop = list.scrollHeight));
    await expect.poll(() => row(page, 'page-001.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => row(page, 'page-001.png').getByTestId('thumbnail').locator('img').getAttribute('src'), { timeout: 30_000 }).toMatch(/^blob:/);
  });

  it('shows placeholders until idle-time decoding makes the thumbnails, with no model chosen', async () => {
    opened = await openApp(browser, app.url);
    const { page } = opened;
    await addFiles(page, smallFiles(3).slice(0, 3));
    await expect.poll(() => page.locator('.library .count').textContent(), { timeout: 30_000 }).toBe('3 images');
    for (const name of ['page-001.png', 'page-002.png', 'page-003.png']) {
      await expect.poll(() => row(page, name).getByTestId('thumbnail').locator('img').getAttribute('src'), { timeout: 30_000 }).toMatch(/^blob:/);
    }
    // Decoded images lose the placeholder look.
    expect(await page.locator('[data-testid=thumbnail].pending').count()).toBe(0);
  });
});
