// Issue 9's pool: servers added by address in Connection & models, a batch spread over every server
// that has the model, one stopped midway (its images go to the others, each saved once, and it
// rejoins), an OpenAI-compatible server with a key that goes to it alone, and the doctor's advice
// for servers that refuse the page or want a key.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from '../fake-ollama/server.ts';
import { type FakeOpenAi, type FakeOpenAiOptions, startFakeOpenAi } from '../fake-openai/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
const closers: (() => Promise<void>)[] = [];
const opened: OpenedApp[] = [];

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.context.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A fake Ollama whose replies take a few hundred milliseconds, so a batch lasts a few seconds. */
async function ollama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const fake = await startFakeOllama({ firstChunkDelayMs: 150, chunkDelayMs: 20, ...options });
  closers.push(() => fake.close());
  return fake;
}

async function openAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi({ firstTokenDelayMs: 100, chunkDelayMs: 10, ...options });
  closers.push(() => fake.close());
  return fake;
}

async function open(ollamaUrl: string): Promise<Page> {
  const o = await openApp(browser, app.url, ollamaUrl);
  opened.push(o);
  return o.page;
}

/** Type an address (and key) into "Add a server", as a user would. */
async function addServer(page: Page, address: string, apiKey = ''): Promise<void> {
  await page.getByLabel('Server address').fill(address);
  await page.getByLabel('API key (optional)').fill(apiKey);
  await page.getByRole('button', { name: 'Add server', exact: true }).click();
}

const card = (page: Page, url: string) => page.locator(`[data-testid=server][data-url="${url}"]`);
const cardStatus = (page: Page, url: string) => card(page, url).getAttribute('data-server-status');
const addResult = (page: Page) => page.getByTestId('add-server-result');
const images = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `page-${String(i + 1).padStart(2, '0')}.png`, mimeType: 'image/png', buffer: makePng(40 + i, 30, (x) => [i * 20, x % 256, 90]) }));

/** Chat requests (not warm-ups) a fake Ollama received, and those whose reply it finished. */
const ollamaChats = (fake: FakeOllama) =>
  fake.requests.filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] })?.messages?.length ?? 0) > 0);
const finished = (requests: { status?: number }[]) => requests.filter((r) => r.status === 200).length;
const openAiChats = (fake: FakeOpenAi) => fake.requests.filter((r) => r.path === '/v1/chat/completions' && r.method === 'POST');

/** How many saved results each image has, read from the app's own IndexedDB. */
const resultsPerImage = (page: Page) =>
  page.evaluate(async () => {
    const request = indexedDB.open('lenscribe-results');
    const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const all = db.transaction('results').objectStore('results').getAll();
    const results = await new Promise<{ sha256: string }[]>((resolve) => (all.onsuccess = () => resolve(all.result)));
    db.close();
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.sha256] = (counts[r.sha256] ?? 0) + 1;
    return Object.values(counts).sort();
  });

/** Open Connection & models once the main Ollama answers (until then the panel shows by itself). */
async function openPanel(page: Page) {
  await expect.poll(() => page.locator('p[data-status]').getAttribute('data-status')).toBe('connected');
  if (!(await page.getByTestId('servers').isVisible())) await page.getByRole('button', { name: 'Connection & models' }).click();
}

/** Wait until every image has a saved result, then check the rows on screen say done. */
async function expectAllDone(page: Page, count: number) {
  await expect.poll(async () => (await resultsPerImage(page)).length, { timeout: 30_000 }).toBe(count);
  // The list is virtual: the rows on screen stand for the rest.
  const phases = await page.locator('[data-testid=item] [data-phase]').evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')));
  expect(phases.length).toBeGreaterThan(0);
  expect(new Set(phases)).toEqual(new Set(['done']));
}

describe('a pool of servers', () => {
  it('spreads a batch over two Ollama hosts, carries on when one stops, and lets it rejoin', async () => {
    const main = await ollama();
    const second = await ollama();
    const page = await open(main.url);
    await openPanel(page);
    await addServer(page, second.url);
    await expect.poll(() => addResult(page).textContent()).toContain(`Added Ollama at 127.0.0.1:${second.port}`);
    await expect.poll(() => cardStatus(page, second.url)).toBe('connected');
    expect(await card(page, second.url).locator('summary').textContent()).toMatch(/\d+ models, \d+ see images/);

    const batch = images(12);
    await addFiles(page, batch);
    // Both hosts read; once the second has finished two, hold its next reply and stop it mid-way.
    await expect.poll(() => finished(ollamaChats(second)), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    second.hold();
    await second.whenHeld(1);
    expect(finished(ollamaChats(main))).toBeGreaterThanOrEqual(1);
    await second.stop();
    await expect.poll(() => cardStatus(page, second.url)).toBe('away');
    expect(await card(page, second.url).getByTestId('server-message').textContent()).toMatch(/stopped answering|does not answer/);

    await expectAllDone(page, batch.length);
    // Every image saved once; the cut reply was read again elsewhere, no reply counted twice.
    expect(await resultsPerImage(page)).toEqual(Array(12).fill(1));
    expect(finished(ollamaChats(main)) + finished(ollamaChats(second))).toBe(12);
    expect(ollamaChats(second).some((r) => r.status === undefined)).toBe(true);
    const done = async (url: string) => Number(await card(page, url).getByTestId('server-done').textContent());
    expect((await done(main.url)) + (await done(second.url))).toBe(12);
    expect(await done(second.url)).toBe(finished(ollamaChats(second)));

    second.releaseAll();
    await second.start();
    await expect.poll(() => cardStatus(page, second.url), { timeout: 30_000 }).toBe('connected');
  });

  it('reads the same batch through an OpenAI-compatible server too, whose key goes to it alone', async () => {
    const main = await ollama();
    const second = await ollama();
    const vllm = await openAi({ flavour: 'vllm', apiKey: 'sk-pool-secret', models: [{ id: 'gemma3:4b', vision: true }] });
    const page = await open(main.url);
    await openPanel(page);
    await addServer(page, `${vllm.url}/v1`, 'sk-pool-secret');
    await expect.poll(() => addResult(page).textContent()).toContain(`Added vLLM at 127.0.0.1:${vllm.port}`);
    await expect.poll(() => cardStatus(page, vllm.url)).toBe('connected');
    expect(await card(page, vllm.url).getByLabel(/API key for vLLM/).inputValue()).toBe('sk-pool-secret');
    // vLLM would take four at once; one, set here, keeps the three servers' shares comparable.
    await card(page, vllm.url).getByLabel(/Images at once/).fill('1');
    await card(page, vllm.url).getByLabel(/Images at once/).press('Enter');
    await card(page, vllm.url).getByLabel(/Images at once/).blur();
    await addServer(page, second.url);
    await expect.poll(() => cardStatus(page, second.url)).toBe('connected');

    const batch = images(12);
    await addFiles(page, batch);
    await expect.poll(() => finished(ollamaChats(second)), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    second.hold();
    await second.whenHeld(1);
    await second.stop();
    await expectAllDone(page, batch.length);
    expect(await resultsPerImage(page)).toEqual(Array(12).fill(1));
    const vllmDone = finished(openAiChats(vllm));
    expect(vllmDone).toBeGreaterThanOrEqual(1);
    expect(finished(ollamaChats(main))).toBeGreaterThanOrEqual(1);
    expect(vllmDone + finished(ollamaChats(main)) + finished(ollamaChats(second))).toBe(12);
    expect(vllm.peakChats).toBe(1);
    // The key reached vLLM's chats and never an Ollama.
    expect(openAiChats(vllm).every((r) => r.headers.authorization === 'Bearer sk-pool-secret')).toBe(true);
    for (const fake of [main, second]) expect(fake.requests.some((r) => JSON.stringify(r.headers).includes('sk-pool-secret'))).toBe(false);
  });

  it("gives LM Studio's own CORS fix, says when a key is missing, and reports a blocked address as blocked", async () => {
    const main = await ollama();
    // On its own port: with CORS off nothing it says is readable, so the port is the only clue.
    const lmStudio = await openAi({ flavour: 'lmstudio', port: 1234 });
    const litellm = await openAi({ flavour: 'litellm', apiKey: 'sk-master' });
    const page = await open(main.url);
    await openPanel(page);

    await addServer(page, lmStudio.url);
    await expect.poll(() => addResult(page).textContent()).toMatch(/LM Studio .* does not allow this page/);
    expect(await addResult(page).textContent()).toContain('Enable CORS');

    await addServer(page, litellm.url);
    await expect.poll(() => addResult(page).textContent()).toMatch(/needs an API key/);
    await addServer(page, litellm.url, 'sk-master');
    await expect.poll(() => cardStatus(page, litellm.url)).toBe('connected');

    // Port 5000 on another host is outside the page's Content-Security-Policy.
    await addServer(page, 'http://10.255.255.1:5000');
    await expect.poll(() => addResult(page).textContent(), { timeout: 15_000 }).toMatch(/security policy blocks http:\/\/10\.255\.255\.1:5000/);
    expect(await addResult(page).textContent()).toContain('LENSCRIBE_CONNECT_SRC');
    expect(await page.getByTestId('server').count()).toBe(2);
  });
});
