// Issue 4's journeys: export a zip a person and a CMS can use, import it back, copy as Markdown.
import { unzipSync, zipSync, strToU8 } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makeJpeg, makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const IMAGES = [
  { name: 'receipt, "march".png', mimeType: 'image/png', buffer: makePng(120, 160, (x) => [x, 200, 200]) },
  { name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: makeJpeg(160, 120, (_x, y) => [y, 50, 50]) },
];

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  // Each image gets its own text, with the characters CSV must quote.
  ollama.setReply((request) => `Total, "incl. VAT": ${Buffer.from(request.messages[0]?.images?.[0] ?? '', 'base64').length} bytes\nline two`);
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

async function processImages(page: Page) {
  await addFiles(page, IMAGES);
  for (const image of IMAGES) {
    await expect.poll(() => row(page, image.name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
  }
}

async function exportZip(page: Page): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function importZip(page: Page, zip: Buffer, name = 'lenscribe.zip') {
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name, mimeType: 'application/zip', buffer: zip });
}

const storedTexts = (page: Page) =>
  page.evaluate(async () => {
    const request = indexedDB.open('lenscribe-results');
    const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const all = db.transaction('results').objectStore('results').getAll();
    const results = await new Promise<{ text: string; author: string }[]>((resolve) => (all.onsuccess = () => resolve(all.result)));
    db.close();
    return results.map((r) => `${r.author}:${r.text}`).sort();
  });

describe('share results', () => {
  it('exports a zip of Markdown files, images, results.json and results.csv', async () => {
    const { page } = opened;
    await processImages(page);
    const files = unzipSync(new Uint8Array(await exportZip(page)));
    const names = Object.keys(files).sort();
    expect(names).toEqual(['IMG_0042.jpg', 'IMG_0042.md', 'receipt, _march_.md', 'receipt, _march_.png', 'results.csv', 'results.json'].sort());
    // Images are the originals, byte for byte.
    expect(Buffer.from(files['IMG_0042.jpg'] as Uint8Array).equals(IMAGES[1]?.buffer as Buffer)).toBe(true);
    const json = JSON.parse(new TextDecoder().decode(files['results.json']));
    expect(json.items).toHaveLength(2);
    const item = json.items.find((i: { originalName: string }) => i.originalName === 'IMG_0042.jpg');
    const markdown = new TextDecoder().decode(files['IMG_0042.md']);
    expect(item.results[0]).toMatchObject({ model: 'gemma3:4b', author: 'model', text: markdown.trimEnd() });
    expect(item.results[0].truncated).toBeUndefined();
    expect(item.captions['gemma3:4b']).toBe(markdown.trimEnd());
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(files['results.csv']);
    expect(csv.startsWith('\uFEFFfile,task,text,model,author,verified,preferred,confidence,truncated\r\n')).toBe(true);
    // Commas, quotes and newlines quoted per RFC 4180.
    expect(csv).toContain(`"Total, ""incl. VAT"": `);
    expect(csv).toContain('line two"');
  });

  it('marks a reply cut by the token limit as truncated, on the item and in the export', async () => {
    const { page } = opened;
    // Alt text allows 120 tokens; like Ollama, the fake stops there and says done_reason "length".
    ollama.setReply(() => Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    await page.getByLabel('Task', { exact: true }).selectOption('alt-text');
    await addFiles(page, [IMAGES[1] as (typeof IMAGES)[number]]);
    const status = row(page, 'IMG_0042.jpg').locator('[data-phase]');
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(await status.textContent()).toBe('Done, cut off at the token limit');
    await row(page, 'IMG_0042.jpg').getByRole('button').first().click();
    const result = page.getByTestId('result');
    await expect.poll(() => result.getAttribute('data-truncated')).toBe('true');
    expect(await result.getByRole('note').textContent()).toBe('The reply stopped at the token limit (120 tokens), so the text may end early.');
    // The words that came are kept.
    const shown = await result.getByTestId('markdown').textContent();
    expect(shown).toContain(' w119');
    expect(shown).not.toContain('w120');

    const files = unzipSync(new Uint8Array(await exportZip(page)));
    const json = JSON.parse(new TextDecoder().decode(files['results.json']));
    expect(json.items[0].results[0]).toMatchObject({ truncated: true, metrics: { done_reason: 'length', eval_count: 120 } });
    const csv = new TextDecoder().decode(files['results.csv']);
    expect(csv.trimEnd().endsWith(',gemma3:4b,model,,yes,,yes')).toBe(true);
  });

  it('imports an export into an emptied library with the same results', async () => {
    const { page } = opened;
    await processImages(page);
    const before = await storedTexts(page);
    const zip = await exportZip(page);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete all…' }).click();
    await expect.poll(() => page.getByTestId('item').count()).toBe(0);
    await importZip(page, zip);
    await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(/Imported 2 new images and 2 versions/);
    expect(await storedTexts(page)).toEqual(before);
    await expect.poll(() => page.getByTestId('item').count()).toBe(2);
    // Importing the same zip again adds nothing.
    await importZip(page, zip);
    await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(/Imported 0 new images and 0 versions; 2 already here/);
  });

  it("never replaces a person's text with an imported model text", async () => {
    const { page } = opened;
    await processImages(page);
    const zip = await exportZip(page);
    await row(page, 'IMG_0042.jpg').getByRole('button').first().click();
    await page.getByTestId('result').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: /Text for IMG_0042/ }).fill('A red barn at dusk, written by me.');
    await page.getByRole('button', { name: 'Save as my text' }).click();
    await expect.poll(() => page.getByTestId('result').getAttribute('data-author')).toBe('person');
    await importZip(page, zip);
    await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(/Imported/);
    expect((await storedTexts(page)).filter((t) => t.startsWith('person:'))).toEqual(['person:A red barn at dusk, written by me.']);
    // A re-run with the same model adds a version beside it and does not displace it either.
    // (Image chats only: the model's warm-up is a chat with no messages.)
    const imageChats = () => ollama.requests.filter((r) => r.path === '/api/chat' && (r.body as { messages?: unknown[] })?.messages?.length).length;
    const before = imageChats();
    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(imageChats, { timeout: 20_000 }).toBe(before + 1);
    await expect.poll(() => row(page, 'IMG_0042.jpg').locator('[data-phase]').getAttribute('data-phase')).toBe('done');
    await expect.poll(() => page.locator('[data-testid=result]:not([data-preferred])').count()).toBe(1);
    expect(await page.locator('[data-testid=result][data-preferred]').getByTestId('markdown').textContent()).toContain('written by me');
    expect((await storedTexts(page)).filter((t) => t.startsWith('person:'))).toEqual(['person:A red barn at dusk, written by me.']);
  });

  it('refuses a hostile or broken zip with a clear message and imports nothing', async () => {
    const { page } = opened;
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('this is not a zip at all'), /not a zip/i],
      [Buffer.from(zipSync({ 'notes.txt': strToU8('hello') })), /results\.json/],
      [Buffer.from(zipSync({ 'results.json': strToU8('{"format":"something-else"}') })), /Lenscribe/i],
    ];
    // A stored entry whose bytes were changed after the CRC was written.
    const stored = Buffer.from(zipSync({ 'results.json': [strToU8(JSON.stringify({ format: 'lenscribe-results', version: 1, items: [] })), { level: 0 }] }));
    const at = stored.indexOf('lenscribe-results');
    stored[at] = 'X'.charCodeAt(0);
    cases.push([stored, /corrupt|damaged|CRC|check/i]);
    for (const [zip, message] of cases) {
      await importZip(page, zip, 'evil.zip');
      await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(message);
      expect(await page.getByTestId('export-message').getAttribute('role')).toBe('alert');
    }
    expect(await page.getByTestId('item').count()).toBe(0);
    expect(await storedTexts(page)).toEqual([]);
  });

  it('copies the selected results to the clipboard as Markdown', async () => {
    const { page } = opened;
    await processImages(page);
    await row(page, 'IMG_0042.jpg').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Copy 1 selected as Markdown' }).click();
    await expect.poll(() => page.getByTestId('export-message').textContent()).toMatch(/Copied 1 result/);
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toMatch(/^Total, "incl. VAT": \d+ bytes\nline two$/);
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Copy 2 selected as Markdown' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^## IMG_0042\.jpg[\s\S]*## receipt, "march"\.png/m);
  });
});
