// Real Chromium against the built app and the fake Ollama: the edges are faked, nothing else.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

/** Debian's Chromium, as CI installs it; override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Serve dist/ (the built app) like `npm start` does, on a free port. */
export async function startApp(host = '127.0.0.1'): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync('dist/index.html')) throw new Error('Build the app first: npm run build');
  const server: PreviewServer = await preview({ preview: { port: 0, host, strictPort: false }, logLevel: 'silent' });
  const { port } = server.httpServer.address() as AddressInfo;
  const hostname = host === '127.0.0.1' ? 'localhost' : host;
  return { url: `http://${hostname}:${port}`, close: () => server.close() };
}

/** Headless Chromium with the network quiet: no background calls to Google. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps',
    ],
  });
}

/** Requests the page made, to check none leaves this machine. */
export interface OpenedApp {
  context: BrowserContext;
  page: Page;
  requests: string[];
  errors: string[];
}

/** Open the app in a fresh profile and point it at the given Ollama address. */
export async function openApp(browser: Browser, appUrl: string, ollamaUrl?: string): Promise<OpenedApp> {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl);
  if (ollamaUrl) await connectTo(page, ollamaUrl);
  return { context, page, requests, errors };
}

/** Type an Ollama address into the connection panel and test it. */
export async function connectTo(page: Page, ollamaUrl: string): Promise<void> {
  const panel = page.getByTestId('doctor');
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Connection & models' }).click();
  await page.getByLabel('Ollama address').fill(ollamaUrl);
  await page.getByRole('button', { name: 'Test connection' }).click();
}

/** Give the page files through its picker, as a user would. */
export async function addFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.locator('input[type=file]').first().setInputFiles(files);
}

/** The row of the image with this name. */
export function row(page: Page, name: string) {
  return page.getByTestId('item').filter({ hasText: name });
}

/** A port on which nothing listens (until a test starts something there). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
