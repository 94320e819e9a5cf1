// Issue 10's stalls and runaways: a reply that never comes or stops mid-way is asked once more,
// then fails with the reason while the batch carries on; a model stuck repeating itself is stopped
// at once, its text kept up to the loop and flagged for review.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const png = (name: string, width: number) => ({ name, mimeType: 'image/png', buffer: makePng(width, 80, (x, y) => [x, y, 90]) });
const phaseOf = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');
/** The chat requests that asked about an image (not warm-ups), in order. */
const readRequests = () =>
  ollama.requests.filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0);

/** Set the two stall limits the way a user does: Connection & models → Advanced. */
async function setStallLimits(page: Page, firstTextSeconds: number, idleSeconds: number): Promise<void> {
  const panel = page.getByTestId('doctor');
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Connection & models' }).click();
  await panel.getByText('Advanced').click();
  await page.getByLabel('Wait for a reply to start (seconds)').fill(String(firstTextSeconds));
  await page.getByLabel('Wait when the text stops (seconds)').fill(String(idleSeconds));
  await page.getByLabel('Wait when the text stops (seconds)').press('Tab');
}

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.setReply(undefined);
  ollama.clearRequests();
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

describe('stalls and runaways', () => {
  it('asks a stalled reply once more, then fails it with the reason while the next image completes', async () => {
    const { page } = opened;
    await setStallLimits(page, 3, 2);
    const widths: number[] = [];
    ollama.setReply((_request, { images }) => {
      const width = images[0]?.width ?? 0;
      widths.push(width);
      if (width !== 120) return 'The next image reads fine.';
      // First a model that never starts (no headers at all), then one that stops after a word.
      return widths.filter((w) => w === 120).length === 1 ? { content: ['never'], stallAfter: 0 } : { content: ['Half ', 'a ', 'page'], stallAfter: 1 };
    });
    const cancelledBefore = ollama.cancelled;

    await addFiles(page, [png('stuck.png', 120)]);
    await expect.poll(() => readRequests().length, { timeout: 20_000 }).toBe(1);
    await addFiles(page, [png('next.png', 140)]);

    await expect.poll(() => phaseOf(page, 'stuck.png'), { timeout: 30_000 }).toBe('failed');
    expect(await row(page, 'stuck.png').locator('[data-phase]').textContent()).toMatch(
      /Failed: The model stopped sending text for 2 s \(tried twice\)\. The model may be stuck or still loading/,
    );
    await expect.poll(() => phaseOf(page, 'next.png'), { timeout: 30_000 }).toBe('done');
    // Two tries for the stuck image, each closed by the page. The next image already waited in
    // Ollama's queue, so the model went on to it when the stalled request closed; the retry
    // queued behind it.
    expect(widths).toEqual([120, 140, 120]);
    expect(ollama.cancelled - cancelledBefore).toBe(2);
    expect(readRequests().map((r) => r.status)).toEqual([undefined, 200, undefined]);
    expect(opened.errors).toEqual([]);
  });

  it('does not take an image waiting in Ollama\'s queue behind a long reply for a stalled one', async () => {
    const { page } = opened;
    await setStallLimits(page, 3, 2);
    // The first reply streams for about 6 s, a piece every 0.5 s: twice the 3 s first-text limit.
    ollama.setReply((_request, { images }) => (images[0]?.width === 120 ? { content: Array.from({ length: 12 }, (_, i) => `w${i} `) } : 'Read after waiting.'));
    ollama.configure({ chunkDelayMs: 500 });
    const cancelledBefore = ollama.cancelled;
    try {
      await addFiles(page, [png('long.png', 120)]);
      await expect.poll(() => readRequests().length, { timeout: 20_000 }).toBe(1);
      await addFiles(page, [png('behind.png', 140)]);
      await expect.poll(() => readRequests().length, { timeout: 20_000 }).toBe(2);
      await expect.poll(() => phaseOf(page, 'behind.png')).toBe('lined-up');
      await expect.poll(() => phaseOf(page, 'behind.png'), { timeout: 30_000 }).toBe('done');
      expect(await phaseOf(page, 'long.png')).toBe('done');
      // Each image asked once, nothing closed: the wait in the queue did not count as a stall.
      expect(readRequests().map((r) => r.status)).toEqual([200, 200]);
      expect(ollama.cancelled - cancelledBefore).toBe(0);
    } finally {
      ollama.configure({ chunkDelayMs: 5 }); // the fake's default
    }
    expect(opened.errors).toEqual([]);
  });

  it('stops a repetition loop early, keeps the text before it and flags the image for review', async () => {
    const { page } = opened;
    ollama.setReply(`# Receipt\n\nTotal: 12.40\n\n${'The cat sat.\n'.repeat(500)}`);
    const cancelledBefore = ollama.cancelled;
    await addFiles(page, [png('loop.png', 120)]);

    const status = row(page, 'loop.png').locator('[data-phase]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Needs review: the model repeated itself');
    // The page closed the stream long before the fake's 1,500 pieces were sent.
    expect(ollama.cancelled - cancelledBefore).toBe(1);
    expect(readRequests().map((r) => r.status)).toEqual([undefined]);

    await row(page, 'loop.png').getByRole('button').first().click();
    const result = page.getByTestId('result');
    await expect.poll(() => result.count()).toBe(1);
    expect(await result.getAttribute('data-needs-review')).toBe('true');
    expect(await result.getByRole('note').textContent()).toBe('Needs review: The model repeated itself; the text stops where the loop began.');
    const text = (await result.getByTestId('markdown').textContent()) ?? '';
    expect(text).toMatch(/Receipt\s+Total: 12\.40\s+The cat sat\.\s*$/);
    expect(text.match(/The cat sat\./g)).toHaveLength(1);
    expect(opened.errors).toEqual([]);
  });
});
