// Turns the figures into one Markdown table, ready to paste into BENCHMARKS.md.
import type { EncodeFigures, EncodingFigures, ThroughputFigures } from './encoding.ts';
import type { ExportFigures } from './export.ts';
import type { IntakeFigures } from './intake.ts';
import type { LibraryFigures, LoadFigures } from './library.ts';
import type { SearchFigures, StepTiming } from './search.ts';
import type { ResultSaveFigures } from './result-save.ts';
import { toMB } from './memory.ts';
import { type OcrFigures, secondsPerMegapixel } from './ocr.ts';
import type { PacedFigures } from './paced.ts';
import type { PoolFigures } from './pool.ts';

type Row = [section: string, measure: string, value: string];

const ms = (value: number | undefined) =>
  value === undefined ? 'n/a' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value).toLocaleString('en')} ms`;
const mb = (bytes: number) => `${toMB(bytes).toFixed(toMB(bytes) < 10 ? 1 : 0)} MB`;
const long = (t: { count: number; max: number; total: number }) =>
  t.count === 0 ? 'none ≥ 50 ms' : `${t.count}, longest ${Math.round(t.max)} ms (total ${Math.round(t.total)} ms)`;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** a ÷ b as "1.42×". */
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

/** "median (min–max)" of several runs, or the one value. */
function spread(values: (number | undefined)[]): string {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length === 0) return 'n/a';
  if (known.length === 1) return ms(known[0]);
  return `${ms(median(known))} (${ms(Math.min(...known))}–${ms(Math.max(...known))})`;
}

function libraryRows(f: LibraryFigures): Row[] {
  const s = `1. Library, ${f.count.toLocaleString('en')} images`;
  const loads = f.loads;
  const worst = (pick: (l: LoadFigures) => { count: number; max: number; total: number }) =>
    loads.map(pick).reduce((a, b) => (b.max > a.max ? b : a), { count: 0, max: 0, total: 0 });
  return [
    [s, 'Seeding IndexedDB in the page (not app time)', ms(f.seedMs)],
    [s, `Reload → first row painted, median of ${loads.length} (min–max)`, spread(loads.map((l) => l.firstRowMs))],
    [s, `Reload → "${f.count.toLocaleString('en')} images" shown`, spread(loads.map((l) => l.countShownMs))],
    [s, 'Reload → every visible thumbnail painted', spread(loads.map((l) => l.thumbnailsMs))],
    [s, `Reload of an empty library → "0 images" shown, median of ${f.emptyLoadMs.length}`, spread(f.emptyLoadMs)],
    [s, 'Full ÷ empty reload (count shown; goal ≤ 2×)', ratio(median(loads.map((l) => l.countShownMs)), median(f.emptyLoadMs))],
    [s, 'First reload right after seeding: first row / count', `${ms(f.firstLoad.firstRowMs)} / ${ms(f.firstLoad.countShownMs)}`],
    [s, 'Raw IndexedDB getAll, images store / results store', `${ms(f.readImagesMs)} / ${ms(f.readResultsMs)}`],
    [s, 'Long tasks during load (+1 s), worst reload', long(worst((l) => l.longTasks))],
    [s, 'Rows in the DOM after load', String(f.rowsAfterLoad)],
    [s, 'JS heap used after load (after GC)', mb(f.heapBytes)],
    [s, 'Jump to bottom → last row painted / its thumbnail', `${ms(f.jumpMs)} / ${ms(f.jumpThumbnailMs)}`],
    [s, 'Rows in the DOM at the bottom', String(f.rowsAfterJump)],
    [s, `Fling ${f.fling.frames} frames × 1,500 px: mean / worst frame`, `${ms(f.fling.meanFrameMs)} / ${ms(f.fling.maxFrameMs)}`],
    [s, 'Frames with no row under the list’s centre', `${f.fling.blankFrames} of ${f.fling.frames}`],
    [s, 'Long tasks during jump + fling', long(f.scrollLongTasks)],
    [s, 'Rows in the DOM after the fling', String(f.rowsAfterScroll)],
    ...searchRows(f.search, f.count),
    ...resultSaveRows(f.resultSave, f.count),
  ];
}

/** "median / worst" of the DOM and paint times of some steps. */
function stepSpread(steps: StepTiming[]): string {
  const dom = steps.map((t) => t.domMs);
  const frame = steps.map((t) => t.frameMs);
  return `${ms(median(dom))} / ${ms(median(frame))} (worst ${ms(Math.max(...dom))} / ${ms(Math.max(...frame))})`;
}

function searchRows(f: SearchFigures, count: number): Row[] {
  const s = `1b. Search and filter, ${count.toLocaleString('en')} results`;
  const finals = f.keystrokes.filter((k, i) => f.keystrokes[i + 1]?.label.startsWith('clear'));
  const broad = f.keystrokes.filter((k) => Number(/^([\d,]+) (of|images)/.exec(k.count)?.[1]?.replace(/,/g, '') ?? 0) > 1000);
  return [
    [s, 'Reload → every text searchable (index built in slices after load)', ms(f.indexReadyMs)],
    [s, 'Long tasks from that reload until the index was complete', long(f.indexLongTasks)],
    [s, `Keystroke → list updated / next frame, median of ${f.keystrokes.length}`, stepSpread(f.keystrokes)],
    [s, `  of which matching over 1,000 images (${broad.length})`, broad.length ? stepSpread(broad) : 'n/a'],
    [s, 'Queries typed (final count shown)', finals.map((k) => `"${k.label}" → ${k.count}`).join('; ')],
    [s, `Status / model filter switch → list updated / next frame, median of ${f.switches.length}`, stepSpread(f.switches)],
    [s, 'Switches (count shown)', f.switches.map((k) => `${k.label} → ${k.count}`).join('; ')],
    [s, 'Rows in the DOM after search and filter (max)', String(Math.max(...[...f.keystrokes, ...f.switches].map((k) => k.rows)))],
    [s, 'Long tasks while typing and switching', long(f.longTasks)],
  ];
}

function resultSaveRows(f: ResultSaveFigures, count: number): Row[] {
  const s = `1c. One result saved at ${count.toLocaleString('en')} results`;
  const worst = (values: number[]) => ms(Math.max(...values));
  return [
    [s, `Another tab's saved version → row's text updated / next frame, median of ${f.savedToRowMs.length} (worst)`,
      `${ms(median(f.savedToRowMs))} / ${ms(median(f.savedToFrameMs))} (${worst(f.savedToRowMs)} / ${worst(f.savedToFrameMs)})`],
    [s, '  main-thread task time per saved version, median (worst)', `${ms(median(f.savedTaskMs))} (${worst(f.savedTaskMs)})`],
    [s, '  long tasks meanwhile', long(f.savedLongTasks)],
    [s, `${f.runImages} new photos run through the queue (instant model): drop → all stored`, ms(f.runTotalMs)],
    [s, '  main-thread task time per image (intake, queue, save, list)', ms(f.runTaskMsPerImage)],
    [s, '  long tasks meanwhile', long(f.runLongTasks)],
  ];
}

function pacedRows(f: PacedFigures): Row[] {
  const s = `3b. Batch of ${f.images} photos 1024×768, model paced at ${f.paceMs} ms per image`;
  return [
    [s, 'App: drop → every result stored', ms(f.appTotalMs)],
    [s, 'App: first request → last result stored', ms(f.appModelSpanMs)],
    [s, 'Script: the same requests back to back', ms(f.scriptMs)],
    [s, 'App ÷ script (goal ≤ 1.03)', ratio(f.appModelSpanMs, f.scriptMs)],
    [s, 'Main-thread long tasks meanwhile', long(f.longTasks)],
  ];
}

function encodeRows({ cases, idleRss, idlePss }: EncodingFigures): Row[] {
  const rows: Row[] = [];
  for (const c of cases) {
    const s = `2. Encode: ${c.label}`;
    const first = c.runs[0] as EncodeFigures;
    const runs = c.runs.length > 1 ? ` (median of ${c.runs.length}, min–max)` : '';
    const failed = c.runs.filter((r) => !r.ok);
    rows.push([s, 'File size', c.runs.map((r) => mb(r.fileBytes)).join(', ')]);
    rows.push([s, 'Outcome', failed.length ? `FAILED: ${failed.map((r) => r.message ?? 'no message').join('; ')}` : `sent ${first.sentSize}, ${mb(first.sentBytes ?? 0)} (${mb(Math.ceil((first.sentBytes ?? 0) / 3) * 4)} as base64)`]);
    rows.push([s, `Drop → chat request at Ollama${runs}`, spread(c.runs.map((r) => r.toRequestMs))]);
    rows.push([s, '  of which: drop → listed (identify: header, hash, store)', spread(c.runs.map((r) => r.inspectMs))]);
    rows.push([s, '  of which: "Preparing image…" (read Blob + the one decode: encode, thumbnail, preview)', spread(c.runs.map((r) => r.encodeMs))]);
    const worst = c.runs.map((r) => r.longTasks).reduce((a, b) => (b.max > a.max ? b : a));
    rows.push([s, 'Main-thread long tasks meanwhile (worst run)', long(worst)]);
    const peak = Math.max(...c.runs.map((r) => r.peakRss - r.baselineRss));
    rows.push([s, 'Chromium RSS peak above baseline (worst run)', `+${mb(peak)} (baseline RSS ${mb(first.baselineRss)}, PSS ${mb(first.baselinePss)})`]);
  }
  rows.push(['2. Encode: afterwards', 'Chromium RSS / PSS once the image worker has idled out (22 s)', `${mb(idleRss)} / ${mb(idlePss)}`]);
  return rows;
}

function throughputRows(f: ThroughputFigures): Row[] {
  const s = `3. Batch of ${f.images} photos ${f.width}×${f.height} JPEG (~${mb(f.meanFileBytes)}), instant model`;
  return [
    [s, 'Drop → all results stored', ms(f.totalMs)],
    [s, 'Images per second', f.imagesPerSecond.toFixed(2)],
    [s, 'Mean app time per image', ms(f.meanMsPerImage)],
    [s, 'Drop → first chat request', ms(f.firstRequestMs)],
    [s, 'Mean gap between chat requests (steady state)', ms(f.steadyGapMs)],
    [s, 'Share of a 2 s / 20 s model turn', `${((f.meanMsPerImage / 2000) * 100).toFixed(0)} % / ${((f.meanMsPerImage / 20_000) * 100).toFixed(1)} %`],
    [s, 'Main-thread long tasks meanwhile', long(f.longTasks)],
    [s, 'Results stored', `${f.stored} of ${f.images}`],
  ];
}

function exportRows(f: ExportFigures): Row[] {
  const s = `4. Zip export, ${f.images.toLocaleString('en')} images × ${mb(f.imageBytes / f.images)}`;
  return [
    [s, 'Seeding IndexedDB in the page (not app time)', ms(f.seedMs)],
    [s, 'Click → download starts', ms(f.totalMs)],
    [s, 'Throughput (zip bytes / time)', `${f.mbPerSecond.toFixed(1)} MB/s`],
    [s, 'Zip size', mb(f.zipBytes)],
    [s, 'App message', f.message],
    [s, 'Chromium RSS: baseline → peak (Δ)', `${mb(f.baselineRss)} → ${mb(f.peakRss)} (+${mb(f.peakRss - f.baselineRss)})`],
    [s, 'Chromium PSS at baseline (shared pages counted once)', mb(f.baselinePss)],
    [s, 'Chromium RSS 2 s after (the zip Blob lives on behind its object URL for 40 s)', mb(f.afterRss)],
    [s, 'Page JS heap: baseline → peak; after GC', `${mb(f.baselineHeap)} → ${mb(f.peakHeap)}; ${mb(f.retainedHeapAfter)}`],
    [s, 'Main-thread long tasks meanwhile', long(f.longTasks)],
  ];
}

function intakeRows(f: IntakeFigures): Row[] {
  const s = `6. Drop of ${f.files.toLocaleString('en')} small images (${mb(f.totalBytes)}), model holding its answers`;
  return [
    [s, 'Drawing the files in the page (not app time)', ms(f.generateMs)],
    [s, 'Drop → first chat request at Ollama', ms(f.firstRequestMs)],
    [s, `Drop → "${f.files} images" listed`, ms(f.allListedMs)],
    [s, 'Drop → progress line gone (every file stored)', ms(f.intakeDoneMs)],
    [s, 'Mean intake time per file', `${(f.intakeDoneMs / f.files).toFixed(2)} ms`],
    [s, 'Progress shown (samples)', f.progressSeen.join(' / ')],
    [s, 'Main-thread long tasks meanwhile', long(f.longTasks)],
    [s, 'Page JS heap: before → peak; retained after (after GC)', `${mb(f.baselineHeap)} → ${mb(f.peakHeap)}; ${mb(f.retainedHeap)}`],
  ];
}

function ocrRows(f: OcrFigures): Row[] {
  const s = `5. Built-in OCR, ${f.width}×${f.height} screenshot (${((f.width * f.height) / 1e6).toFixed(2)} MP)`;
  const pct = (share: number) => `${Math.round(share * 100)} %`;
  const confidence = (run: { confidence?: { mean: number; lowest: number } }) => (run.confidence ? `${Math.round(run.confidence.mean * 100)} / ${Math.round(run.confidence.lowest * 100)}` : 'n/a');
  return [
    [s, 'Seconds per 1 MP screenshot, warm worker (median of ' + f.warm.length + ')', `${secondsPerMegapixel(f).toFixed(2)} s/MP (${spread(f.warm.map((r) => r.totalMs))} per image)`],
    [s, 'First use, cold profile: read() → first text', ms(f.cold.firstTextMs)],
    [s, '  of which: start-up (download, compile, English data, init)', ms(f.cold.startupMs)],
    [s, 'Downloaded from /ocr/ at first use', mb(f.downloadedBytes)],
    [s, 'Reloaded page (files cached): read() → first text / start-up', `${ms(f.reloaded.firstTextMs)} / ${ms(f.reloaded.startupMs)}`],
    [s, 'Words drawn / found exactly (cold, warm runs)', `${f.cold.words} / ${[f.cold, ...f.warm].map((r) => pct(r.wordsFound)).join(', ')}`],
    [s, 'Word confidence mean / weakest line (cold run)', confidence(f.cold)],
  ];
}

function poolRows(f: PoolFigures): Row[] {
  const s = `7. Batch of ${f.images} images, fake Ollama at ${f.replyMs} ms per reply`;
  return [
    [s, 'One host: drop → all results stored', ms(f.oneHostMs)],
    [s, 'Two hosts (second added by address): drop → all stored', ms(f.twoHostsMs)],
    [s, 'Ratio two / one (ideal 0.5)', (f.twoHostsMs / f.oneHostMs).toFixed(2)],
    [s, 'Images read by each host (two-host run)', f.split.join(' / ')],
    [s, 'Floor: images × reply time, one host / two', `${ms(f.images * f.replyMs)} / ${ms((f.images * f.replyMs) / 2)}`],
  ];
}

export interface AllFigures {
  library?: LibraryFigures;
  paced?: PacedFigures;
  encoding?: EncodingFigures;
  throughput?: ThroughputFigures;
  export?: ExportFigures;
  ocr?: OcrFigures;
  intake?: IntakeFigures;
  pool?: PoolFigures;
}

/** One Markdown table of every figure measured. */
export function formatTable(all: AllFigures): string {
  const rows: Row[] = [
    ...(all.library ? libraryRows(all.library) : []),
    ...(all.paced ? pacedRows(all.paced) : []),
    ...(all.encoding ? encodeRows(all.encoding) : []),
    ...(all.throughput ? throughputRows(all.throughput) : []),
    ...(all.export ? exportRows(all.export) : []),
    ...(all.ocr ? ocrRows(all.ocr) : []),
    ...(all.intake ? intakeRows(all.intake) : []),
    ...(all.pool ? poolRows(all.pool) : []),
  ];
  const lines = ['| Benchmark | Measure | Value |', '|---|---|---|'];
  let last = '';
  for (const [section, measure, value] of rows) {
    lines.push(`| ${section === last ? '' : `**${section}**`} | ${measure} | ${value.replace(/\|/g, '\\|')} |`);
    last = section;
  }
  return lines.join('\n');
}
