// Issue 10's batch: a reload mid-batch loses and doubles nothing, pause and resume, and images
// added before Ollama runs are read, with no click, as soon as it starts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, freePort, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
const opened: OpenedApp[] = [];
const fakes: FakeOllama[] = [];

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
});
afterEach(async () => {
  for (const o of opened.splice(0)) await o.context.close();
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(options: Parameters<typeof startFakeOllama>[0] = {}): Promise<FakeOllama> {
  const ollama = await startFakeOllama(options);
  fakes.push(ollama);
  return ollama;
}

async function open(ollamaUrl: string): Promise<Page> {
  const o = await openApp(browser, app.url, ollamaUrl);
  opened.push(o);
  await expect.poll(() => o.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
  return o.page;
}

/** Small images that differ, so each has its own hash. */
const images = (count: number, prefix = 'img') =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}${String(i).padStart(2, '0')}.png`, mimeType: 'image/png', buffer: makePng(60, 40, (x) => [i, x % 256, 7]) }));

const chats = (ollama: FakeOllama) => ollama.requests.filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] })?.messages?.length ?? 0) > 0);
/** The chats the model took up (a request closed while it waited in Ollama's queue never reached it). */
const answered = (ollama: FakeOllama) => chats(ollama).filter((r) => r.servedAt !== undefined);
const sentImage = (request: { body: unknown }) => (request.body as { messages: { images?: string[] }[] }).messages[0]?.images?.[0] ?? '';

/** The stored results, read from IndexedDB as the app keeps them. */
function storedResults(page: Page): Promise<{ sha256: string; author: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lenscribe-results');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('results').objectStore('results').getAll();
          request.onsuccess = () => resolve(request.result.map((r: { sha256: string; author: string }) => ({ sha256: r.sha256, author: r.author })));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

const figures = (page: Page) => page.getByTestId('batch-figures').textContent();

describe('batch', () => {
  it('finishes 50 images across a reload with no result lost or doubled', async () => {
    const ollama = await fake({ chunkDelayMs: 15 });
    ollama.setReply('one two three four five six seven');
    const page = await open(ollama.url);
    await addFiles(page, images(50));
    // Files the tab has not stored yet are gone after a reload (the page warns first): reload once
    // all are listed, mid-batch.
    await expect.poll(() => page.getByText('50 images').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => storedResults(page).then((r) => r.length), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    expect((await storedResults(page)).length).toBeLessThan(50);
    // Reload while a reply is mid-stream. Held first, so that no reply can end on the wire in the
    // instant before the reload (a reply the page never got is rightly asked again): every reply
    // that ended before the reload is saved by then, and must never be asked again after it.
    ollama.hold();
    await ollama.whenHeld(1);
    const completedBefore = () => chats(ollama).filter((r) => r.status === 200).length;
    await expect.poll(async () => (await storedResults(page)).length === completedBefore(), { timeout: 20_000 }).toBe(true);
    await page.reload();
    ollama.releaseAll();
    await expect.poll(() => storedResults(page).then((r) => r.length), { timeout: 90_000, interval: 500 }).toBe(50);
    const results = await storedResults(page);
    expect(new Set(results.map((r) => r.sha256)).size).toBe(50);
    // Every reply that ran to its end was for a different image: nothing was generated twice.
    const completed = chats(ollama).filter((r) => r.status === 200).map(sentImage);
    expect(new Set(completed).size).toBe(completed.length);
    await expect.poll(() => page.getByText('50 images').count()).toBeGreaterThan(0);
  });

  it('pauses: the image being read finishes, no new one starts until resumed', async () => {
    const ollama = await fake({ chunkDelayMs: 0 });
    const page = await open(ollama.url);
    ollama.hold();
    await addFiles(page, images(4, 'p'));
    await expect.poll(() => answered(ollama).length, { timeout: 20_000 }).toBe(1);
    // The next image already waits in Ollama's queue, and says so rather than "Writing".
    await expect.poll(() => chats(ollama).length, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => row(page, 'p01.png').locator('[data-phase]').textContent()).toBe('Next in line at the server…');
    const cancelledBefore = ollama.cancelled;
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => figures(page)).toMatch(/Paused/);
    // Pausing closed the request still waiting in the queue: it goes back in line, not failed.
    await expect.poll(() => ollama.cancelled).toBe(cancelledBefore + 1);
    // …and it has left Ollama's queue (not only some other request was closed).
    await expect.poll(() => ollama.queuedChats).toBe(0);
    await expect.poll(() => row(page, 'p01.png').locator('[data-phase]').getAttribute('data-phase')).toBe('queued');
    ollama.releaseAll();
    await expect.poll(() => figures(page), { timeout: 20_000 }).toMatch(/^1 done/);
    // The app has stored the first result and would have sent the next one by now: it did not.
    await expect.poll(() => storedResults(page).then((r) => r.length)).toBe(1);
    expect(answered(ollama)).toHaveLength(1);
    expect(chats(ollama)).toHaveLength(2);
    // Still paused after a reload.
    await page.reload();
    await expect.poll(() => figures(page)).toMatch(/Paused/);
    expect(chats(ollama)).toHaveLength(2);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => storedResults(page).then((r) => r.length), { timeout: 20_000 }).toBe(4);
    // Each image answered once: the closed request was sent again, and the model saw it once.
    expect(answered(ollama)).toHaveLength(4);
    expect(new Set(answered(ollama).map(sentImage)).size).toBe(4);
  });

  it('reads images added before Ollama runs as soon as it starts, with no click', async () => {
    // A returning user whose model is chosen, with Ollama not started yet.
    const port = await freePort();
    const first = await fake({ port });
    const page = await open(first.url);
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue()).toBe('gemma3:4b');
    await first.close();
    fakes.splice(fakes.indexOf(first), 1);
    await page.reload();
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('not-running');
    await addFiles(page, images(3, 'w'));
    await expect.poll(() => row(page, 'w00.png').textContent(), { timeout: 20_000 }).toMatch(/Waiting for a model: Ollama at 127\.0\.0\.1:\d+ does not answer yet/);
    const later = await fake({ port });
    await expect.poll(() => storedResults(page).then((r) => r.length), { timeout: 40_000, interval: 500 }).toBe(3);
    expect(chats(later)).toHaveLength(3);
  });
});
