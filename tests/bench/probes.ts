/// <reference types="node" />
// What the benchmark watches inside the page, installed before the app's own scripts run:
// main-thread long tasks, when the first row and the image count appear, when thumbnails are in,
// and each row's status changes. Plain JavaScript in a string, so no bundler helper leaks in.
import type { BrowserContext, Page } from 'playwright-core';

/** A main-thread task of 50 ms or more, in epoch milliseconds (comparable with Date.now()). */
export interface LongTask {
  start: number;
  duration: number;
}

/** Moments of the page's life, in ms since its navigation started (performance.now()). */
export interface PageMarks {
  /** First frame after a library row was in the DOM. */
  firstRow?: number;
  /** Each text the image count showed, with when it first showed it. */
  counts: { text: string; at: number }[];
  /** First frame after every rendered row had its thumbnail. */
  thumbnails?: number;
}

/** A row's status as it changed, in epoch milliseconds. */
export interface PhaseChange {
  name: string;
  phase: string;
  at: number;
}

const PROBES = String.raw`(() => {
  // tsx (esbuild keepNames) wraps functions passed to page.evaluate in __name(); give it one.
  globalThis.__name ??= (fn) => fn;
  if (globalThis.__bench) return;
  const bench = (globalThis.__bench = { longTasks: [], marks: { counts: [] }, phases: [], seen: new Set() });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  // After the frame that paints what is in the DOM now.
  const afterFrame = (set) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => set(performance.now()); c.port2.postMessage(0); });
  const notePhase = (el) => {
    const row = el.closest('[data-testid=item]');
    const name = row?.querySelector('.name')?.textContent ?? '';
    const phase = el.getAttribute('data-phase');
    const key = name + '\u0000' + phase;
    if (bench.seen.has(key)) return;
    bench.seen.add(key);
    bench.phases.push({ name, phase, at: Date.now() });
  };
  let pendingThumbs = false;
  const check = (records) => {
    if (bench.quiet && !bench.trackPhases) return;
    const m = bench.marks;
    if (m.firstRow === undefined && m.firstRowPending === undefined && document.querySelector('[data-testid=item]')) {
      m.firstRowPending = true;
      afterFrame((t) => (m.firstRow = t));
    }
    const count = document.querySelector('.library .count')?.textContent?.trim();
    if (count && !m.counts.some((c) => c.text === count)) m.counts.push({ text: count, at: performance.now() });
    if (m.thumbnails === undefined && !pendingThumbs) {
      const rows = document.querySelectorAll('[data-testid=item]');
      if (rows.length > 0 && Array.from(rows).every((r) => r.querySelector('img[src]'))) {
        pendingThumbs = true;
        afterFrame((t) => (m.thumbnails = t));
      }
    }
    if (!bench.trackPhases) return;
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'data-phase') notePhase(r.target);
      else for (const n of r.addedNodes) if (n.nodeType === 1) {
        if (n.matches('[data-phase]')) notePhase(n);
        for (const el of n.querySelectorAll('[data-phase]')) notePhase(el);
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['src', 'data-phase'] });
})();`;

/** Watch every page of this context from its first script on (also the page already open). */
export async function installProbes(context: BrowserContext, page?: Page): Promise<void> {
  await context.addInitScript(PROBES);
  if (page) await page.evaluate(PROBES);
}

/**
 * Forget long tasks so far; stop watching for load marks (less work per DOM change while scrolling)
 * and, if asked, track row status changes instead (for the encoding runs).
 */
export async function resetProbes(page: Page, trackPhases = false): Promise<void> {
  await page.evaluate((track) => {
    const bench = (globalThis as unknown as { __bench: { longTasks: unknown[]; phases: unknown[]; seen: Set<string>; trackPhases: boolean; quiet: boolean } }).__bench;
    bench.quiet = true;
    bench.longTasks = [];
    bench.phases = [];
    bench.seen = new Set();
    bench.trackPhases = track;
  }, trackPhases);
}

export function readLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (globalThis as unknown as { __bench: { longTasks: LongTask[] } }).__bench.longTasks);
}

export function readMarks(page: Page): Promise<PageMarks> {
  return page.evaluate(() => (globalThis as unknown as { __bench: { marks: PageMarks } }).__bench.marks);
}

export function readPhases(page: Page): Promise<PhaseChange[]> {
  return page.evaluate(() => (globalThis as unknown as { __bench: { phases: PhaseChange[] } }).__bench.phases);
}

/** Count, longest and total of the long tasks that started within [from, to] (epoch ms). */
export function summariseLongTasks(tasks: LongTask[], from = -Infinity, to = Infinity): { count: number; max: number; total: number } {
  const within = tasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: within.length,
    max: within.reduce((m, t) => Math.max(m, t.duration), 0),
    total: within.reduce((s, t) => s + t.duration, 0),
  };
}

/** Poll `probe` until it returns something other than undefined, or fail after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
