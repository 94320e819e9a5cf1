import { launchBrowser } from '../e2e/harness.ts';
import { startFakeOllama } from '../fake-ollama/server.ts';
import { startAppSnapshot, openConnected, countText, sleep } from './env.ts';
import { seedLibrary } from './seed.ts';
import { readMarks, waitFor } from './probes.ts';
const [browser, app, ollama] = await Promise.all([launchBrowser(), startAppSnapshot(), startFakeOllama({ chunkDelayMs: 0, firstChunkDelayMs: 0 })]);
const bench = await openConnected({ browser, app, ollama });
const { page } = bench;
const empty: number[] = [];
for (let i = 0; i < 3; i++) {
  await page.reload({ waitUntil: 'commit' });
  empty.push(await waitFor('empty', async () => (await readMarks(page)).counts.find((c) => c.text === countText(0))?.at, 30_000));
  await sleep(300);
}
console.log('empty', empty.map(Math.round));
await seedLibrary(page, { count: 10_000, imageBytes: 2048, thumbnailSide: 96, textChars: 600 });
for (let i = 0; i < 5; i++) {
  await page.reload({ waitUntil: 'commit' });
  const at = await waitFor('full', async () => (await readMarks(page)).counts.find((c) => c.text === countText(10_000))?.at, 60_000);
  await sleep(1500);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name}@${Math.round(m.startTime)}`).join(' '));
  console.log('full', Math.round(at), marks);
}
await Promise.allSettled([browser.close(), app.close(), ollama.close()]);
