/// <reference types="node" />
// Several servers: the same batch against one fake Ollama and against two at the same fake pace.
// Ideally two hosts take half the time; what is left over is the app's own per-image work and the
// moments a host waits for its next image.
import { addFiles, openApp } from '../e2e/harness.ts';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import type { BenchEnv } from './env.ts';
import { countStoredResults } from './stored.ts';
import { waitFor } from './probes.ts';

export interface PoolFigures {
  images: number;
  /** How long each fake host takes per reply. */
  replyMs: number;
  oneHostMs: number;
  twoHostsMs: number;
  /** Images each host read in the two-host run. */
  split: [number, number];
}

/** A fake Ollama that takes `replyMs` per image (one at a time, like OLLAMA_NUM_PARALLEL=1). */
function pacedOllama(replyMs: number): Promise<FakeOllama> {
  return startFakeOllama({ firstChunkDelayMs: replyMs, chunkDelayMs: 0, splitDelayMs: 0, splitLines: false, reply: ['# Page\n\nThe text of the page.'] });
}

const isImageChat = (r: { path: string; body: unknown; status?: number }) =>
  r.path === '/api/chat' && ((r.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0;


export async function benchPool(env: BenchEnv, images = 40, replyMs = 300): Promise<PoolFigures> {
  const hosts = await Promise.all([pacedOllama(replyMs), pacedOllama(replyMs)]);
  try {
    const oneHostMs = await timeBatch(env, hosts.slice(0, 1), images, 0);
    for (const host of hosts) host.clearRequests();
    const twoHostsMs = await timeBatch(env, hosts, images, 1);
    const split = hosts.map((h) => h.requests.filter(isImageChat).length) as [number, number];
    return { images, replyMs, oneHostMs, twoHostsMs, split };
  } finally {
    await Promise.allSettled(hosts.map((h) => h.close()));
  }
}

/** A fresh profile on the first host, the others added by address; drop → every result stored. */
async function timeBatch(env: BenchEnv, hosts: FakeOllama[], images: number, seed: number): Promise<number> {
  const [main, ...others] = hosts;
  const opened = await openApp(env.browser, env.app.url, main!.url);
  const { page } = opened;
  try {
    await waitFor('the main Ollama', async () => ((await page.locator('p[data-status]').getAttribute('data-status')) === 'connected' ? true : undefined));
    if (!(await page.getByTestId('servers').isVisible())) await page.getByRole('button', { name: 'Connection & models' }).click();
    for (const host of others) {
      await page.getByLabel('Server address').fill(host.url);
      await page.getByRole('button', { name: 'Add server', exact: true }).click();
      const card = page.locator(`[data-testid=server][data-url="${host.url}"]`);
      await waitFor(`${host.url} to connect`, async () => ((await card.getAttribute('data-server-status').catch(() => null)) === 'connected' ? true : undefined));
    }
    // Different pixels per run, so no stored result is reused.
    const files = Array.from({ length: images }, (_, i) => ({
      name: `pool-${String(i + 1).padStart(2, '0')}.png`,
      mimeType: 'image/png',
      buffer: makePng(64, 48, (x, y) => [(i * 5 + seed * 101) % 256, (x + y) % 256, seed * 60]),
    }));
    const started = Date.now();
    await addFiles(page, files);
    await waitFor('the whole batch', async () => ((await countStoredResults(page)) >= images ? true : undefined), 300_000, 25);
    return Date.now() - started;
  } finally {
    await opened.context.close();
  }
}
