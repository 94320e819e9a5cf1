// Issue 12.2's journeys: a dropped PDF becomes one item per page (each read by the model, a page's
// own text layer kept beside it, a blank page noted instead of sent), damaged, encrypted and empty
// PDFs are refused with a reason while the rest carry on, the document's text is assembled in page
// order and exported, and after a first PDF the reader works offline.
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { decodeImage, makePng } from '../fixtures/images.ts';
import { makeEmptyPdf, makeEncryptedPdf, makePdf, makeThreePagePdf, makeTruncatedPdf } from '../fixtures/pdf.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp | undefined;

type Chat = { path: string; body: unknown };
const sentImages = (r: Chat) => (r.body as { messages?: { images?: string[] }[] })?.messages?.[0]?.images ?? [];
const imageChats = () => ollama.requests.filter((r) => r.path === '/api/chat' && sentImages(r).length > 0);
const pdf = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/pdf', buffer });
const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');
const PAGES = [1, 2, 3].map((n) => `report.pdf — page ${n}`);

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
afterEach(async () => {
  ollama.releaseAll();
  ollama.setReply(undefined);
  await opened?.context.close();
  opened = undefined;
});

function countDarkPixels(rgba: Uint8Array): number {
  let dark = 0;
  for (let i = 0; i < rgba.length; i += 4) if ((rgba[i] ?? 255) < 100) dark++;
  return dark;
}

async function exportZip(page: Page): Promise<Record<string, Uint8Array>> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
  const chunks: Buffer[] = [];
  for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
  return unzipSync(new Uint8Array(Buffer.concat(chunks)));
}

describe('a dropped PDF', () => {
  it('reads each page as an item, keeps the text layer, notes the blank page, refuses broken PDFs and exports the document', async () => {
    ollama.clearRequests();
    // Each reply names the format it was sent: a scanned page goes as JPEG, a page of type as PNG.
    ollama.setReply((request) => `Model reading ${Buffer.from(request.messages[0]?.images?.[0] ?? '', 'base64')[0] === 0xff ? 'JPEG' : 'PNG'}`);
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
    await addFiles(page, [
      pdf('report.pdf', makeThreePagePdf()),
      pdf('broken.pdf', makeTruncatedPdf()),
      pdf('locked.pdf', makeEncryptedPdf()),
      pdf('nothing.pdf', makeEmptyPdf()),
      // A PDF named as a JPEG is still a PDF (its bytes say so), here a damaged one.
      { name: 'scan.jpg', mimeType: 'image/jpeg', buffer: makeTruncatedPdf() },
      { name: 'photo.png', mimeType: 'image/png', buffer: makePng(90, 60, (x) => [x, 90, 140]) },
    ]);

    // Each PDF that cannot be read says why; the others carry on.
    const rejected = page.getByTestId('rejected');
    await expect.poll(() => rejected.count(), { timeout: 30_000 }).toBe(4);
    const reasons = await rejected.allTextContents();
    expect(reasons.find((r) => r.includes('broken.pdf'))).toMatch(/damaged or incomplete/);
    expect(reasons.find((r) => r.includes('scan.jpg'))).toMatch(/PDF is damaged or incomplete/);
    expect(reasons.find((r) => r.includes('locked.pdf'))).toMatch(/protected by a password/);
    expect(reasons.find((r) => r.includes('nothing.pdf'))).toMatch(/has no pages/);

    for (const name of [...PAGES, 'photo.png']) await expect.poll(() => phase(page, name), { timeout: 30_000 }).toBe('done');
    // The scan and the text page went to the model as images, the blank page did not.
    expect(imageChats()).toHaveLength(3);
    const sent = imageChats().map((r) => Buffer.from(sentImages(r)[0] ?? '', 'base64'));
    const pageImages = sent.filter((bytes) => decodeImage(bytes).height > 1000);
    expect(pageImages).toHaveLength(2);
    // Rendered for text (about 200 dpi), then fitted to the task's 1536 px: a US Letter page, upright.
    for (const bytes of pageImages) expect(decodeImage(bytes)).toMatchObject({ width: 1187, height: 1536 });
    // The text page's type is drawn (Helvetica, not embedded, from pdf.js's standard fonts): dark ink on white.
    const typePage = pageImages.find((bytes) => bytes[0] === 0x89);
    const ink = typePage ? countDarkPixels(decodeImage(typePage).data) : 0;
    expect(ink).toBeGreaterThan(2000);

    // The text page shows its own text layer beside the model's reading.
    await row(page, PAGES[1] as string).getByRole('button').first().click();
    const results = page.getByTestId('result');
    await expect.poll(() => results.count()).toBe(2);
    const layer = results.filter({ hasText: 'PDF text layer' });
    expect(await layer.getByTestId('plain-text').textContent()).toBe('Quarterly report\nRevenue grew by 12 percent.');
    expect(await results.filter({ hasNotText: 'PDF text layer' }).textContent()).toMatch(/Model reading PNG/);
    // The blank page says so, and was never sent.
    await row(page, PAGES[2] as string).getByRole('button').first().click();
    await expect.poll(() => results.textContent()).toMatch(/Blank page check.*\(blank page\)/s);

    // The document's text, page by page, is shown and copied.
    await page.getByTestId('document').locator('summary').click();
    const assembled = '=== Page 1 ===\n\nModel reading JPEG\n\n=== Page 2 ===\n\nModel reading PNG\n\n=== Page 3 ===\n\n(blank page)\n';
    await expect.poll(() => page.getByTestId('document-text').textContent()).toBe(assembled);
    await page.getByRole('button', { name: 'Copy the text of report.pdf' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(assembled);

    // The export holds the document as one file, and each page's texts as files of their own.
    const files = await exportZip(page);
    expect(new TextDecoder().decode(files['report.md'])).toBe(assembled);
    const names = Object.keys(files);
    for (const name of PAGES) expect(names).toContain(`${name}.md`);
    expect(new TextDecoder().decode(files[`${PAGES[1]}.pdf-text-layer.md`])).toBe('Quarterly report\nRevenue grew by 12 percent.\n');
    expect(opened.errors).toEqual([]);
    // Nothing leaves this machine (the app also probes Ollama's default address, on loopback too).
    expect(opened.requests.filter((url) => !url.startsWith('blob:') && !['localhost', '127.0.0.1'].includes(new URL(url).hostname))).toEqual([]);
  });
});

describe('offline', () => {
  it('reads a PDF with no network once a first PDF was read', async () => {
    ollama.setReply('Read offline');
    opened = await openApp(browser, app.url, ollama.url);
    const { page, context } = opened;
    await expect.poll(() => page.getByText('Ready to work offline').count(), { timeout: 20_000 }).toBe(1);
    // The first visit installs the service worker; from the next one it serves the page's requests.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await addFiles(page, [pdf('first.pdf', makePdf([{ kind: 'text', lines: ['First document'] }]))]);
    await expect.poll(() => phase(page, 'first.pdf — page 1'), { timeout: 30_000 }).toBe('done');
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached.filter((url) => /^\/assets\/pdf-render\.worker-.*\.js$/.test(url))).toHaveLength(1);
    // Helvetica is not embedded in the PDF: pdf.js fetched a standard font from this origin.
    expect(cached.some((url) => url.startsWith('/pdfjs/') && url.includes('/standard_fonts/'))).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await addFiles(page, [pdf('second.pdf', makePdf([{ kind: 'text', lines: ['Second document, offline'] }]))]);
    await expect.poll(() => row(page, 'second.pdf — page 1').count(), { timeout: 30_000 }).toBe(1);
    await row(page, 'second.pdf — page 1').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('result').filter({ hasText: 'PDF text layer' }).getByTestId('plain-text').textContent(), { timeout: 20_000 }).toBe('Second document, offline');
    await context.setOffline(false);
  });
});
