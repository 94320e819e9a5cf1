// Issue 11.1–11.2: every text an image gets is kept as a version with who wrote it; a person's
// text stays preferred over later model runs; any two versions can be compared; an export and an
// import into a fresh browser keep every version and its author.
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;
const others: OpenedApp[] = [];

const IMAGES = [
  { name: 'square.png', mimeType: 'image/png', buffer: makePng(90, 90, () => [200, 20, 20]) },
  { name: 'other.png', mimeType: 'image/png', buffer: makePng(80, 60, () => [20, 20, 200]) },
];

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  // Each model answers in its own words, so every version can be told apart.
  ollama.setReply((request) => `A red square on a plain background, seen by ${request.model}.`);
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await Promise.all([opened.context.close(), ...others.splice(0).map((o) => o.context.close())]);
});

const modelSelect = (page: Page) => page.getByLabel('Model', { exact: true });
const preferredCard = (page: Page) => page.locator('[data-testid=result][data-preferred]');

/** Every stored version as "author|model|text", sorted. */
const storedVersions = (page: Page) =>
  page.evaluate(async () => {
    const request = indexedDB.open('lenscribe-results');
    const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const all = db.transaction('results').objectStore('results').getAll();
    const results = await new Promise<{ text: string; author: string; model: string }[]>((resolve) => (all.onsuccess = () => resolve(all.result)));
    db.close();
    return results.map((r) => `${r.author}|${r.model}|${r.text}`).sort();
  });

async function runAll(page: Page, model: string, expectedVersions: number) {
  await modelSelect(page).selectOption(model);
  await page.getByRole('button', { name: /^Run on/ }).click();
  await expect.poll(() => storedVersions(page).then((v) => v.length), { timeout: 30_000 }).toBe(expectedVersions);
}

async function exportZip(page: Page): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
  const chunks: Buffer[] = [];
  for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('versions', () => {
  it('keeps every model text and edit, keeps the person preferred, compares two, and carries them through export and import', async () => {
    const { page } = opened;
    await page.getByLabel('Task', { exact: true }).selectOption('alt-text');
    await modelSelect(page).selectOption('gemma3:4b');
    await addFiles(page, IMAGES);
    for (const image of IMAGES) {
      await expect.poll(() => row(page, image.name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    }
    await runAll(page, 'llava:7b', 4);

    // Edit the preferred text of one image: a new version, the model's kept.
    await row(page, 'square.png').getByRole('button').first().click();
    await preferredCard(page).getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('textbox', { name: /Text for square\.png/ }).fill('A red square, described by me.');
    await page.getByRole('button', { name: 'Save as my text' }).click();
    await expect.poll(() => preferredCard(page).getAttribute('data-author')).toBe('person');
    expect(await preferredCard(page).getByTestId('author').textContent()).toMatch(/^Edited by you from llava:7b's text of /);

    // Run again with the same model and task: a new version beside the person's, which stays preferred.
    await page.getByRole('button', { name: 'Run again', exact: true }).click();
    await expect.poll(() => storedVersions(page).then((v) => v.length), { timeout: 20_000 }).toBe(6);
    // And a third model on everything.
    await runAll(page, 'qwen3-vl:4b', 8);
    await expect.poll(() => page.getByTestId('version').count()).toBe(5);
    expect(await preferredCard(page).getAttribute('data-author')).toBe('person');
    expect(await preferredCard(page).getByTestId('markdown').textContent()).toContain('described by me');
    expect(await row(page, 'square.png').textContent()).toContain('A red square, described by me.');
    // Each model's latest text sits beside it, not preferred (gemma's, llava's re-run, qwen's).
    expect(await page.locator('[data-testid=result]:not([data-preferred])').count()).toBe(3);
    const authors = await page.getByTestId('version').locator('.who').allTextContents();
    expect(authors.filter((a) => a.startsWith('llava:7b on Ollama at'))).toHaveLength(2);
    expect(authors.filter((a) => a.startsWith('Edited by you'))).toHaveLength(1);

    // Compare: by default the preferred text against the newest other version.
    await page.getByText(/^All versions of Alt text/).click();
    const diff = page.getByRole('region', { name: 'Differences' });
    await expect.poll(() => diff.locator('del').count()).toBeGreaterThan(0);
    expect(await diff.locator('ins').count()).toBeGreaterThan(0);
    expect(await diff.locator('del').first().textContent()).toMatch(/^\[removed: .*\]$/);
    expect(await diff.textContent()).toContain('qwen3-vl:4b');
    // Choosing the same version on both sides shows no difference.
    const from = page.getByRole('combobox', { name: 'From' });
    await page.getByRole('combobox', { name: 'to' }).selectOption(await from.inputValue());
    await expect.poll(() => diff.locator('del, ins').count()).toBe(0);
    expect(await diff.textContent()).toContain('The two texts are the same.');

    // The person can pick another version from the keyboard, and back.
    const pick = page.getByTestId('version').filter({ hasText: 'qwen3-vl:4b' }).getByRole('button', { name: /^Use this version/ });
    await pick.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => preferredCard(page).getAttribute('data-author')).toBe('model');
    await page.getByTestId('version').filter({ hasText: 'Edited by you' }).getByRole('button', { name: /^Use this version/ }).click();
    await expect.poll(() => preferredCard(page).getAttribute('data-author')).toBe('person');

    // The export says who wrote what.
    const before = await storedVersions(page);
    const zip = await exportZip(page);
    const files = unzipSync(new Uint8Array(zip));
    const json = JSON.parse(new TextDecoder().decode(files['results.json']));
    const item = json.items.find((i: { originalName: string }) => i.originalName === 'square.png');
    expect(item.results).toHaveLength(5);
    expect(item.tasks).toEqual([expect.objectContaining({ task: 'alt-text', author: 'person', text: 'A red square, described by me.', verified: false })]);
    expect(item.tasks[0].versions).toHaveLength(5);
    const person = item.results.find((r: { author: string }) => r.author === 'person');
    expect(person).toMatchObject({ preferred: true, editedFrom: expect.any(String) });
    expect(item.results.find((r: { key: string }) => r.key === person.editedFrom)).toMatchObject({ author: 'model', model: 'llava:7b' });
    for (const version of item.results.filter((r: { author: string }) => r.author === 'model')) {
      expect(version).toMatchObject({ engine: expect.stringMatching(/^Ollama at /), modelDigest: expect.stringMatching(/^[0-9a-f]{64}$/), task: 'alt-text' });
    }
    const csv = new TextDecoder().decode(files['results.csv']);
    expect(csv.split('\r\n')[0]).toBe('file,task,text,model,author,verified,preferred,confidence,truncated');

    // Into a fresh browser: every version with its author, and the person's text preferred.
    const fresh = await openApp(browser, app.url);
    others.push(fresh);
    await fresh.page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'lenscribe.zip', mimeType: 'application/zip', buffer: zip });
    await expect.poll(() => fresh.page.getByTestId('export-message').textContent()).toMatch(/Imported 2 new images and 8 versions/);
    expect(await storedVersions(fresh.page)).toEqual(before);
    await row(fresh.page, 'square.png').getByRole('button').first().click();
    await expect.poll(() => preferredCard(fresh.page).getAttribute('data-author')).toBe('person');
    expect(await fresh.page.getByTestId('version').count()).toBe(5);
    // Importing it again adds nothing.
    await fresh.page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'again.zip', mimeType: 'application/zip', buffer: zip });
    await expect.poll(() => fresh.page.getByTestId('export-message').textContent()).toMatch(/Imported 0 new images and 0 versions; 8 already here/);
    expect(await storedVersions(fresh.page)).toEqual(before);
  });
});
