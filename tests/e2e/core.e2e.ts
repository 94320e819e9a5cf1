// Issue 2's journey: drop images, watch text stream in from Ollama, keep it across reloads.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { PDF_BYTES, TINY_GIF, corruptPng, decodeImage, hasExif, makeJpeg, makePng, withExif } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const chatRequests = () => ollama.requests.filter((r) => r.path === '/api/chat' && Array.isArray((r.body as { messages?: unknown[] })?.messages) && ((r.body as { messages: unknown[] }).messages.length > 0));
/** The chats the model took up (a request closed while it waited in Ollama's queue never reached it). */
const answeredRequests = () => chatRequests().filter((r) => r.servedAt !== undefined);
const sentImage = (request: { body: unknown }) => (request.body as { messages: { images?: string[] }[] }).messages[0]?.images?.[0] ?? '';

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.clearRequests();
  ollama.setReply(undefined);
  ollama.configure({ chunkDelayMs: 5 });
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  ollama.releaseAll();
  await opened.context.close();
});

describe('core journey', () => {
  it('picks a vision model and the Markdown task by default', async () => {
    const { page } = opened;
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue()).toBe('gemma3:4b');
    expect(await page.getByLabel('Task', { exact: true }).inputValue()).toBe('extract-markdown');
    // Text-only models are not offered.
    expect(await page.getByLabel('Model', { exact: true }).locator('option').allTextContents()).not.toContain('llama3.2:3b');
  });

  it('streams the text of two picked images, and keeps both across a reload', async () => {
    const { page } = opened;
    ollama.setReply((request) => `# Page ${sentImage(request).length % 2 === 0 ? 'even' : 'odd'}\n\nText of **${request.messages[0]?.content.slice(0, 7)}**`);
    await addFiles(page, [
      { name: 'first.png', mimeType: 'image/png', buffer: makePng(300, 200, (x) => [x % 256, 80, 80]) },
      { name: 'second.jpg', mimeType: 'image/jpeg', buffer: makeJpeg(200, 300, (_x, y) => [20, y % 256, 90]) },
    ]);
    for (const name of ['first.png', 'second.jpg']) {
      await expect.poll(() => row(page, name).getAttribute('data-testid'), { timeout: 20_000 }).toBe('item');
      await expect.poll(() => row(page, name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    }
    expect(chatRequests()).toHaveLength(2);
    // Thumbnails come from the stored Blob, through an object URL.
    await expect.poll(() => row(page, 'first.png').locator('img').getAttribute('src')).toMatch(/^blob:/);
    await row(page, 'second.jpg').getByRole('button').first().click();
    await expect.poll(() => page.getByRole('img', { name: 'The image second.jpg' }).getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => page.getByTestId('result').first().locator('h1').textContent()).toMatch(/^Page (even|odd)$/);
    expect(await page.getByTestId('result').first().getByTestId('markdown').locator('strong').textContent()).toBe('Extract');

    await page.reload();
    for (const name of ['first.png', 'second.jpg']) {
      await expect.poll(() => row(page, name).locator('[data-phase]').getAttribute('data-phase')).toBe('done');
    }
    await row(page, 'first.png').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('result').count()).toBe(1);
    expect(chatRequests()).toHaveLength(2);
  });

  it('takes images dropped anywhere on the window and pasted from the clipboard', async () => {
    const { page } = opened;
    const png = makePng(80, 60, () => [10, 120, 10]).toString('base64');
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dropped = new DataTransfer();
      dropped.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      document.querySelector('main')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    }, png);
    await expect.poll(() => row(page, 'dropped.png').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => row(page, 'dropped.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(chatRequests()).toHaveLength(1);
    const other = makePng(40, 40, () => [200, 0, 200]).toString('base64');
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const pasted = new DataTransfer();
      pasted.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    }, other);
    await expect.poll(() => row(page, 'image.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(chatRequests()).toHaveLength(2);
  });

  it('shows tokens as they arrive, before the reply is complete', async () => {
    const { page } = opened;
    ollama.setReply('alpha beta gamma delta epsilon zeta');
    ollama.hold();
    await addFiles(page, [{ name: 'held.png', mimeType: 'image/png', buffer: makePng(120, 80, () => [200, 10, 10]) }]);
    await expect.poll(() => row(page, 'held.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('waiting');
    ollama.release(2);
    await expect.poll(() => page.getByTestId('run').getByTestId('markdown').textContent()).toMatch(/alpha/);
    expect(await row(page, 'held.png').locator('[data-phase]').getAttribute('data-phase')).toBe('streaming');
    expect(await page.getByTestId('run').textContent()).not.toMatch(/zeta/);
    ollama.releaseAll();
    await expect.poll(() => page.getByTestId('result').getByTestId('markdown').textContent()).toMatch(/alpha beta gamma delta epsilon zeta/);
  });

  it('sends upright, resized JPEG or PNG as bare base64 with no EXIF', async () => {
    const { page } = opened;
    // A phone photo stored sideways (orientation 6 = rotate 90° clockwise) with GPS and camera make.
    const sideways = withExif(makeJpeg(3000, 1500, (x) => (x < 1500 ? [250, 0, 0] : [0, 0, 250])), 6);
    await addFiles(page, [{ name: 'phone.jpg', mimeType: 'image/jpeg', buffer: sideways }]);
    await expect.poll(() => chatRequests().length, { timeout: 30_000 }).toBe(1);
    const base64 = sentImage(chatRequests()[0] as { body: unknown });
    expect(base64).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const bytes = Buffer.from(base64, 'base64');
    expect(bytes[0] === 0xff && bytes[1] === 0xd8).toBe(true);
    expect(hasExif(bytes)).toBe(false);
    const decoded = decodeImage(bytes);
    // Rotated upright (portrait) and fitted within 1536 px.
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 768, height: 1536 });
    // After rotating 90° clockwise the red (left) half is on top.
    const top = decoded.data[(10 * decoded.width + 384) * 4] ?? 0;
    const bottom = decoded.data[((decoded.height - 10) * decoded.width + 384) * 4] ?? 0;
    expect(top).toBeGreaterThan(200);
    expect(bottom).toBeLessThan(60);
    // The detail view shows a 1600 px preview, upright, not the 3000 px original.
    const shown = page.getByRole('img', { name: 'The image phone.jpg' });
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`)).toBe('800x1600');
  });

  it('turns photos stored upside down or turned left upright too', async () => {
    const { page } = opened;
    // Red left half, blue right half, as stored; orientation 3 turns it 180°, 8 turns it 90° left.
    const stored = makeJpeg(3000, 1500, (x) => (x < 1500 ? [250, 0, 0] : [0, 0, 250]));
    await addFiles(page, [
      { name: 'upside-down.jpg', mimeType: 'image/jpeg', buffer: withExif(stored, 3) },
      { name: 'turned-left.jpg', mimeType: 'image/jpeg', buffer: withExif(stored, 8) },
    ]);
    await expect.poll(() => chatRequests().length, { timeout: 30_000 }).toBe(2);
    const sent = chatRequests().map((r) => decodeImage(Buffer.from(sentImage(r), 'base64')));
    const redAt = (image: (typeof sent)[number], x: number, y: number) => (image.data[(y * image.width + x) * 4] ?? 0) > 200;
    const upsideDown = sent.find((image) => image.width > image.height);
    const turnedLeft = sent.find((image) => image.width < image.height);
    expect({ width: upsideDown?.width, height: upsideDown?.height }).toEqual({ width: 1536, height: 768 });
    expect({ width: turnedLeft?.width, height: turnedLeft?.height }).toEqual({ width: 768, height: 1536 });
    // Upside down: the red half is now on the right. Turned left: the red half is at the bottom.
    expect([redAt(upsideDown!, 10, 384), redAt(upsideDown!, 1526, 384)]).toEqual([false, true]);
    expect([redAt(turnedLeft!, 384, 10), redAt(turnedLeft!, 384, 1526)]).toEqual([false, true]);
  });

  it('turns a large photo decoded at half size upright, and shows its preview at the original’s proportions', async () => {
    const { page } = opened;
    // 9216 × 4608 (42 MP) is decoded at 1/2 (lib/image/jpeg-scale.ts); drawn in the page, since
    // jpeg-js takes most of a minute for it. Red left half, blue right half, as stored; 8 turns it left.
    const base64 = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(9216, 4608);
      const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      context.fillStyle = 'rgb(250,0,0)';
      context.fillRect(0, 0, 4608, 4608);
      context.fillStyle = 'rgb(0,0,250)';
      context.fillRect(4608, 0, 4608, 4608);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    });
    await addFiles(page, [{ name: 'large-turned.jpg', mimeType: 'image/jpeg', buffer: withExif(Buffer.from(base64, 'base64'), 8) }]);
    await expect.poll(() => chatRequests().length, { timeout: 60_000 }).toBe(1);
    const sent = decodeImage(Buffer.from(sentImage(chatRequests()[0] as { body: unknown }), 'base64'));
    expect({ width: sent.width, height: sent.height }).toEqual({ width: 768, height: 1536 });
    // Turned left: the red half is at the bottom.
    const redAt = (x: number, y: number) => (sent.data[(y * sent.width + x) * 4] ?? 0) > 200;
    expect([redAt(384, 10), redAt(384, 1526)]).toEqual([false, true]);
    // The preview (from the same half-size decode) keeps the upright original's proportions.
    await row(page, 'large-turned.jpg').click();
    const shown = page.getByRole('img', { name: 'The image large-turned.jpg' });
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`), { timeout: 30_000 }).toBe('800x1600');
  }, 120_000);

  it('pads tiny images and never upscales', async () => {
    const { page } = opened;
    await addFiles(page, [
      { name: 'tiny.png', mimeType: 'image/png', buffer: makePng(20, 10, () => [0, 0, 0]) },
      { name: 'mid.png', mimeType: 'image/png', buffer: makePng(700, 500, () => [0, 90, 0]) },
    ]);
    await expect.poll(() => chatRequests().length, { timeout: 30_000 }).toBe(2);
    const sizes = chatRequests().map((r) => decodeImage(Buffer.from(sentImage(r), 'base64'))).map((d) => `${d.width}x${d.height}`);
    expect(sizes.sort()).toEqual(['56x56', '700x500']);
  });

  it('gives unreadable files a clear message and carries on with the rest', async () => {
    const { page } = opened;
    await addFiles(page, [
      { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
      { name: 'scan.jpg', mimeType: 'image/jpeg', buffer: PDF_BYTES },
      { name: 'broken.png', mimeType: 'image/png', buffer: corruptPng() },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      { name: 'anim.gif', mimeType: 'image/gif', buffer: TINY_GIF },
      { name: 'good.png', mimeType: 'image/png', buffer: makePng(100, 100, () => [1, 2, 3]) },
    ]);
    const rejected = page.getByTestId('rejected');
    await expect.poll(() => rejected.allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining([
      expect.stringMatching(/empty\.png.*empty \(0 bytes\)/),
      // A PDF named .jpg is known by its bytes and handed to the PDF reader, which finds no pages.
      expect.stringMatching(/scan\.jpg.*PDF is damaged or incomplete/),
    ]));
    // Files that are not images at all are summed up in one line, each reason on demand.
    const skipped = page.getByTestId('skipped');
    await expect.poll(() => skipped.locator('summary').textContent(), { timeout: 20_000 }).toBe('1 file skipped: not an image');
    await skipped.locator('summary').click();
    // The list is rendered only once opened.
    await expect.poll(() => skipped.textContent()).toMatch(/notes\.txt.*not an image/);
    // Its header is sound, so it is listed; the one decode finds the damage and its run says so.
    await expect.poll(() => row(page, 'broken.png').locator('[data-phase]').textContent(), { timeout: 20_000 }).toMatch(/Failed: .*could not be decoded/);
    // The GIF is re-encoded as PNG (Ollama's runners often refuse GIF) and goes through.
    for (const name of ['good.png', 'anim.gif']) {
      await expect.poll(() => row(page, name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    }
    for (const request of chatRequests()) expect(Buffer.from(sentImage(request), 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('finds a stored result again instead of asking the model twice', async () => {
    const { page } = opened;
    let replies = 0;
    ollama.setReply(() => `Reply number ${++replies}`);
    const image = { name: 'again.png', mimeType: 'image/png', buffer: makePng(90, 90, () => [9, 9, 9]) };
    await addFiles(page, [image]);
    await expect.poll(() => row(page, 'again.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    // The app said it is done: from here on, nothing may ask the model about this image.
    const askedWhenDone = chatRequests().length;
    expect(askedWhenDone).toBe(1);
    const againImage = sentImage(chatRequests()[0] as { body: unknown });
    await expect.poll(() => row(page, 'again.png').textContent()).toContain('Reply number 1');

    // The copy comes in first, then a new image: once the new one is done, the copy was handled.
    await addFiles(page, [{ ...image, name: 'again-copy.png' }, { name: 'later.png', mimeType: 'image/png', buffer: makePng(90, 90, () => [200, 9, 9]) }]);
    await expect.poll(() => row(page, 'later.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    const askedSince = chatRequests().slice(askedWhenDone);
    expect(askedSince).toHaveLength(1);
    expect(sentImage(askedSince[0] as { body: unknown })).not.toBe(againImage);
    expect(await page.getByTestId('item').count()).toBe(2);
    // The copy is shown with the stored text, in the list and in the detail view it opened.
    expect(await row(page, 'again.png').textContent()).toContain('Reply number 1');
    expect(await page.getByRole('region', { name: 'Selected image' }).getByRole('heading', { level: 2 }).textContent()).toBe('again.png');
    expect(await page.getByTestId('result').count()).toBe(1);
    await expect.poll(() => page.getByTestId('result').getByTestId('markdown').textContent()).toMatch(/^\s*Reply number 1\s*$/);

    // Re-running is an explicit choice.
    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => chatRequests().length, { timeout: 20_000 }).toBe(askedWhenDone + 2);
    expect(sentImage(chatRequests().at(-1) as { body: unknown })).toBe(againImage);
  });

  it('says when an edit could not be saved, and keeps the edited text in the editor', async () => {
    const { page } = opened;
    ollama.setReply('Model text');
    await addFiles(page, [{ name: 'edit.png', mimeType: 'image/png', buffer: makePng(50, 50, () => [7, 70, 7]) }]);
    await expect.poll(() => row(page, 'edit.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    // From now on the browser refuses to store results, as it does when the quota is used up.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.transaction.db.name === 'lenscribe-results') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const result = page.getByTestId('result');
    await result.getByRole('button', { name: 'Edit', exact: true }).click();
    await result.getByRole('textbox').fill('My corrected text');
    await result.getByRole('button', { name: 'Save as my text' }).click();
    await expect.poll(() => result.getByRole('alert').textContent()).toMatch(/^Your edit was not saved: Storage is full/);
    expect(await result.getByRole('textbox').inputValue()).toBe('My corrected text');
    expect(await result.getAttribute('data-author')).toBe('model');
    // Nothing pretends otherwise after a reload: the model's text is what is stored.
    await page.reload();
    await row(page, 'edit.png').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('result').getByTestId('markdown').textContent()).toMatch(/Model text/);
  });

  it('cancels an item: the request is closed and nothing is saved', async () => {
    const { page } = opened;
    ollama.hold();
    await addFiles(page, [{ name: 'cancel-me.png', mimeType: 'image/png', buffer: makePng(60, 60, () => [5, 5, 5]) }]);
    await expect.poll(() => row(page, 'cancel-me.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('waiting');
    const cancelledBefore = ollama.cancelled;
    await page.getByTestId('run').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => ollama.cancelled).toBe(cancelledBefore + 1);
    ollama.releaseAll();
    expect(await row(page, 'cancel-me.png').locator('[data-phase]').getAttribute('data-phase')).toBe('idle');
    await page.reload();
    expect(await row(page, 'cancel-me.png').locator('[data-phase]').getAttribute('data-phase')).toBe('idle');
  });

  it('resumes a batch after a reload mid-stream and loses no finished result', async () => {
    const { page } = opened;
    // Long enough that the few chunks released while polling cannot finish the second reply.
    ollama.setReply(Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '));
    ollama.hold();
    await addFiles(page, [
      { name: 'r1.png', mimeType: 'image/png', buffer: makePng(70, 70, () => [1, 0, 0]) },
      { name: 'r2.png', mimeType: 'image/png', buffer: makePng(70, 70, () => [2, 0, 0]) },
      { name: 'r3.png', mimeType: 'image/png', buffer: makePng(70, 70, () => [3, 0, 0]) },
    ]);
    // Let the first finish, then reload while the second is half streamed (the third waits in
    // Ollama's queue behind it).
    await expect.poll(() => answeredRequests().length, { timeout: 20_000 }).toBe(1);
    // Release the first reply a chunk at a time until it is done. Only waiting chunks are
    // released, so no spare permits are left over for the next reply (which now starts at once:
    // its image was prepared while the first was answered).
    ollama.configure({ chunkDelayMs: 0 });
    await expect.poll(() => {
      ollama.release(ollama.heldStreams);
      return page.locator('[data-phase="done"]').count();
    }, { timeout: 20_000, interval: 20 }).toBe(1);
    await expect.poll(() => answeredRequests().length, { timeout: 20_000 }).toBe(2);
    ollama.release(2);
    await expect.poll(() => page.locator('[data-phase="streaming"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('[data-phase="done"]').count()).toBe(1);
    const finished = sentImage(answeredRequests()[0] as { body: unknown });
    const sentBeforeReload = chatRequests().length;
    await page.reload();
    ollama.releaseAll();
    for (const name of ['r1.png', 'r2.png', 'r3.png']) {
      await expect.poll(() => row(page, name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    }
    // The finished one was not asked again; the interrupted one and the one waiting in Ollama's
    // queue behind it were, once each. Every image's reply ran to its end once.
    const sentAfter = chatRequests().slice(sentBeforeReload).map(sentImage);
    expect(sentAfter).toHaveLength(2);
    expect(sentAfter).not.toContain(finished);
    const completed = chatRequests().filter((r) => r.status === 200).map(sentImage);
    expect(completed).toHaveLength(3);
    expect(new Set(completed).size).toBe(3);
  });
});
