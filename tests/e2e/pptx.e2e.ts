// Issue 12.3: a dropped PowerPoint deck gives its speaker notes as `=== Slide N ===` text (no model)
// and its slide pictures described with the slide as context; a broken deck is refused on its own.
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { BROKEN_DECK, makePowerPointDeck } from '../fixtures/decks.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const NOTES = '=== Slide 1 ===\nGreet the room & introduce the team.\n\n=== Slide 3 ===\nAsk for questions.';
const PICTURE_ROW = 'deck.pptx — slide 2 — image1.png';

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.setReply(() => 'A red flower bed in front of a greenhouse.');
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
});
afterEach(async () => {
  await opened.context.close();
});

describe('PowerPoint decks', () => {
  it('gives the notes as slide text, describes the slide-2 picture with its slide as context, exports <deck>.txt, and refuses a broken deck alone', async () => {
    const { page } = opened;
    ollama.clearRequests();
    await addFiles(page, [
      { name: 'broken.pptx', mimeType: PPTX, buffer: Buffer.from(BROKEN_DECK) },
      { name: 'deck.pptx', mimeType: PPTX, buffer: Buffer.from(makePowerPointDeck()) },
    ]);

    await expect.poll(() => page.getByTestId('rejected').filter({ hasText: 'broken.pptx' }).textContent()).toContain('This file is not a PowerPoint deck (.pptx)');
    const deck = page.getByTestId('deck-notes').filter({ hasText: 'deck.pptx' });
    await expect.poll(() => deck.getByTestId('deck-summary').textContent()).toBe('Extracted 2 slides with notes');
    await deck.locator('summary').click();
    expect(await deck.getByTestId('deck-notes-text').textContent()).toBe(NOTES);

    // Only the slide-2 picture is listed (slide 3's 16×16 icon is skipped), and it is read for alt text.
    await expect.poll(() => row(page, PICTURE_ROW).locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
    expect(await page.getByTestId('item').count()).toBe(1);
    const chats = ollama.requests.filter((r) => r.path === '/api/chat');
    expect(chats).toHaveLength(1);
    const prompt = (chats[0]?.body as { messages: { content: string }[] }).messages[0]?.content ?? '';
    expect(prompt).toMatch(/alt text/i);
    expect(prompt).toContain('Context (facts the image may not show): Slide title: Our garden');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export .* as zip$/ }).click();
    const chunks: Buffer[] = [];
    for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    expect(new TextDecoder().decode(files['deck.txt'])).toBe(`${NOTES}\n`);
    const json = JSON.parse(new TextDecoder().decode(files['results.json']));
    expect(json.items[0].originalName).toBe(PICTURE_ROW);
  });
});
