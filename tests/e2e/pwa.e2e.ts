// Issue 5's installed-app journeys: installable, opens offline with the whole library, offers
// updates without ever reloading mid-run, and keeps the user told about storage.
import { cp, mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { CHROMIUM, type OpenedApp, addFiles, connectTo, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp | undefined;

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

const image = (name: string, shade: number) => ({ name, mimeType: 'image/png', buffer: makePng(80, 60, () => [shade, 40, 90]) });
const KEPT = 'Kept until you delete it';
const MAY_CLEAR = 'The browser may clear it if the disk fills up';
const phase = (page: Page, name: string) => row(page, name).locator('[data-phase]').getAttribute('data-phase');

/** Wait until the first service worker has cached the app and says so. */
async function waitOfflineReady(page: Page): Promise<void> {
  await expect.poll(() => page.getByText('Ready to work offline').count(), { timeout: 20_000 }).toBe(1);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
}

/** dist/ copied to a temp folder and served as is, so a test can change sw.js between visits. */
async function serveCopyOfDist(): Promise<{ url: string; dir: string; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lenscribe-dist-'));
  await cp('dist', dir, { recursive: true });
  const types: Record<string, string> = {
    '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
    '.png': 'image/png', '.webmanifest': 'application/manifest+json', '.map': 'application/json',
  };
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
        response.end(body);
      },
      () => {
        response.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    dir,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('installable app', () => {
  it('has a manifest and a service worker Chromium accepts for installing', async () => {
    // Chromium never offers to install from an incognito profile, which newContext() is.
    const profile = await mkdtemp(join(tmpdir(), 'lenscribe-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(app.url);
      await waitOfflineReady(page);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('describes itself with a manifest, and says "Ready to work offline" only once', async () => {
    opened = await openApp(browser, app.url);
    const { page } = opened;
    await waitOfflineReady(page);
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ name: 'Lenscribe', short_name: 'Lenscribe', display: 'standalone', start_url: '/' });
    expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(
      expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
    );
    // "Ready to work offline" is said once: not again on the next visit.
    await page.reload();
    await page.getByTestId('pwa-banner').waitFor({ state: 'attached' });
    // What would trigger the message has happened: the worker is ready, and a frame was drawn since.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => new Promise((resolve) => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.getByText('Ready to work offline').count()).toBe(0);
  });
});

describe('offline', () => {
  it('opens with no network, shows the whole library, and still reads new images', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    const { page, context } = opened;
    ollama.setReply('Text kept offline');
    await addFiles(page, [image('one.png', 10), image('two.png', 200)]);
    for (const name of ['one.png', 'two.png']) await expect.poll(() => phase(page, name), { timeout: 20_000 }).toBe('done');
    await waitOfflineReady(page);
    // The whole shell is cached, the image workers included.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png']));
    expect(cached.filter((url) => /^\/assets\/encode\.worker-.*\.js$/.test(url))).toHaveLength(1);
    expect(cached.filter((url) => /^\/assets\/index-.*\.css$/.test(url))).toHaveLength(1);

    await context.setOffline(true);
    await page.reload();
    for (const name of ['one.png', 'two.png']) await expect.poll(() => phase(page, name)).toBe('done');
    await row(page, 'two.png').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('result').getByTestId('markdown').textContent()).toMatch(/Text kept offline/);
    // A new image is read (in the cached worker) and stored; it waits for Ollama, which is unreachable.
    await addFiles(page, [image('three.png', 120)]);
    await expect.poll(() => row(page, 'three.png').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => row(page, 'three.png').locator('img').count()).toBe(1);
    await context.setOffline(false);
  });

  it('never answers Ollama requests from the service worker or its cache', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    await waitOfflineReady(page);
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await connectTo(page, ollama.url);
    const ollamaResponses: boolean[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(ollama.url)) ollamaResponses.push(response.fromServiceWorker());
    });
    await addFiles(page, [image('controlled.png', 77)]);
    await expect.poll(() => phase(page, 'controlled.png'), { timeout: 20_000 }).toBe('done');
    expect(ollamaResponses.length).toBeGreaterThan(0);
    expect(ollamaResponses.every((fromServiceWorker) => !fromServiceWorker)).toBe(true);
    const origins = await page.evaluate(async () => {
      const found = new Set<string>();
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) found.add(new URL(request.url).origin);
      return [...found];
    });
    expect(origins).toEqual([new URL(app.url).origin]);
  });
});

describe('updates', () => {
  it('offers a waiting version, and reloads into it only once the user accepts and work is done', async () => {
    const served = await serveCopyOfDist();
    try {
      opened = await openApp(browser, served.url, ollama.url);
      const { page } = opened;
      await waitOfflineReady(page);
      // A new version waits only while an older one controls a page: from the second visit on.
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

      // Build B: a changed sw.js at the same address.
      await appendFile(join(served.dir, 'sw.js'), '\n// build B\n');
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
      await expect.poll(() => page.getByText('Update available').count(), { timeout: 20_000 }).toBe(1);

      // The user accepts while an image is being read: nothing reloads until it is done.
      ollama.setReply('finished before the update');
      ollama.hold();
      await addFiles(page, [image('busy.png', 33)]);
      await expect.poll(() => phase(page, 'busy.png'), { timeout: 20_000 }).toBe('waiting');
      await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
      await page.getByRole('button', { name: 'Reload' }).click();
      await expect.poll(() => page.getByText('Finishing current work first…').count()).toBe(1);
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);

      const reloaded = page.waitForEvent('load', { timeout: 20_000 });
      ollama.releaseAll();
      await reloaded;
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBeUndefined();
      await expect.poll(() => phase(page, 'busy.png'), { timeout: 20_000 }).toBe('done');
      // Build B took over: nothing waits any more, and it controls the page.
      const worker = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return { isWaiting: registration.waiting !== null, isControlled: navigator.serviceWorker.controller !== null };
      });
      expect(worker).toEqual({ isWaiting: false, isControlled: true });
      expect(await page.getByText('Update available').count()).toBe(0);
    } finally {
      await opened?.context.close();
      opened = undefined;
      await served.close();
    }
  });
});

describe('storage', () => {
  it('shows space used and free, and what the browser answered when asked to keep the library', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    const { page } = opened;
    const meter = page.getByTestId('storage-meter');
    await expect.poll(() => meter.textContent()).toMatch(/\d+(\.\d)? [KMGT]?B used · \d+(\.\d)? [KMGT]?B free/);
    await addFiles(page, [image('kept.png', 50)]);
    await expect.poll(() => phase(page, 'kept.png'), { timeout: 20_000 }).toBe('done');
    // The browser's own answer decides which sentence is true.
    const isPersisted = await page.evaluate(() => navigator.storage.persisted());
    const [said, notSaid] = isPersisted ? [KEPT, MAY_CLEAR] : [MAY_CLEAR, KEPT];
    await expect.poll(() => meter.textContent()).toContain(said);
    expect(await meter.textContent()).not.toContain(notSaid);
    expect(await page.getByRole('meter', { name: 'Storage' }).count()).toBe(1);
  });

  it.each([true, false])('asks once there is a library, and says what the browser answered (granted: %s)', async (isGranted) => {
    opened = await openApp(browser, app.url, ollama.url);
    // A browser that grants (or refuses) persistence when asked, and remembers its answer.
    await opened.context.addInitScript((granted: boolean) => {
      let isPersisted = false;
      (window as unknown as { persistAsked: number }).persistAsked = 0;
      navigator.storage.persist = async () => {
        (window as unknown as { persistAsked: number }).persistAsked++;
        isPersisted = granted;
        return granted;
      };
      navigator.storage.persisted = async () => isPersisted;
    }, isGranted);
    const { page } = opened;
    await page.reload();
    await connectTo(page, ollama.url);
    const meter = page.getByTestId('storage-meter');
    await expect.poll(() => meter.textContent()).toContain(MAY_CLEAR);
    // An empty app does not ask (Firefox would show a prompt for nothing).
    expect(await page.evaluate(() => (window as unknown as { persistAsked: number }).persistAsked)).toBe(0);
    await addFiles(page, [image('asked.png', 60)]);
    await expect.poll(() => phase(page, 'asked.png'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => page.evaluate(() => (window as unknown as { persistAsked: number }).persistAsked)).toBe(1);
    await expect.poll(() => meter.textContent()).toContain(isGranted ? KEPT : MAY_CLEAR);
    expect(await meter.textContent()).not.toContain(isGranted ? MAY_CLEAR : KEPT);
  });

  it('warns before the space runs out', async () => {
    opened = await openApp(browser, app.url);
    await opened.context.addInitScript(() => {
      navigator.storage.estimate = async () => ({ usage: 950 * 1024 ** 2, quota: 1024 ** 3 });
    });
    const { page } = opened;
    await page.reload();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Storage is almost full' }).textContent()).toMatch(/74 MB left/);
  });

  it('turns a full disk into a visible message, not a console error', async () => {
    opened = await openApp(browser, app.url, ollama.url);
    // The browser refuses to store more image bytes, as it does when the quota is used up.
    await opened.context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.transaction.db.name === 'lenscribe-blobs') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const { page } = opened;
    await page.reload();
    await addFiles(page, [image('too-much.png', 99)]);
    await expect.poll(() => page.getByTestId('rejected').textContent(), { timeout: 20_000 }).toMatch(/too-much\.png.*Storage is full/);
    expect(await row(page, 'too-much.png').count()).toBe(0);
  });
});
