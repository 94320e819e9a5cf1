// Issue 8's limits: hostile inputs are refused with a message while the page stays usable.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makeHugePng, makeZipBomb } from '../fixtures/bombs.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

describe('limits', () => {
  it('refuses a 20,000 × 20,000 PNG on its size while another image in the same drop carries on', async () => {
    const { page } = opened;
    await addFiles(page, [
      { name: 'huge.png', mimeType: 'image/png', buffer: makeHugePng(20_000, 20_000) },
      { name: 'good.png', mimeType: 'image/png', buffer: makePng(120, 80, (x) => [x, 100, 100]) },
    ]);
    const rejected = page.getByTestId('rejected');
    await expect.poll(() => rejected.count(), { timeout: 20_000 }).toBe(1);
    expect(await rejected.textContent()).toMatch(/huge\.png.*This image is 20000×20000 \(400 MP\); Lenscribe reads images up to 200 MP\. Shrink it first/);
    await expect.poll(() => row(page, 'good.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(opened.errors).toEqual([]);
  });

  it('refuses a zip bomb with a message while the page keeps painting and answering', async () => {
    const { page } = opened;
    // Count the frames painted while the import is being checked (its progress bar is showing).
    await page.evaluate(() => {
      const counter = window as unknown as { framesWhileImporting: number };
      counter.framesWhileImporting = 0;
      const tick = () => {
        if (document.getElementById('export-progress')) counter.framesWhileImporting++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // results.json says 120 MB (under its cap) but would inflate to 4 GB of zeros: about 4 MB on disk.
    const bomb = makeZipBomb({ declaredSize: 120 * 2 ** 20, inflatedSize: 4 * 2 ** 30 });
    await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: bomb });
    // The page answers a click while the zip is checked (or just after): the option is unticked.
    const includeImages = page.getByLabel('Include images');
    await includeImages.uncheck();
    await expect.poll(() => includeImages.isChecked()).toBe(false);
    const message = page.getByTestId('export-message');
    await expect.poll(() => message.textContent(), { timeout: 30_000 }).toMatch(/results\.json in this zip holds more data than its header says.*Nothing was imported/);
    expect(await message.getAttribute('role')).toBe('alert');
    const frames = await page.evaluate(() => (window as unknown as { framesWhileImporting: number }).framesWhileImporting);
    expect(frames).toBeGreaterThan(3);
    expect(await page.getByTestId('item').count()).toBe(0);
    expect(opened.errors).toEqual([]);
  });

  it('refuses a zip whose entry declares gigabytes before inflating it', async () => {
    const { page } = opened;
    const bomb = makeZipBomb({ declaredSize: 3 * 2 ** 30, inflatedSize: 64 * 2 ** 20 });
    await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: bomb });
    await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(/results\.json in this zip says it is 3 GB uncompressed; Lenscribe reads at most 128 MB/);
  });
});
