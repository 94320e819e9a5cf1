// Issue 12.4: an image fetched from an address the user types, served from a second local port with
// and without CORS headers; an address outside the page's policy is not fetched, and it says so.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;
let images: Server;
let imagesUrl: string;

const FLOWER = makePng(80, 60, (x, y) => [x * 3, 180, y * 4]);
const OTHER = makePng(60, 80, (x, y) => [20, x * 4, y * 3]);

beforeAll(async () => {
  images = createServer((request, response) => {
    const withCors = request.url?.startsWith('/cors/');
    response.writeHead(200, { 'content-type': 'image/png', ...(withCors && { 'access-control-allow-origin': '*' }) });
    response.end(withCors ? FLOWER : OTHER);
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close(), new Promise((resolve) => images?.close(resolve))]);
});
beforeEach(async () => {
  ollama.setReply(() => 'A flower.');
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

async function fetchAddress(page: Page, address: string) {
  await page.getByRole('textbox', { name: 'Add image from address' }).fill(address);
  await page.getByRole('button', { name: 'Fetch image' }).click();
}

const storedSources = (page: Page) =>
  page.evaluate(async () => {
    const request = indexedDB.open('lenscribe-images');
    const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const all = db.transaction(db.objectStoreNames[0] as string).objectStore(db.objectStoreNames[0] as string).getAll();
    const records = await new Promise<{ name: string; source?: { url?: string } }[]>((resolve) => (all.onsuccess = () => resolve(all.result)));
    db.close();
    return records.map((r) => [r.name, r.source?.url]);
  });

describe('image by address', () => {
  it('fetches an image a site shares (CORS) and reads it like a dropped file, its address kept', async () => {
    const { page } = opened;
    const address = `${imagesUrl}/cors/flower.png`;
    await fetchAddress(page, address);
    await expect.poll(() => row(page, 'flower.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(await page.getByTestId('address-status').textContent()).toContain('Added flower.png');
    expect(await storedSources(page)).toEqual([['flower.png', address]]);
  });

  it('says CORS refused an image the site does not share, and suggests dropping it', async () => {
    const { page } = opened;
    await fetchAddress(page, `${imagesUrl}/plain/other.png`);
    await expect.poll(() => page.getByTestId('address-status').textContent()).toBe(
      'That site does not allow other pages to read its images (CORS). Save the image and drop it here instead.',
    );
    expect(await page.getByTestId('item').count()).toBe(0);
  });

  it('does not fetch an address outside the page policy, and says how to allow it', async () => {
    const { page } = opened;
    // Had the page tried, the policy would have blocked it and reported a violation.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.blockedURI));
    });
    await fetchAddress(page, 'https://images.example.com/photo.jpg');
    await expect.poll(() => page.getByTestId('address-status').textContent()).toContain("This page's security policy lets it fetch images only from this computer");
    expect(await page.getByTestId('address-status').textContent()).toContain('LENSCRIBE_FETCH_IMAGES=1');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  });
});
