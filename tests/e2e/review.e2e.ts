// Issue 11.3: the keyboard review queue. Texts from the fake Ollama (one caught in a repetition loop,
// so flagged for review; one plain, with no confidence) and from the built-in OCR (a clear and a
// faint screenshot, with a real word confidence) are reviewed least certain first, with keys only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { axeProblems } from './axe.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const LINES = ['Invoices are due within thirty days', 'of the date printed on the letter.', 'Please quote the reference number.'];
const png = (name: string, width: number) => ({ name, mimeType: 'image/png', buffer: makePng(width, 80, (x, y) => [(x * 5) % 256, y * 3, 90]) });

/** A screenshot drawn in the page; `isFaint` makes it small, grey and speckled, so the OCR is less sure. */
async function screenshot(page: Page, name: string, isFaint: boolean) {
  const base64 = await page.evaluate(async ({ lines, isFaint }) => {
    const canvas = new OffscreenCanvas(900, 260);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = isFaint ? '#9a9a9a' : '#202020';
    context.font = isFaint ? '11px serif' : '24px sans-serif';
    lines.forEach((line, i) => context.fillText(line, 40, 60 + i * (isFaint ? 16 : 40)));
    if (isFaint) {
      // A fixed speckle pattern, the same on every run.
      context.fillStyle = '#707070';
      for (let i = 0; i < 5000; i++) context.fillRect((i * 7919) % 900, (i * 104729) % 260, 1, 1);
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, { lines: LINES, isFaint });
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
  // Told apart by width: 120 px falls into a repetition loop, 140 px reads plainly.
  ollama.setReply((_request, context) => (context.images[0]?.width === 120 ? `# Receipt\n\nTotal: 12.40\n\n${'The cat sat.\n'.repeat(300)}` : '# Notes\n\nAll fine here.'));
  opened = await openApp(browser, app.url, ollama.url);
  await opened.page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => {
  await opened?.context.close();
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});

const openButton = (page: Page) => page.getByTestId('review-open');
const dialog = (page: Page) => page.getByRole('dialog', { name: 'Review texts' });
const announced = (page: Page) => page.getByTestId('review-announcement').textContent();
const position = (page: Page) => page.getByTestId('review-position').textContent();
const shownName = (page: Page) => dialog(page).locator('figcaption').first().textContent().then((t) => t?.split(' · ')[0]);
const focused = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent?.trim() ?? ''}`);
/** Chat requests that carried an image (warm-ups carry none). */
const readsAsked = () => ollama.requests.filter((r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('"images"')).length;

describe('the review queue', () => {
  it('starts with the least certain texts and is driven with the keyboard alone', async () => {
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    // Only the loop is flagged: below 20 % a text would be flagged too, and the faint screenshot's
    // word confidence (about a third) orders it without a flag.
    await page.getByLabel('Review below (%)').fill('20');
    await page.getByLabel('Review below (%)').press('Enter');
    await addFiles(page, [png('loop.png', 120), png('plain.png', 140)]);
    await expect.poll(() => openButton(page).textContent(), { timeout: 30_000 }).toMatch(/Review\s+2 to check/);
    await page.getByLabel('Model', { exact: true }).selectOption('tesseract-eng');
    await addFiles(page, [await screenshot(page, 'clear.png', false), await screenshot(page, 'faint.png', true)]);
    await expect.poll(() => openButton(page).textContent(), { timeout: 180_000 }).toMatch(/Review\s+4 to check/);
    // Rejected texts are read again by the chosen model: the fake Ollama, whose requests we count.
    await page.getByLabel('Model', { exact: true }).selectOption('gemma3:4b');

    await openButton(page).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).isVisible()).toBe(true);
    await expect.poll(() => focused(page)).toBe('BUTTON Accept A');
    await expect.poll(() => announced(page)).toBe('Text 1 of 4: loop.png. 0 of 4 reviewed.');
    expect(await page.getByTestId('review-progress').textContent()).toBe('0 of 4 reviewed');
    expect(await dialog(page).getByTestId('review-status').textContent()).toBe('Needs review: The model repeated itself; the text stops where the loop began.');
    await expect.poll(() => dialog(page).getByRole('img').getAttribute('alt')).toBe('The image loop.png');
    expect(await axeProblems(page), 'review open').toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeProblems(page), 'review open, dark').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // The order: flagged first, then the least confident OCR text, then the surer one, then the text with no confidence.
    const order: string[] = [];
    const confidences: string[] = [];
    for (let i = 0; i < 4; i++) {
      await expect.poll(() => position(page)).toBe(`Text ${i + 1} of 4`);
      order.push((await shownName(page)) ?? '');
      confidences.push((await dialog(page).getByTestId('review-confidence').textContent()) ?? '');
      await page.keyboard.press(i % 2 === 0 ? 'j' : 'ArrowRight');
    }
    expect(order, confidences.join(', ')).toEqual(['loop.png', 'faint.png', 'clear.png', 'plain.png']);
    expect(confidences[0]).toBe('Not given');
    expect(confidences[3]).toBe('Not given');
    const [faint, clear] = [confidences[1], confidences[2]].map((c) => Number(c?.replace(' %', '')));
    expect(faint).toBeLessThan(clear ?? 0);
    await expect.poll(() => announced(page)).toBe('End of the queue. 0 of 4 reviewed.');
    for (const key of ['k', 'ArrowLeft', 'k']) await page.keyboard.press(key);
    await expect.poll(() => announced(page)).toBe('Text 1 of 4: loop.png. 0 of 4 reviewed.');

    // Accept: marked verified, on to the next.
    await page.keyboard.press('a');
    await expect.poll(() => announced(page)).toBe('Accepted loop.png. Text 2 of 4: faint.png. 1 of 4 reviewed.');
    expect(await page.getByTestId('review-progress').textContent()).toBe('1 of 4 reviewed');
    expect(await dialog(page).getByRole('progressbar', { name: 'Texts reviewed' }).getAttribute('value')).toBe('1');

    // Skip: no change.
    await page.keyboard.press('s');
    await expect.poll(() => announced(page)).toBe('Skipped faint.png. Text 3 of 4: clear.png. 1 of 4 reviewed.');

    // Edit in place: typing keys that are also shortcuts only types; Escape cancels the edit, not the review.
    await page.keyboard.press('e');
    await expect.poll(() => focused(page)).toMatch(/^TEXTAREA/);
    await page.keyboard.press('Escape');
    await expect.poll(() => announced(page)).toBe('Edit cancelled.');
    expect(await dialog(page).isVisible()).toBe(true);
    await expect.poll(() => focused(page)).toBe('BUTTON Accept A');
    await page.keyboard.press('e');
    await expect.poll(() => focused(page)).toMatch(/^TEXTAREA/);
    expect(await axeProblems(page), 'editing').toEqual([]);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Invoices are due in thirty days. Skip nothing; accept, read, judge.');
    expect(await position(page)).toBe('Text 3 of 4');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => announced(page)).toBe('Saved your text for clear.png. Text 4 of 4: plain.png. 2 of 4 reviewed.');
    await expect.poll(() => focused(page)).toBe('BUTTON Accept A');

    // Reject: the image is read again, and the queue ends.
    const asked = readsAsked();
    await page.keyboard.press('r');
    await expect.poll(() => announced(page)).toBe('Sent plain.png to be read again. End of the queue. 2 of 4 reviewed.');
    await expect.poll(() => readsAsked(), { timeout: 20_000 }).toBe(asked + 1);

    // Escape leaves, and focus is back on the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog(page).isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toMatch(/^BUTTON Review\s+2 to check$/);

    // Opened again, it starts at the first text not reviewed; reviewed ones wait at the end with their marks.
    await page.keyboard.press('Enter');
    await expect.poll(() => announced(page)).toBe('Text 1 of 4: faint.png. 2 of 4 reviewed.');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => shownName(page)).toBe('loop.png');
    expect(await dialog(page).getByTestId('review-status').textContent()).toBe('Accepted');
    await page.keyboard.press('j');
    await expect.poll(() => shownName(page)).toBe('clear.png');
    expect(await dialog(page).getByTestId('review-status').textContent()).toBe('Your text');
    expect(await dialog(page).getByTestId('review-text').textContent()).toBe('Invoices are due in thirty days. Skip nothing; accept, read, judge.');
    await dialog(page).getByRole('button', { name: 'Leave review' }).click();
    await expect.poll(() => dialog(page).isVisible()).toBe(false);
    expect(opened.errors).toEqual([]);
  });
});
