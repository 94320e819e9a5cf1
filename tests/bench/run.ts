/// <reference types="node" />
// `npm run bench`: builds the app, then measures it in real Chromium against the fake Ollama and
// prints one table of figures. Nothing here passes or fails on timing; it only reports.
// Run some sections only with `npm run bench -- library export` (library, encoding, batch, paced, export, ocr, intake, pool).
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync } from 'node:fs';
import { launchBrowser } from '../e2e/harness.ts';
import { startFakeOllama } from '../fake-ollama/server.ts';
import { benchEncoding, benchThroughput } from './encoding.ts';
import { type BenchEnv, startAppSnapshot } from './env.ts';
import { benchExport } from './export.ts';
import { benchIntake } from './intake.ts';
import { benchLibrary } from './library.ts';
import { benchOcr } from './ocr.ts';
import { benchPaced } from './paced.ts';
import { benchPool } from './pool.ts';
import { type AllFigures, formatTable } from './report.ts';

const SECTIONS = ['library', 'encoding', 'batch', 'paced', 'export', 'ocr', 'intake', 'pool'] as const;
type Section = (typeof SECTIONS)[number];

const wanted = process.argv.slice(2).filter((a): a is Section => (SECTIONS as readonly string[]).includes(a));
const sections: readonly Section[] = wanted.length ? wanted : SECTIONS;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const started = Date.now();
  if (!existsSync('dist/index.html')) throw new Error('Build the app first: npm run build (npm run bench does)');
  // The model answers at once, in one chunk: every millisecond measured is the app's own.
  const [browser, app, ollama] = await Promise.all([
    launchBrowser(),
    startAppSnapshot(),
    startFakeOllama({ chunkDelayMs: 0, firstChunkDelayMs: 0, splitDelayMs: 0, splitLines: false, reply: ['# Page\n\nThe text of the page.'] }),
  ]);
  const env: BenchEnv = { browser, app, ollama };
  const figures: AllFigures = {};
  const problems: string[] = [];
  console.log('Lenscribe benchmark');
  console.log(`  machine : ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`);
  console.log(`  browser : Chromium ${browser.version()}, headless, --disable-gpu (software raster), 1280×720`);
  console.log(`  load avg: ${load()} at start (above ${cpus().length} means other work is competing for the cores)`);
  try {
    const run = async (section: Section, task: () => Promise<void>) => {
      if (!sections.includes(section)) return;
      const t = Date.now();
      process.stdout.write(`  ${section.padEnd(8)}: running… `);
      try {
        await task();
        console.log(`${((Date.now() - t) / 1000).toFixed(1)} s (load avg ${load()})`);
      } catch (error) {
        console.log('FAILED');
        problems.push(`${section}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    await run('library', async () => void (figures.library = await benchLibrary(env)));
    await run('encoding', async () => void (figures.encoding = await benchEncoding(env)));
    await run('batch', async () => void (figures.throughput = await benchThroughput(env)));
    await run('paced', async () => void (figures.paced = await benchPaced(env)));
    await run('export', async () => void (figures.export = await benchExport(env)));
    await run('ocr', async () => void (figures.ocr = await benchOcr(env)));
    await run('intake', async () => void (figures.intake = await benchIntake(env)));
    await run('pool', async () => void (figures.pool = await benchPool(env)));
  } finally {
    await Promise.allSettled([browser.close(), app.close(), ollama.close()]);
  }
  console.log('');
  console.log(formatTable(figures));
  console.log('');
  console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s; load avg ${load()} at the end.`);
  for (const problem of problems) console.error(`\n${problem}`);
  if (problems.length) process.exitCode = 1;
}

await main();
