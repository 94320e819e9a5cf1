// Issue 11.4 and 11.7 in the built app: a reply whose token logprobs are low is flagged for review
// with its confidence shown and its unsure words marked; an Ollama too old for logprobs gets no
// made-up figure; two models (a vision model and the built-in OCR) read one image side by side.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
const fakes: FakeOllama[] = [];
const opened: OpenedApp[] = [];

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.context.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** The app connected to a fake Ollama of this version, with gemma3:4b chosen. */
async function openWith(version: string): Promise<{ page: Page; ollama: FakeOllama }> {
  const ollama = await startFakeOllama({ version });
  fakes.push(ollama);
  const session = await openApp(browser, app.url, ollama.url);
  opened.push(session);
  const { page } = session;
  await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
  await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue()).toBe('gemma3:4b');
  return { page, ollama };
}

const card = (page: Page, model: string) => page.getByTestId('result').filter({ hasText: model });
const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');

describe('confidence from token logprobs', () => {
  it('shows a low confidence, flags the text for review below the threshold and marks the unsure number', async () => {
    const { page, ollama } = await openWith('0.12.11');
    // exp(-0.01), exp(-3), exp(-2.5), exp(-0.05): 0.99, 0.05, 0.08, 0.95, a mean of 52%.
    ollama.setReply({ content: ['Total', ' 4', '2', ' euros'], logprobs: [-0.01, -3, -2.5, -0.05] });
    expect(await page.getByLabel('Review below (%)').inputValue()).toBe('60');
    await addFiles(page, [{ name: 'receipt.png', mimeType: 'image/png', buffer: makePng(80, 60, () => [200, 30, 30]) }]);
    await expect.poll(() => card(page, 'gemma3:4b').count(), { timeout: 30_000 }).toBe(1);
    const result = card(page, 'gemma3:4b');

    expect((await result.getByTestId('confidence').textContent())?.trim()).toBe('Confidence 52% (weakest run 52%)');
    expect(await result.getAttribute('data-needs-review')).toBe('true');
    expect(await result.getByRole('note').filter({ hasText: 'Needs review' }).textContent()).toContain('Low confidence: 52%.');
    await expect.poll(() => row(page, 'receipt.png').textContent()).toContain('Needs review: low confidence');
    // The unsure word, listed for everyone (screen readers included) and marked in the plain text on demand.
    expect(await result.getByTestId('unsure-list').textContent()).toMatch(/Least sure of:\s*“?42”?\s*5%/);
    await result.getByText('Show the unsure words in the text').click();
    expect(await result.getByTestId('unsure').allTextContents()).toEqual(['42']);
    expect(await result.getByTestId('plain-text').textContent()).toBe('Total 42 (unsure: 5%) euros');

    // The request asked for logprobs, as Ollama 0.12.11 allows.
    const chat = ollama.requests.find((r) => r.path === '/api/chat' && (r.body as { messages?: unknown[] }).messages?.length);
    expect((chat?.body as { logprobs?: boolean }).logprobs).toBe(true);
  }, 60_000);

  it('lets the user lower the threshold: a text as sure as that is not flagged', async () => {
    const { page, ollama } = await openWith('0.12.11');
    ollama.setReply({ content: ['Total', ' 4', '2', ' euros'], logprobs: [-0.01, -3, -2.5, -0.05] });
    await page.getByLabel('Review below (%)').fill('40');
    await page.getByLabel('Review below (%)').press('Enter');
    await page.getByLabel('Review below (%)').blur();
    await addFiles(page, [{ name: 'receipt.png', mimeType: 'image/png', buffer: makePng(80, 60, () => [200, 30, 30]) }]);
    await expect.poll(() => card(page, 'gemma3:4b').count(), { timeout: 30_000 }).toBe(1);
    expect((await card(page, 'gemma3:4b').getByTestId('confidence').textContent())?.trim()).toBe('Confidence 52% (weakest run 52%)');
    expect(await card(page, 'gemma3:4b').getAttribute('data-needs-review')).toBeNull();
  }, 60_000);

  it('says there is no confidence from an Ollama too old for logprobs, instead of a number', async () => {
    const { page, ollama } = await openWith('0.12.6');
    ollama.setReply({ content: ['Total', ' 42'], logprobs: [-3, -3] });
    await addFiles(page, [{ name: 'receipt.png', mimeType: 'image/png', buffer: makePng(80, 60, () => [200, 30, 30]) }]);
    await expect.poll(() => card(page, 'gemma3:4b').count(), { timeout: 30_000 }).toBe(1);
    expect(await card(page, 'gemma3:4b').getByTestId('no-confidence').textContent()).toBe('No confidence: this engine does not report it');
    expect(await card(page, 'gemma3:4b').getByTestId('confidence').count()).toBe(0);
    expect(await card(page, 'gemma3:4b').getAttribute('data-needs-review')).toBeNull();
    const chat = ollama.requests.find((r) => r.path === '/api/chat' && (r.body as { messages?: unknown[] }).messages?.length);
    expect(chat?.body).not.toHaveProperty('logprobs');
  }, 60_000);
});

describe('several models in one go', () => {
  const LINES = ['Invoices are due within thirty days', 'of the date printed on the letter.'];

  it('runs a vision model and the built-in OCR on one image, shows the OCR’s confidence, and both texts side by side with their agreement', async () => {
    const { page, ollama } = await openWith('0.12.6');
    // The vision model misreads one word, so the texts differ there.
    ollama.setReply(`${LINES[0]}\n${LINES[1]!.replace('printed', 'painted')}`);
    await page.getByText(/^Several models/).click();
    // The options grow as each model's capabilities arrive: a click while one is inserted above
    // the OCR's box lands on another. Three vision models (gemma3, qwen3-vl, llava) and the OCR.
    await expect.poll(() => page.getByTestId('model-multi-picker').getByRole('checkbox').count()).toBe(4);
    await page.getByRole('checkbox', { name: /^gemma3:4b/ }).check();
    await page.getByRole('checkbox', { name: 'Built-in OCR (text only)' }).check();
    expect(await page.getByTestId('multi-models-note').textContent()).toContain('Run and new images use 2 models');

    await addFiles(page, [await screenshot(page, 'letter.png', LINES)]);
    await expect.poll(() => page.getByTestId('result').count(), { timeout: 120_000 }).toBe(2);
    await expect.poll(() => phase(page, 'letter.png')).toBe('done');

    // The OCR's word confidence is shown the same way as a model's.
    const ocr = card(page, 'Built-in OCR (text only)');
    const [, mean, weakest] = /^Word confidence (\d+)% \(weakest line (\d+)%\)$/.exec((await ocr.getByTestId('confidence').textContent())?.trim() ?? '') ?? [];
    expect(Number(mean)).toBeGreaterThan(60);
    expect(Number(weakest)).toBeLessThanOrEqual(Number(mean));
    expect(await card(page, 'gemma3:4b').getByTestId('no-confidence').count()).toBe(1);

    const compare = page.getByTestId('compare-models');
    expect(await compare.getByTestId('compared-text').count()).toBe(2);
    const agreement = Number(/Agreement (\d+)%/.exec((await compare.getByTestId('agreement').textContent()) ?? '')?.[1]);
    expect(agreement).toBeGreaterThan(80);
    expect(agreement).toBeLessThan(100);
    // The word the vision model misread is marked in one column or the other.
    const marked = [...(await compare.locator('ins').allTextContents()), ...(await compare.locator('del').allTextContents())].join(' ');
    expect(marked).toContain('painted');
    // Two jobs went out: one to Ollama, one to the built-in OCR in the page.
    expect(ollama.requests.filter((r) => r.path === '/api/chat' && (r.body as { messages?: unknown[] }).messages?.length)).toHaveLength(1);
  }, 180_000);
});

/** A screenshot drawn in the page: lines of 24 px sans-serif on white, as a PNG file. */
async function screenshot(page: Page, name: string, lines: readonly string[]) {
  const base64 = await page.evaluate(async (lines) => {
    const canvas = new OffscreenCanvas(1000, 200);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#202020';
    context.font = '24px sans-serif';
    lines.forEach((line, i) => context.fillText(line, 48, 70 + i * 36));
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, lines);
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}
