// Long images read whole (issue 12.1): a till receipt and a full-page screenshot, drawn by the test,
// go to a fake Ollama that really reads what it is sent (tesseract.js in Node). Every line must come
// back exactly once, from tiles sent at a legible width, and read as well as the original reads.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrReader, type OcrReader } from '../fake-ollama/ocr-reply.ts';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { decodeImage } from '../fixtures/images.ts';
import { addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';
import { similarity } from './ocr-text.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let ocr: OcrReader;

beforeAll(async () => {
  [browser, app, ollama, ocr] = await Promise.all([launchBrowser(), startApp(), startFakeOllama(), createOcrReader()]);
  ollama.setReply(ocr.reply);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close(), ocr?.close()]);
});

const ITEMS = ['COFFEE BEANS', 'OAT MILK', 'RYE BREAD', 'HONEY', 'TOMATOES', 'CHEDDAR', 'OLIVE OIL', 'PASTA', 'RICE', 'BANANAS', 'YOGURT', 'BUTTER', 'SPINACH'];
const EXTRAS = ['SMALL', 'LARGE', 'ORGANIC', 'FRESH', 'DRIED', 'FROZEN', 'LOCAL', 'SLICED', 'WHOLE', 'LIGHT', 'SPICY'];
const NOUNS = ['garden', 'river', 'engine', 'ledger', 'window', 'harbour', 'planet', 'violin', 'market', 'tunnel', 'lantern', 'meadow', 'castle'];
const VERBS = ['opens', 'carries', 'measures', 'follows', 'repairs', 'paints', 'shelters', 'collects', 'guards', 'crosses', 'answers'];

/** A till receipt's lines: numbered, each item and price different from its neighbours'. */
function receiptLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return `${String(n).padStart(3, '0')} ${EXTRAS[(n * 3) % EXTRAS.length]} ${ITEMS[(n * 5) % ITEMS.length]} ${((n * 37) % 1900 / 100 + 1).toFixed(2)}`;
  });
}

/** A long web page's lines of prose. */
function pageLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return `Item ${n}: the ${NOUNS[(n * 7) % NOUNS.length]} ${VERBS[(n * 4) % VERBS.length]} the ${NOUNS[(n * 5 + 3) % NOUNS.length]} at ${n * 13} metres.`;
  });
}

interface Drawn {
  name: string;
  lines: string[];
  original: Buffer;
  /** The original fitted within 1536 px as a whole, the way every image was sent before tiling. */
  fitted: Buffer;
}

/** Draw the lines black on white in the page, as a PNG; also the same image fitted within 1536 px. */
async function draw(page: Page, name: string, spec: { width: number; height: number; font: string; lineHeight: number; lines: string[] }): Promise<Drawn> {
  const [original, fitted] = await page.evaluate(async ({ width, height, font, lineHeight, lines }) => {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.fillStyle = '#000';
    context.font = font;
    lines.forEach((line, i) => context.fillText(line, 24, 60 + i * lineHeight));
    const scale = 1536 / Math.max(width, height);
    const bitmap = await createImageBitmap(canvas, { resizeWidth: Math.round(width * scale), resizeHeight: 1536, resizeQuality: 'high' });
    const small = new OffscreenCanvas(bitmap.width, bitmap.height);
    (small.getContext('2d') as OffscreenCanvasRenderingContext2D).drawImage(bitmap, 0, 0);
    const toBase64 = async (c: OffscreenCanvas) => {
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    };
    return [await toBase64(canvas), await toBase64(small)];
  }, spec);
  return { name, lines: spec.lines, original: Buffer.from(original, 'base64'), fitted: Buffer.from(fitted, 'base64') };
}

/** For each drawn line, how many lines of `text` read as it (each read line counts for its best match only). */
function timesRead(text: string, lines: readonly string[]): number[] {
  const counts = lines.map(() => 0);
  for (const read of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    let best = -1;
    let bestSimilarity = 0.75;
    lines.forEach((line, i) => {
      const s = similarity(read, line);
      if (s > bestSimilarity) [best, bestSimilarity] = [i, s];
    });
    if (best >= 0) counts[best]!++;
  }
  return counts;
}

/** Share of the drawn lines read at least once. */
function recall(text: string, lines: readonly string[]): number {
  return timesRead(text, lines).filter((n) => n > 0).length / lines.length;
}

type Chat = { body: { messages?: { images?: string[] }[] } };

/** Width and height of every image the fake was sent, in order. */
function sentSizes(): { width: number; height: number }[] {
  return (ollama.requests as Chat[])
    .flatMap((r) => r.body?.messages?.[0]?.images ?? [])
    .map((image) => decodeImage(Buffer.from(image, 'base64')))
    .map(({ width, height }) => ({ width, height }));
}

/** The text of the item's result, exactly as kept (read from its editor, then left unchanged). */
async function resultText(page: Page, name: string): Promise<string> {
  await row(page, name).getByRole('button').first().click();
  const result = page.getByTestId('result').first();
  await result.getByRole('button', { name: 'Edit', exact: true }).click();
  const text = await result.getByRole('textbox').inputValue();
  await result.getByRole('button', { name: 'Cancel' }).click();
  return text;
}

describe('long images are read whole', () => {
  it('reads every line of a till receipt and a full-page screenshot exactly once, from tiles at a legible width', { timeout: 600_000 }, async () => {
    const { page, context } = await openApp(browser, app.url, ollama.url);
    const receipt = await draw(page, 'receipt.png', { width: 576, height: 5200, font: '24px monospace', lineHeight: 44, lines: receiptLines(116) });
    const screenshot = await draw(page, 'page.png', { width: 1280, height: 9000, font: '20px sans-serif', lineHeight: 40, lines: pageLines(222) });

    for (const image of [receipt, screenshot]) {
      ollama.clearRequests();
      await addFiles(page, [{ name: image.name, mimeType: 'image/png', buffer: image.original }]);
      await expect.poll(() => row(page, image.name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 300_000, interval: 1000 }).toBe('done');
      const { width } = decodeImage(image.original);
      const sizes = sentSizes();
      // Several tiles, each at the original's own width (its print unshrunk), none over 1536 px.
      expect(sizes.length, image.name).toBeGreaterThanOrEqual(4);
      for (const size of sizes) expect(size).toEqual({ width, height: 1536 });

      const text = await resultText(page, image.name);
      const counts = timesRead(text, image.lines);
      const missing = image.lines.filter((_, i) => counts[i] === 0);
      const doubled = image.lines.filter((_, i) => counts[i]! > 1);
      expect({ missing, doubled }, text).toEqual({ missing: [], doubled: [] });
      const tiles = page.getByTestId('result').first().getByTestId('tiles');
      expect(await tiles.locator('summary').textContent()).toBe(`Read in ${sizes.length} tiles`);
      expect(await tiles.getByTestId('tile').count()).toBe(sizes.length);

      // What was sent reads as well as the original itself, and far better than the image fitted whole.
      const [fromOriginal, fromFitted] = [recall(await ocr.read(image.original), image.lines), recall(await ocr.read(image.fitted), image.lines)];
      const fromSent = recall(text, image.lines);
      console.log(
        `long-images ${image.name}: ${sizes.length} tiles of ${width}×1536; line recall sent ${(fromSent * 100).toFixed(1)} %, ` +
          `original ${(fromOriginal * 100).toFixed(1)} %, fitted whole (${decodeImage(image.fitted).width}×1536) ${(fromFitted * 100).toFixed(1)} %`,
      );
      expect(fromSent).toBeGreaterThanOrEqual(fromOriginal);
      expect(fromFitted).toBeLessThan(0.5);
    }
    await context.close();
  });
});
