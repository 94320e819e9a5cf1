// Issue 5's accessibility promises: axe finds nothing serious in the main views in light and dark,
// every control is reached by Tab with a visible focus ring and a name, progress is announced.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { axeProblems } from './axe.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp | undefined;

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

const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');

describe.each(['light', 'dark'] as const)('axe in the %s theme', (colorScheme) => {
  it('finds nothing serious in the main views', async () => {
    opened = await openApp(browser, app.url);
    const { page } = opened;
    await page.emulateMedia({ colorScheme });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe(colorScheme === 'light' ? 'rgb(247, 247, 245)' : 'rgb(21, 23, 26)');

    // Ollama not running: the connection panel explains.
    await expect.poll(() => page.getByTestId('help-not-running').count(), { timeout: 10_000 }).toBe(1);
    expect(await axeProblems(page), 'Ollama not running').toEqual([]);

    // Connected, empty library, panel closed.
    await page.getByLabel('Ollama address').fill(ollama.url);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    await expect.poll(() => page.getByTestId('doctor').count()).toBe(0);
    expect(await axeProblems(page), 'empty library').toEqual([]);

    // The connection panel open, with the model table.
    await page.getByRole('button', { name: 'Connection & models' }).click();
    await page.getByTestId('model-row').first().waitFor();
    expect(await axeProblems(page), 'connection panel').toEqual([]);
    await page.getByRole('button', { name: 'Close' }).click();

    // A library with results, one selected, a file refused, the offline notice showing.
    ollama.setReply('# Heading\n\nSome **bold** text and a list:\n\n- one\n- two');
    await addFiles(page, [
      { name: 'shown.png', mimeType: 'image/png', buffer: makePng(120, 90, () => [200, 30, 30]) },
      { name: 'other.png', mimeType: 'image/png', buffer: makePng(90, 120, () => [30, 30, 200]) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
    ]);
    for (const name of ['shown.png', 'other.png']) await expect.poll(() => phase(page, name), { timeout: 20_000 }).toBe('done');
    await row(page, 'shown.png').getByRole('button').first().click();
    await row(page, 'other.png').getByRole('checkbox').check();
    await page.getByTestId('result').first().waitFor();
    await page.getByText('Ready to work offline').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('skipped').locator('summary').textContent()).toBe('1 file skipped: not an image');
    expect(await axeProblems(page), 'library with results').toEqual([]);
  });
});

describe('keyboard and screen readers', () => {
  it('reaches every control with Tab, each with a visible focus ring and a name', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    await addFiles(page, [{ name: 'keyboard.png', mimeType: 'image/png', buffer: makePng(60, 60, () => [9, 90, 9]) }]);
    await expect.poll(() => phase(page, 'keyboard.png'), { timeout: 20_000 }).toBe('done');
    await page.getByText('Ready to work offline').waitFor({ timeout: 20_000 });
    await page.locator('body').click({ position: { x: 1, y: 1 } });

    const reached: string[] = [];
    const unnamed: string[] = [];
    const unringed: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const input = el as HTMLInputElement;
        const labelled = el.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        const name = (el.getAttribute('aria-label') || labelled || input.labels?.[0]?.textContent || el.textContent || el.getAttribute('title') || '').trim().replace(/\s+/g, ' ');
        const style = getComputedStyle(el);
        const isRinged = el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        return { key: `${el.tagName.toLowerCase()}#${el.id}|${name}`, name, isRinged };
      });
      if (!focused) continue;
      if (reached.includes(focused.key)) break;
      reached.push(focused.key);
      if (!focused.name) unnamed.push(focused.key);
      if (!focused.isRinged) unringed.push(focused.key);
    }
    expect(unnamed).toEqual([]);
    expect(unringed).toEqual([]);
    const names = reached.map((key) => key.split('|')[1]);
    for (const expected of ['Connection & models', 'Add images…', 'Model', 'Task', 'Select keyboard.png', 'Run again', 'Copy text of keyboard.png', 'Edit', 'OK']) {
      expect(names.some((name) => name?.startsWith(expected)), `${expected} in ${names.join(', ')}`).toBe(true);
    }
  });

  it('announces progress politely, one sentence per change, not every token', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    const announcer = page.locator('[aria-live="polite"][role="status"]').filter({ hasNotText: /Ollama/ }).last();
    ollama.setReply('one two three four five six');
    ollama.hold();
    await addFiles(page, [{ name: 'spoken.png', mimeType: 'image/png', buffer: makePng(50, 50, () => [1, 1, 1]) }]);
    await expect.poll(() => phase(page, 'spoken.png'), { timeout: 20_000 }).toBe('waiting');
    ollama.release(3);
    await expect.poll(() => phase(page, 'spoken.png')).toBe('streaming');
    // While tokens stream in, the live region names the image, not the text.
    expect(await announcer.textContent()).toBe('Reading spoken.png. 1 left');
    ollama.releaseAll();
    await expect.poll(() => announcer.textContent()).toBe('All done');
  });
});
