// Issue 10, part 4: two tabs, one queue. The tab that opened first sends the images; the other shows
// its progress, takes over when it closes, and both libraries stay the same.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, type RecordedRequest, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let tabA: OpenedApp;
let tabB: Page;

const IMAGES = Array.from({ length: 10 }, (_, i) => ({
  name: `page-${i}.png`,
  mimeType: 'image/png',
  buffer: makePng(40 + i, 30, (x, y) => [(x * 7 + i * 23) % 256, (y * 5 + i * 41) % 256, i * 20]),
}));

type ChatBody = { messages?: { images?: string[] }[] };
const sentImage = (request: RecordedRequest) => (request.body as ChatBody).messages?.[0]?.images?.[0] ?? '';
/** How many chat answers were sent in full, per image sent (warm-ups carry no image). */
function completedPerImage(): number[] {
  const counts = new Map<string, number>();
  for (const request of ollama.requests) {
    if (request.path !== '/api/chat' || request.status !== 200 || !sentImage(request)) continue;
    counts.set(sentImage(request), (counts.get(sentImage(request)) ?? 0) + 1);
  }
  return [...counts.values()];
}
const phases = (page: Page) => page.getByTestId('item').locator('[data-phase]').evaluateAll((els) => els.map((el) => el.getAttribute('data-phase')));
const doneCount = async (page: Page) => (await phases(page)).filter((phase) => phase === 'done').length;
const names = (page: Page) => page.getByTestId('item').locator('.name').allTextContents();

/** Tall enough that the virtual list renders all ten rows, which the tests count. */
const TALL = { width: 1280, height: 1600 };

async function openSecondTab(): Promise<Page> {
  const page = await tabA.context.newPage();
  await page.setViewportSize(TALL);
  await page.goto(app.url);
  await expect.poll(() => page.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
  return page;
}

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.clearRequests();
  // Ten chunks 60 ms apart: a batch of ten takes several seconds, long enough to close a tab in it.
  ollama.setReply(['Line ', 'one ', 'of ', 'the ', 'page, ', 'line ', 'two ', 'of ', 'the ', 'page.']);
  ollama.configure({ chunkDelayMs: 60 });
  tabA = await openApp(browser, app.url, ollama.url);
  await tabA.page.setViewportSize(TALL);
  await expect.poll(() => tabA.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
  tabB = await openSecondTab();
});
afterEach(async () => {
  ollama.releaseAll();
  await tabA.context.close();
});

describe('two tabs', () => {
  it('sends each image once, and both lists agree', async () => {
    await addFiles(tabA.page, IMAGES);
    // The second tab follows the batch the first one works, and says so.
    await expect.poll(() => tabB.getByTestId('leader-note').isVisible(), { timeout: 20_000 }).toBe(true);
    for (const page of [tabA.page, tabB]) await expect.poll(() => doneCount(page), { timeout: 40_000 }).toBe(10);
    expect((await names(tabB)).sort()).toEqual((await names(tabA.page)).sort());
    expect(await names(tabB)).toHaveLength(10);
    expect(completedPerImage()).toEqual(Array(10).fill(1));
    await expect.poll(() => tabB.getByTestId('leader-note').count()).toBe(0);
    expect(tabA.errors).toEqual([]);
  });

  it('finishes the batch in the other tab when the working tab closes, each image still sent once', async () => {
    await addFiles(tabA.page, IMAGES);
    await expect.poll(() => tabB.getByTestId('item').count(), { timeout: 20_000 }).toBe(10);
    await expect.poll(() => doneCount(tabB), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await tabA.page.close();
    // Closed mid-batch: what is left is the other tab's work.
    expect(await doneCount(tabB)).toBeLessThan(10);
    await expect.poll(() => doneCount(tabB), { timeout: 40_000 }).toBe(10);
    expect(completedPerImage()).toEqual(Array(10).fill(1));
    // The tab that took over works the queue itself now: no note.
    expect(await tabB.getByTestId('leader-note').count()).toBe(0);
  });

  it("shows a person's edit from one tab in the other once it is saved", async () => {
    await addFiles(tabB, IMAGES.slice(0, 1));
    for (const page of [tabA.page, tabB]) await expect.poll(() => doneCount(page), { timeout: 20_000 }).toBe(1);
    // The image was added in the follower: the leader read it, once.
    expect(completedPerImage()).toEqual([1]);
    await row(tabB, IMAGES[0]!.name).getByRole('button').first().click();
    const result = tabB.getByTestId('result');
    await result.getByRole('button', { name: 'Edit', exact: true }).click();
    await result.getByRole('textbox').fill('Corrected by hand in tab B');
    await result.getByRole('button', { name: 'Save as my text' }).click();
    await expect.poll(() => result.getAttribute('data-author')).toBe('person');

    await row(tabA.page, IMAGES[0]!.name).getByRole('button').first().click();
    const mirrored = tabA.page.getByTestId('result');
    await expect.poll(() => mirrored.getByTestId('markdown').textContent()).toMatch(/Corrected by hand in tab B/);
    expect(await mirrored.getAttribute('data-author')).toBe('person');
  });
});
