// Issue 10: files not yet stored would be lost, so while a drop is still being read the page asks
// before it is closed, and once everything is stored it closes without asking.
import type { Browser, Dialog } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { addFiles, launchBrowser, openApp, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;

/** Enough small PNGs (each its own hash) that reading them takes a while. */
const COUNT = 3000;
const files = Array.from({ length: COUNT }, (_, i) => ({
  name: `leave-${String(i + 1).padStart(4, '0')}.png`,
  mimeType: 'image/png',
  buffer: makePng(40 + (i % 9), 32, (x, y) => [i % 256, (i >> 8) % 256, (x * 5 + y) % 256]),
}));

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});

describe('closing the page during a drop', () => {
  it('asks before closing while files are read, and closes without asking once all are stored', async () => {
    // Answers wait, so the queue's own work does not compete with the drop.
    ollama.hold();
    // openApp types the address and clicks: the page has had a user gesture, which the browser
    // requires before it shows a leave warning.
    const { page, context } = await openApp(browser, app.url, ollama.url);
    const dialogs: Dialog[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog);
      void dialog.dismiss();
    });

    await addFiles(page, files);
    await expect.poll(() => page.getByTestId('intake-progress').count()).toBe(1);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]?.type()).toBe('beforeunload');
    // Staying on the page keeps the drop going: every file is still listed.
    expect(page.isClosed()).toBe(false);
    await expect.poll(() => page.locator('.library .count').textContent(), { timeout: 120_000 }).toBe(`${COUNT.toLocaleString('en-US')} images`);
    await expect.poll(() => page.getByTestId('intake-progress').count()).toBe(0);

    const closed = new Promise<void>((resolve) => page.once('close', () => resolve()));
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toHaveLength(1);
    ollama.releaseAll();
    await context.close();
  }, 180_000);
});
