/// <reference types="node" />
// A batch against a model that takes a fixed time per image, timed two ways: the app reading the
// images, and a script sending the very requests the app sent, back to back. Their ratio is the
// app's own overhead on top of the model (goal ≤ 1.03).
import { startFakeOllama } from '../fake-ollama/server.ts';
import { type BenchEnv, openConnected } from './env.ts';
import { type ImageSpec, dropImages, makeImages } from './images.ts';
import { countStoredResults } from './stored.ts';
import { readLongTasks, resetProbes, summariseLongTasks, waitFor } from './probes.ts';

export interface PacedFigures {
  images: number;
  paceMs: number;
  /** Drop → every result stored. */
  appTotalMs: number;
  /** First chat request received → last reply finished, as the fake saw them. */
  appModelSpanMs: number;
  /** The same request bodies sent one after another by a script, reading each reply to its end. */
  scriptMs: number;
  longTasks: { count: number; max: number; total: number };
}

const isImageChat = (r: { path: string; body: unknown }) =>
  r.path === '/api/chat' && ((r.body as { messages?: { images?: unknown[] }[] })?.messages?.[0]?.images?.length ?? 0) > 0;


export async function benchPaced(env: BenchEnv, images = 200, paceMs = 150): Promise<PacedFigures> {
  // Its own fake: each reply comes paceMs after the request, in one chunk, as a small model would.
  const ollama = await startFakeOllama({ firstChunkDelayMs: paceMs, chunkDelayMs: 0, splitDelayMs: 0, splitLines: false, reply: ['A short caption of the photo.'] });
  const bench = await openConnected({ ...env, ollama });
  const { page } = bench;
  try {
    const specs: ImageSpec[] = Array.from({ length: images }, (_, i) => ({
      name: `paced-${String(i + 1).padStart(3, '0')}.jpg`, width: 1024, height: 768, kind: 'photo', type: 'image/jpeg', seed: 500 + i,
    }));
    await makeImages(page, specs);
    await resetProbes(page);
    const dropped = await dropImages(page);
    const done = await waitFor('the paced batch', async () => ((await countStoredResults(page)) >= images ? Date.now() : undefined), 600_000, 100);
    const requests = ollama.requests.filter(isImageChat);
    const first = requests[0]?.time ?? dropped;
    const appModelSpanMs = done - first;
    const longTasks = summariseLongTasks(await readLongTasks(page));

    // The script: the same bodies, one after another, each reply read to its end.
    const bodies = requests.map((r) => JSON.stringify(r.body));
    const started = Date.now();
    for (const body of bodies) {
      const response = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body });
      await response.text();
    }
    const scriptMs = Date.now() - started;
    return { images, paceMs, appTotalMs: done - dropped, appModelSpanMs, scriptMs, longTasks };
  } finally {
    await bench.context.close();
    await ollama.close();
  }
}
