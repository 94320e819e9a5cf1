// Issue 11.5, 11.6, 11.8: presets the user owns (edited, structured, exported and imported), the
// per-image context reaching the model, and alt-text hygiene down to a decorative image's export.
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const KITE = { name: 'kite.png', mimeType: 'image/png', buffer: makePng(120, 160, (x) => [x, 200, 200]) };
const BORDER = { name: 'border.png', mimeType: 'image/png', buffer: makePng(160, 120, (_x, y) => [y, 50, 50]) };

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.setReply(undefined);
  ollama.requests.length = 0;
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

/** The chat requests that asked about an image, in order. */
const chats = () =>
  ollama.requests
    .filter((r) => r.path === '/api/chat' && ((r.body as { messages?: unknown[] })?.messages?.length ?? 0) > 0)
    .map((r) => r.body as { messages: { content: string }[]; options: Record<string, unknown>; format?: unknown });

async function waitDone(page: Page, name: string) {
  await expect.poll(() => row(page, name).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
}

async function openPresets(page: Page) {
  await page.getByRole('button', { name: 'Presets…' }).click();
  return page.getByTestId('preset-editor');
}

async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const event = page.waitForEvent('download');
  await click();
  const chunks: Buffer[] = [];
  for await (const chunk of await (await event).createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('presets', () => {
  it('runs an edited built-in with its prompt and temperature, and resets it', async () => {
    const { page } = opened;
    const editor = await openPresets(page);
    await editor.getByRole('button', { name: 'Describe the image' }).click();
    await editor.getByTestId('preset-prompt').fill('Describe this image in one line.');
    await editor.getByTestId('preset-temperature').fill('0.7');
    await editor.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => editor.getByTestId('preset-message').textContent()).toContain('Saved "Describe the image"');
    await editor.getByRole('button', { name: 'Use for the next run' }).click();
    await addFiles(page, [KITE]);
    await waitDone(page, KITE.name);
    expect(chats().at(-1)?.messages[0]?.content).toBe('Describe this image in one line.');
    expect(chats().at(-1)?.options).toMatchObject({ temperature: 0.7, num_predict: 1024 });

    // Still edited after a reload, then back to the built-in on request.
    await page.reload();
    const again = await openPresets(page);
    await expect.poll(() => again.getByTestId('preset-prompt').inputValue()).toBe('Describe this image in one line.');
    await again.getByRole('button', { name: 'Reset to built-in' }).click();
    await expect.poll(() => again.getByTestId('preset-prompt').inputValue()).toBe('Describe this image in detail.');
  });

  it('shows a structured reply as fields and flags one that does not match the schema', async () => {
    const { page } = opened;
    ollama.setReply((_request, { images }) =>
      images[0]?.width === 120 ? '{"alt":"A red kite over a field","is_decorative":false}' : '{"alt":"A stripe","is_decorative":"perhaps"}',
    );
    await page.locator('#task-select').selectOption('alt-text-structured');
    await addFiles(page, [KITE, BORDER]);
    await waitDone(page, KITE.name);
    await waitDone(page, BORDER.name);
    expect(chats()[0]?.format).toMatchObject({ type: 'object', required: ['alt', 'is_decorative'] });

    await row(page, KITE.name).click();
    const kite = page.getByTestId('result');
    await expect.poll(() => kite.getByTestId('structured-fields').locator('[data-field=alt]').textContent()).toBe('A red kite over a field');
    expect(await kite.getByTestId('structured-fields').locator('dt').allTextContents()).toEqual(['Alt', 'Is decorative']);
    expect(await kite.getAttribute('data-needs-review')).toBeNull();

    await row(page, BORDER.name).click();
    const border = page.getByTestId('result');
    await expect.poll(() => border.getAttribute('data-needs-review')).toBe('true');
    expect(await border.getByRole('note').first().textContent()).toMatch(/does not match the schema: \/is_decorative/);
    expect(await border.getByTestId('structured-fields').count()).toBe(0);
    expect(await border.textContent()).toContain('"is_decorative":"perhaps"');
  });

  it('exports the presets as a JSON file and imports them back, asking before replacing', async () => {
    const { page } = opened;
    const editor = await openPresets(page);
    await editor.getByRole('button', { name: 'New preset' }).click();
    await editor.getByTestId('preset-label').fill('Invoice fields');
    await editor.getByTestId('preset-prompt').fill('Read the invoice. Answer in JSON.');
    await editor.getByTestId('preset-structured').check();
    await editor.getByTestId('preset-schema').fill('{"type":"object","properties":{"number":{"type":"string"},"total":{"type":"number"}}}');
    await editor.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => editor.getByRole('button', { name: /Invoice fields/ }).count()).toBe(1);

    const file = await download(page, () => editor.getByRole('button', { name: 'Export presets' }).click());
    const json = JSON.parse(file.toString('utf8'));
    expect(json).toMatchObject({ format: 'lenscribe-presets', version: 1 });
    const invoice = json.presets.find((p: { label: string }) => p.label === 'Invoice fields');
    expect(invoice).toMatchObject({ prompt: 'Read the invoice. Answer in JSON.', output: { schema: { properties: { total: { type: 'number' } } } } });

    // Deleted, then brought back by the file.
    page.once('dialog', (dialog) => void dialog.accept());
    await editor.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => editor.getByRole('button', { name: /Invoice fields/ }).count()).toBe(0);
    const input = editor.getByTestId('preset-import-input');
    await input.setInputFiles({ name: 'lenscribe-presets.json', mimeType: 'application/json', buffer: file });
    await expect.poll(() => editor.getByTestId('preset-message').textContent()).toContain('1 added');
    await expect.poll(() => editor.getByRole('button', { name: /Invoice fields/ }).count()).toBe(1);

    // Edited since: the file would replace the user's preset, so they are asked; they keep theirs.
    await editor.getByRole('button', { name: /Invoice fields/ }).click();
    await editor.getByTestId('preset-prompt').fill('My own invoice prompt.');
    await editor.getByRole('button', { name: 'Save preset' }).click();
    await input.setInputFiles({ name: 'lenscribe-presets.json', mimeType: 'application/json', buffer: file });
    const pending = editor.getByTestId('preset-import-pending');
    await expect.poll(async () => (await pending.locator('p').innerText()).replace(/\s+/g, ' ')).toContain('1 preset in the file would replace yours: "Invoice fields"');
    await pending.getByRole('button', { name: 'Keep mine, add theirs as copies' }).click();
    await editor.locator('[data-preset-id="my-preset-1-imported"]').click();
    expect(await editor.getByTestId('preset-label').inputValue()).toBe('Invoice fields (imported)');
    expect(await editor.getByTestId('preset-prompt').inputValue()).toBe('Read the invoice. Answer in JSON.');
    await editor.locator('[data-preset-id="my-preset-1"]').click();
    expect(await editor.getByTestId('preset-prompt').inputValue()).toBe('My own invoice prompt.');

    // A broken file is refused with the reason, changing nothing.
    await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"version":1,"presets":[{"id":"x","label":"X","prompt":"p","temperature":9,"num_predict":5,"maxSide":512}]}') });
    await expect.poll(() => editor.getByTestId('preset-message').textContent()).toContain('temperature must be a number from 0 to 2');
  });
});

describe('context and alt text', () => {
  it('sends the file name, the batch context and the image context in the prompt', async () => {
    const { page } = opened;
    await page.getByLabel('Context', { exact: true }).fill('Location: Glencoe, Scotland');
    await page.getByLabel('Add file name').check();
    await addFiles(page, [KITE]);
    await waitDone(page, KITE.name);
    await page.getByTestId('image-context').fill('The kite is a red kite (Milvus milvus).');
    await page.getByTestId('image-context').press('Tab');
    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => chats().length).toBe(2);
    await waitDone(page, KITE.name);
    expect(chats()[0]?.messages[0]?.content).toMatch(/Context \(facts the image may not show\): File: kite\.png\nLocation: Glencoe, Scotland$/);
    expect(chats()[1]?.messages[0]?.content).toMatch(
      /Context \(facts the image may not show\): File: kite\.png\nLocation: Glencoe, Scotland\nThe kite is a red kite \(Milvus milvus\)\.$/,
    );
    await expect.poll(() => page.getByTestId('result').first().textContent()).toContain('Context: File: kite.png');
    // Kept with the image across a reload.
    await page.reload();
    await row(page, KITE.name).click();
    await expect.poll(() => page.getByTestId('image-context').inputValue()).toBe('The kite is a red kite (Milvus milvus).');
  });

  it('flags a poor alt text and exports a decorative image with empty alt text', async () => {
    const { page } = opened;
    ollama.setReply('Image of a thin decorative stripe in dark red running along the top of the page, separating the header from the body text below.');
    await page.locator('#task-select').selectOption('alt-text');
    await addFiles(page, [BORDER]);
    await waitDone(page, BORDER.name);
    const notes = page.getByTestId('alt-notes');
    await expect.poll(() => notes.locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(['too-long', 'redundant-opening']);

    await page.getByTestId('image-decorative').check();
    await expect.poll(() => page.getByTestId('alt-decorative').count()).toBe(1);
    const zip = await download(page, () => page.getByRole('button', { name: /^Export .* as zip$/ }).click());
    const files = unzipSync(new Uint8Array(zip));
    const json = JSON.parse(new TextDecoder().decode(files['results.json']));
    expect(json.items[0]).toMatchObject({ decorative: true, results: [{ task: 'alt-text', text: '' }] });
    const csv = new TextDecoder().decode(files['results.csv']).split('\r\n');
    expect(csv[1]).toBe('border.png,alt-text,,gemma3:4b,model,,yes,,');
    // The stored text is untouched: only the export is empty.
    expect(await page.getByTestId('result').textContent()).toContain('Image of a thin decorative stripe');
  });
});
