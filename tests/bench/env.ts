/// <reference types="node" />
// What every benchmark shares: the browser, the built app, the fake Ollama, and a fresh profile
// opened on the app and connected, with the page probes installed.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { preview } from 'vite';
import type { FakeOllama } from '../fake-ollama/server.ts';
import { type OpenedApp, openApp } from '../e2e/harness.ts';
import { installProbes, waitFor } from './probes.ts';

export interface BenchEnv {
  browser: Browser;
  app: { url: string; close: () => Promise<void> };
  ollama: FakeOllama;
}

export interface BenchPage extends OpenedApp {
  cdp: CDPSession;
}

/**
 * Like the harness's startApp, but serving a private copy of dist/: others may rebuild dist/
 * while the benchmark runs (npm run test:e2e does), which would change the app under it mid-run.
 */
export async function startAppSnapshot(): Promise<BenchEnv['app'] & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lenscribe-bench-dist-'));
  await cp('dist', dir, { recursive: true });
  const server = await preview({ build: { outDir: dir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'silent' });
  const { port } = server.httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    dir,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A new profile on the app, connected to the fake Ollama (a vision model chosen), probes on. */
export async function openConnected(env: BenchEnv): Promise<BenchPage> {
  const opened = await openApp(env.browser, env.app.url, env.ollama.url);
  await installProbes(opened.context, opened.page);
  await waitFor('the connection to the fake Ollama', async () =>
    (await opened.page.locator('[data-status]').first().getAttribute('data-status')) === 'connected' ? true : undefined,
  );
  await waitFor('a model to be chosen', async () => ((await opened.page.getByLabel('Model', { exact: true }).inputValue()) ? true : undefined));
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send('Performance.enable');
  return { ...opened, cdp };
}

/** The text of the list's image count ("10,000 images"). */
export function countText(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'image' : 'images'}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
