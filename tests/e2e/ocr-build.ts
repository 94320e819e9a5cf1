/// <reference types="node" />
// A production build with the built-in OCR engine as an extra entry, for tests and the benchmark
// to import in the page (the app itself does not load the engine yet).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/** The engine module, as the page imports it from the dev server. */
export const ENGINE_SOURCE = 'src/lib/engines/builtin-ocr/index.ts';

/** Build the app into outDir with the engine as its own entry; returns the engine's URL path. */
export async function buildWithOcrEntry(outDir: string): Promise<string> {
  // vitest sets NODE_ENV=test, which would build without the service worker's registration.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      logLevel: 'silent',
      mode: 'production',
      // The engine's exports must survive as an entry's exports, which app builds drop by default.
      build: { outDir, emptyOutDir: true, manifest: true, rollupOptions: { preserveEntrySignatures: 'strict', input: { index: 'index.html', ocr: ENGINE_SOURCE } } },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string }>;
  return `/${manifest[ENGINE_SOURCE]!.file}`;
}
