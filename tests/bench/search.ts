/// <reference types="node" />
// 1b. Search and filter on the 10,000-image library that section 1 seeded and loaded: each
// keystroke typed into the search box and each status or model switch, timed in the page from
// the input event to the list updated (DOM) and to the next frame painted.
import type { Page } from 'playwright-core';
import { readLongTasks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';

/** One keystroke or filter switch. */
export interface StepTiming {
  label: string;
  /** Input event → every update applied to the DOM (the app's own work). */
  domMs: number;
  /** Input event → the next frame painted (what a person sees). */
  frameMs: number;
  /** The list's count afterwards, e.g. "2 of 10,000 shown". */
  count: string;
  rows: number;
}

export interface SearchFigures {
  /** Reload (navigation start) → every text searchable: the index is built in slices after load. */
  indexReadyMs: number;
  /** Main-thread long tasks from that reload until the index was complete. */
  indexLongTasks: { count: number; max: number; total: number };
  keystrokes: StepTiming[];
  switches: StepTiming[];
  longTasks: { count: number; max: number; total: number };
}

/** Typed one character at a time, then cleared: narrow, broad, none, a file name. */
const QUERIES = ['4711', 'invoice', 'zebra', 'img_0042'];

/** Runs in the page: set the box (or click the control), time DOM update and next paint. */
async function timeStepInPage(step: { kind: 'type' | 'click' | 'select'; value: string; selector: string }) {
  const element = document.querySelector(step.selector) as HTMLInputElement | HTMLSelectElement;
  const started = performance.now();
  if (step.kind === 'type') {
    (element as HTMLInputElement).value = step.value;
    element.dispatchEvent(new InputEvent('input', { bubbles: true, data: step.value.slice(-1), inputType: 'insertText' }));
  } else if (step.kind === 'click') {
    (element as HTMLInputElement).click();
  } else {
    element.value = step.value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  }
  // Svelte applies state changes to the DOM in a microtask; a macrotask runs after all of them.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const dom = performance.now() - started;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const frame = performance.now() - started;
  return {
    domMs: dom,
    frameMs: frame,
    count: document.querySelector('.library .count')?.textContent?.trim() ?? '',
    rows: document.querySelectorAll('[data-testid=item]').length,
  };
}

const SEARCH = 'input[type=search]';

async function step(page: Page, label: string, kind: 'type' | 'click' | 'select', selector: string, value = ''): Promise<StepTiming> {
  const timing = await page.evaluate(timeStepInPage, { kind, value, selector });
  // Let any follow-up work (thumbnails of new rows) settle before the next step.
  await page.waitForTimeout(150);
  return { label, ...timing };
}

/** Measure search and filter on the seeded 10,000-image library (reloads it first). */
export async function measureSearch(page: Page): Promise<SearchFigures> {
  // The texts are indexed in slices after load: "4711" finds IMG_04711 by name at once, and
  // "Page 4711" (IMG_04710) only once the index holds it.
  await page.reload({ waitUntil: 'commit' });
  const count = () => page.locator('.library .count').textContent().then((t) => t?.trim());
  await waitFor('the list', async () => ((await count()) === '10,000 images' ? true : undefined), 120_000);
  await page.locator(SEARCH).fill('4711');
  const indexReadyMs = await waitFor('the search index', async () =>
    (await count()) === '2 of 10,000 shown' ? page.evaluate(() => performance.now()) : undefined, 60_000);
  const indexLongTasks = summariseLongTasks(await readLongTasks(page));
  await page.locator(SEARCH).fill('');
  await page.waitForTimeout(300);

  await resetProbes(page);
  const keystrokes: StepTiming[] = [];
  for (const query of QUERIES) {
    for (let n = 1; n <= query.length; n++) keystrokes.push(await step(page, query.slice(0, n), 'type', SEARCH, query.slice(0, n)));
    keystrokes.push(await step(page, `clear "${query}"`, 'type', SEARCH, ''));
  }
  const chip = (id: string) => `input[name=status-filter][value=${id}]`;
  const switches: StepTiming[] = [];
  for (const id of ['done', 'not-run', 'truncated', 'all']) switches.push(await step(page, `status ${id}`, 'click', chip(id)));
  const model = 'select[aria-label="Filter by model"]';
  switches.push(await step(page, 'model gemma3:4b', 'select', model, 'gemma3:4b'));
  switches.push(await step(page, 'any model', 'select', model, ''));
  const longTasks = summariseLongTasks(await readLongTasks(page));
  return { indexReadyMs, indexLongTasks, keystrokes, switches, longTasks };
}
