/// <reference types="node" />
// Memory as the machine sees it: the summed resident set of every Chromium process this
// benchmark started (read from /proc, Linux only), and the page's JS heap over CDP.
import { readFileSync, readdirSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

const MB = 1024 * 1024;

/** Every process below ours (Playwright starts Chromium as our child), by pid. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

function isChromium(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]?.includes('chrom') ?? false;
  } catch {
    return false;
  }
}

/** Summed VmRSS (bytes) of our Chromium processes: shared pages count once per process. */
export function chromiumRss(): number {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    if (!isChromium(pid)) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kb * 1024;
}

/**
 * Summed proportional set size (bytes): shared pages split between the processes sharing them, so
 * closer to the real footprint than summed RSS. Slow (~5 ms a process), so read once, not sampled.
 */
export function chromiumPss(): number {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    if (!isChromium(pid)) continue;
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Gone meanwhile, or no smaps_rollup (kernels before 4.14).
    }
  }
  return kb * 1024;
}

/** The page's JS heap (main thread only; workers are not included) from CDP Performance.getMetrics. */
export async function pageHeap(cdp: CDPSession): Promise<{ used: number; total: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { used: get('JSHeapUsedSize'), total: get('JSHeapTotalSize') };
}

/** Collect garbage first, so the figure is what the page keeps rather than what it last dropped. */
export async function retainedHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await pageHeap(cdp)).used;
}

export interface MemorySummary {
  /** Chromium RSS when sampling started. */
  baselineRss: number;
  /** Chromium PSS when sampling started (see chromiumPss). */
  baselinePss: number;
  peakRss: number;
  /** Page JS heap used at the start and at its highest. */
  baselineHeap: number;
  peakHeap: number;
  samples: number;
}

/** Samples RSS (and the page heap, when a CDP session is given) every `everyMs` until stopped. */
export class MemorySampler {
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #cdp: CDPSession | undefined;
  #rss: number[] = [];
  #heap: number[] = [];
  #heapPending = false;
  readonly #baselinePss: number;

  constructor(cdp?: CDPSession, everyMs = 100) {
    this.#cdp = cdp;
    this.#baselinePss = chromiumPss();
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), everyMs);
  }

  #sample(): void {
    this.#rss.push(chromiumRss());
    if (!this.#cdp || this.#heapPending) return;
    this.#heapPending = true;
    pageHeap(this.#cdp)
      .then(({ used }) => this.#heap.push(used))
      .catch(() => {})
      .finally(() => (this.#heapPending = false));
  }

  /** Stop and summarise (one last sample first, so a short run still has its end). */
  stop(): MemorySummary {
    clearInterval(this.#timer);
    this.#rss.push(chromiumRss());
    return {
      baselineRss: this.#rss[0] ?? 0,
      baselinePss: this.#baselinePss,
      peakRss: Math.max(...this.#rss),
      baselineHeap: this.#heap[0] ?? 0,
      peakHeap: this.#heap.length ? Math.max(...this.#heap) : 0,
      samples: this.#rss.length,
    };
  }
}

export const toMB = (bytes: number) => bytes / MB;
