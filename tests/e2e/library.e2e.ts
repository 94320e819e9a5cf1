// Issue 10 part 7: finding and acting on many images — search, filter by status and model,
// select ranges and everything shown, export only the selection, delete a selection.
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const COUNT = 12;
const name = (i: number) => `page-${String(i).padStart(2, '0')}.png`;
// Each image is told apart by its width (at least 64 px, so it is sent unpadded).
const IMAGES = Array.from({ length: COUNT }, (_, i) => ({
  name: name(i),
  mimeType: 'image/png',
  buffer: makePng(64 + i * 8, 64, (x, y) => [(x * 7 + i * 20) % 256, y * 3, 120]),
}));
/** Even pages are invoices; the text has an accent the search must see past. */
const replyFor = (i: number) => (i % 2 === 0 ? `# Invoice ${i}\n\nTotal due at the Café` : `# Receipt ${i}\n\nThank you`);
const INVOICES = IMAGES.filter((_, i) => i % 2 === 0).map((i) => i.name);

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
  ollama.setReply((_request, context) => replyFor(((context.images[0]?.width ?? 64) - 64) / 8));
  opened = await openApp(browser, app.url, ollama.url);
  // Tall enough for every row to be rendered by the virtual list.
  await opened.page.setViewportSize({ width: 1280, height: 2400 });
});
afterAll(async () => {
  await opened?.context.close();
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search texts and file names' });
const count = (page: Page) => page.locator('.library .count').textContent().then((t) => t?.trim());
const shownNames = (page: Page) => page.getByTestId('item').locator('.name').allTextContents();
const status = (page: Page, label: string) => page.getByRole('radio', { name: new RegExp(`^${label} \\d+$`) });
const checkbox = (page: Page, file: string) => page.getByRole('checkbox', { name: `Select ${file}` });

async function exportedNames(page: Page): Promise<string[]> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
  const chunks: Buffer[] = [];
  for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
  const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  const json = JSON.parse(new TextDecoder().decode(files['results.json']));
  return json.items.map((item: { originalName: string }) => item.originalName).sort();
}

describe('the library at scale', () => {
  it('searches, filters, selects ranges and everything shown, exports and deletes the selection', async () => {
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    await addFiles(page, IMAGES);
    await expect.poll(() => page.locator('[data-phase="done"]').count(), { timeout: 60_000 }).toBe(COUNT);
    expect(await count(page)).toBe('12 images');

    // Search narrows as you type, ignoring case and accents, across texts and file names.
    await search(page).pressSequentially('invo');
    await expect.poll(() => shownNames(page).then((n) => n.sort())).toEqual(INVOICES);
    expect(await count(page)).toBe('6 of 12 shown');
    await search(page).fill('cafe');
    await expect.poll(() => shownNames(page).then((n) => n.length)).toBe(6);
    await search(page).fill('page-03');
    await expect.poll(() => shownNames(page)).toEqual([name(3)]);
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => count(page)).toBe('12 images');

    // A re-run that fails shows under Failed, and the image still counts as done.
    await checkbox(page, name(3)).check();
    ollama.failNext({ status: 500, error: 'model runner has unexpectedly stopped' });
    await page.getByRole('button', { name: 'Run again on 1 selected' }).click();
    await expect.poll(() => row(page, name(3)).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('failed');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    expect(await page.getByRole('radio', { name: 'Failed 1', exact: true }).count()).toBe(1);
    await status(page, 'Failed').check();
    await expect.poll(() => shownNames(page)).toEqual([name(3)]);
    await status(page, 'Not run').check();
    await expect.poll(() => shownNames(page)).toEqual([]);
    // Nothing has set "needs review" yet: the category is there, empty.
    expect(await page.getByRole('radio', { name: 'Needs review 0', exact: true }).count()).toBe(1);
    await status(page, 'All').check();

    // Another model for two images; the model filter shows just those.
    await checkbox(page, name(0)).check();
    await checkbox(page, name(1)).check();
    await page.getByLabel('Model', { exact: true }).selectOption('qwen3-vl:4b');
    await page.getByRole('button', { name: 'Run on 2 selected' }).click();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('combobox', { name: 'Filter by model' }).selectOption('qwen3-vl:4b');
    await expect.poll(() => shownNames(page).then((n) => n.sort())).toEqual([name(0), name(1)]);
    await status(page, 'Done').check();
    await expect.poll(() => shownNames(page).then((n) => n.sort()), { timeout: 20_000 }).toEqual([name(0), name(1)]);
    await page.getByRole('combobox', { name: 'Filter by model' }).selectOption('');
    await status(page, 'All').check();

    // Shift-click ticks the range, in the order the list shows.
    const order = await shownNames(page);
    await checkbox(page, order[2] as string).click();
    await checkbox(page, order[6] as string).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('selection-bar').textContent()).toMatch(/^\s*5 selected/);
    for (const file of order.slice(2, 7)) expect(await checkbox(page, file).isChecked()).toBe(true);
    expect(await checkbox(page, order[7] as string).isChecked()).toBe(false);
    // Shift+Space from the keyboard extends it from the last row ticked.
    await row(page, order[8] as string).locator('.open').focus();
    await page.keyboard.press('Shift+Space');
    await expect.poll(() => checkbox(page, order[7] as string).isChecked()).toBe(true);
    expect(await checkbox(page, order[8] as string).isChecked()).toBe(true);
    // Space alone toggles the focused row.
    await page.keyboard.press('Space');
    await expect.poll(() => checkbox(page, order[8] as string).isChecked()).toBe(false);
    expect(await exportedNames(page)).toEqual(order.slice(2, 8).sort());

    // Select everything the search shows: the export holds exactly those.
    await search(page).fill('invoice');
    await expect.poll(() => count(page)).toBe('6 of 12 shown');
    await page.getByRole('checkbox', { name: 'Select all 6 shown' }).check();
    await expect.poll(() => page.getByTestId('selection-bar').textContent()).toMatch(/^\s*6 selected/);
    expect(await exportedNames(page)).toEqual(INVOICES);

    // Delete the selection, after confirming; the others stay.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete 6 selected…' }).click();
    await expect.poll(() => count(page)).toBe('0 of 6 shown');
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => shownNames(page).then((n) => n.sort())).toEqual(IMAGES.map((i) => i.name).filter((n) => !INVOICES.includes(n)));
    expect(await page.getByTestId('selection-bar').count()).toBe(0);
  });
});
