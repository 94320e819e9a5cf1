// Issue 9's first-use journey: a new user with no Ollama anywhere picks a screenshot in the built
// app and gets its text from the built-in OCR, again after an offline reload; and the OCR's text
// sits beside a vision model's on the same image once Ollama is there.
import { createConnection } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_OCR_LIMITS } from '../../src/lib/engines/builtin-ocr/index.ts';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { addFiles, connectTo, launchBrowser, row, startApp } from './harness.ts';
import { expectParagraphs } from './ocr-text.ts';

const DEFAULT_OLLAMA = 'http://localhost:11434';
const FIRST = [
  ['Invoices are due within thirty days', 'of the date printed on the letter.'],
  ['Please quote the reference number', 'whenever you write to us again.'],
];
const SECOND = [
  ['The meeting moves to Thursday morning', 'in the small room on the third floor.'],
  ['Bring the printed agenda with you', 'and the notes from last week.'],
];

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The journey is "no Ollama anywhere": the app looks at the default address, where nothing may answer.
  if (await isListening(11434)) throw new Error('Something listens on port 11434 (an Ollama?): stop it, this test needs no Ollama anywhere.');
  [browser, app] = await Promise.all([launchBrowser(), startApp()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function open(): Promise<{ page: Page; context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext();
  contexts.push(context);
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  await page.goto(app.url);
  return { page, context, requests };
}

/** A screenshot drawn in the page: paragraphs of 24 px sans-serif on white, as a PNG file. */
async function screenshot(page: Page, name: string, paragraphs: readonly (readonly string[])[]) {
  const base64 = await page.evaluate(async (paragraphs) => {
    const canvas = new OffscreenCanvas(1000, 420);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#202020';
    context.font = '24px sans-serif';
    let y = 70;
    for (const lines of paragraphs) {
      for (const line of lines) {
        context.fillText(line, 48, y);
        y += 36;
      }
      y += 56;
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, paragraphs);
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

/** Record every distinct text of the OCR's progress (bar label and row status) while it prepares. */
async function watchProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { __progress: string[] }).__progress = []);
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid=engine-progress]');
      const text = box ? `${box.querySelector('progress') ? 'bar|' : ''}${box.textContent?.trim()}` : '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
}

const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');
const modelSelect = (page: Page) => page.getByLabel('Model', { exact: true });

/** The focused image's result card whose model label is this. */
const card = (page: Page, model: string) => page.getByTestId('result').filter({ hasText: model });

describe('built-in OCR for a new user with no Ollama', () => {
  it('says no Ollama answered, reads a picked screenshot with its lines and confidence, and again offline', async () => {
    const { page, context, requests } = await open();
    const notice = page.getByTestId('model-notice');
    await expect.poll(() => notice.textContent()).toContain(
      `No Ollama answered at ${DEFAULT_OLLAMA}, so images are read by the built-in OCR (text only). Start Ollama with a vision model for descriptions and alt text.`,
    );
    expect(await modelSelect(page).inputValue()).toBe('tesseract-eng');
    expect(await modelSelect(page).locator('option:checked').textContent()).toBe('Built-in OCR (text only)');
    // The notice's button opens the connection panel at its address field.
    await notice.getByRole('button', { name: 'Set up Ollama' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('ollama-address');

    // Only text extraction: the other tasks are there, disabled, with the reason.
    const tasks = page.getByLabel('Task', { exact: true });
    expect(await tasks.inputValue()).toBe('extract-markdown');
    for (const task of ['describe', 'objects', 'translate', 'alt-text', 'custom']) {
      const option = tasks.locator(`option[value="${task}"]`);
      expect(await option.isDisabled(), task).toBe(true);
      expect(await option.getAttribute('title')).toBe(BUILTIN_OCR_LIMITS);
    }
    expect(await tasks.locator('option[value="extract-markdown"]').isDisabled()).toBe(false);
    expect(await page.getByTestId('ocr-limits').textContent()).toContain(BUILTIN_OCR_LIMITS);

    const progress = await watchProgress(page);
    await addFiles(page, [await screenshot(page, 'letter.png', FIRST)]);
    await expect.poll(() => phase(page, 'letter.png'), { timeout: 120_000 }).toBe('done');
    // While it started, the item showed the OCR's own steps with a bar.
    const steps = await progress();
    expect(steps.some((s) => /^bar\|Loading English language data( \d+ %)?$/.test(s)), steps.join('\n')).toBe(true);
    expect(steps.some((s) => /^bar\|Recognizing text \d+ %$/.test(s)), steps.join('\n')).toBe(true);

    const result = card(page, 'Built-in OCR (text only)');
    expectParagraphs((await result.getByTestId('plain-text').textContent()) ?? '', FIRST);
    // Shown as written: lines kept on screen, not merged as Markdown would merge them.
    expect(await result.getByTestId('plain-text').evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    expect(await result.getByTestId('plain-text').evaluate((e) => e.getClientRects()[0]!.height > 5 * 20)).toBe(true);
    const confidence = (await result.getByTestId('confidence').textContent())?.trim() ?? '';
    const [, mean, weakest] = /^Word confidence (\d+)% \(weakest line (\d+)%\)$/.exec(confidence) ?? [];
    expect(Number(mean), confidence).toBeGreaterThan(60);
    expect(Number(weakest)).toBeLessThanOrEqual(Number(mean));

    // Offline: the app comes from the service worker, the OCR from its cache.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect.poll(() => page.getByTestId('model-notice').textContent()).toContain(`No Ollama answered at ${DEFAULT_OLLAMA}`);
    await addFiles(page, [await screenshot(page, 'meeting.png', SECOND)]);
    await expect.poll(() => phase(page, 'meeting.png'), { timeout: 120_000 }).toBe('done');
    expectParagraphs((await card(page, 'Built-in OCR (text only)').getByTestId('plain-text').textContent()) ?? '', SECOND);
    // The first image kept its text across the reload.
    expect(await phase(page, 'letter.png')).toBe('done');

    const appOrigin = new URL(app.url).origin;
    const elsewhere = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== appOrigin && !url.startsWith(`${DEFAULT_OLLAMA}/`));
    expect(elsewhere).toEqual([]);
    expect(requests.some((url) => url.includes('/ocr/') && url.endsWith('.traineddata.gz'))).toBe(true);
  }, 300_000);
});

describe('built-in OCR beside a vision model', () => {
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama();
  });
  afterAll(async () => {
    await ollama?.close();
  });

  it('hands future work to the vision model once Ollama answers, and keeps both texts of one image', async () => {
    const { page } = await open();
    await expect.poll(() => modelSelect(page).inputValue()).toBe('tesseract-eng');
    ollama.setReply('# A letter\n\nIt asks for payment within thirty days.');
    await connectTo(page, ollama.url);
    await expect.poll(() => modelSelect(page).inputValue()).toBe('gemma3:4b');
    expect(await page.getByTestId('model-notice').textContent()).toContain('Ollama answered with the vision model gemma3:4b: new images are read by it from now on.');
    // Vision tasks are back.
    expect(await page.getByLabel('Task', { exact: true }).locator('option[value="describe"]').isDisabled()).toBe(false);
    expect(await page.getByTestId('ocr-limits').count()).toBe(0);

    await addFiles(page, [await screenshot(page, 'letter.png', FIRST)]);
    await expect.poll(() => card(page, 'gemma3:4b').count(), { timeout: 30_000 }).toBe(1);

    // The user picks the OCR for the same image and runs it: its text joins the vision model's.
    await modelSelect(page).selectOption('tesseract-eng');
    await page.getByRole('button', { name: /^Run on/ }).click();
    await expect.poll(() => card(page, 'Built-in OCR (text only)').count(), { timeout: 120_000 }).toBe(1);
    expect(await page.getByTestId('result').count()).toBe(2);
    expectParagraphs((await card(page, 'Built-in OCR (text only)').getByTestId('plain-text').textContent()) ?? '', FIRST);
    expect(await card(page, 'gemma3:4b').getByTestId('markdown').locator('h1').textContent()).toBe('A letter');
    expect(await card(page, 'gemma3:4b').getByTestId('confidence').count()).toBe(0);

    // A model the user chose stays chosen when Ollama is checked again.
    await connectTo(page, ollama.url);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    expect(await modelSelect(page).inputValue()).toBe('tesseract-eng');
  }, 300_000);
});

/** True when something accepts connections on this local port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
