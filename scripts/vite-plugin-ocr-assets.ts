/// <reference types="node" />
// Serves the built-in OCR's files (tesseract.js's worker, its WebAssembly cores, English data) from
// the app's own origin: copied out of node_modules into dist/ at build, served straight from
// node_modules by the dev server. Nothing is fetched from a CDN, ever.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { OCR_FILES, OCR_LANGUAGE_FILE, OCR_WORKER_FILE, ocrContentType } from '../src/lib/engines/builtin-ocr/assets.ts';

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The OCR folder below the base URL; its name changes with any of the three packages' versions. */
export const OCR_FOLDER = `ocr/tesseract-${versionOf('tesseract.js')}-core-${versionOf('tesseract.js-core')}-eng-${versionOf('@tesseract.js-data/eng')}/`;

/** The file on disk behind each name in the OCR folder. */
export function ocrSourcePath(fileName: string): string {
  if (fileName === OCR_WORKER_FILE) return join(packageDir('tesseract.js'), 'dist', fileName);
  if (fileName === OCR_LANGUAGE_FILE) return join(packageDir('@tesseract.js-data/eng'), '4.0.0_best_int', fileName);
  return join(packageDir('tesseract.js-core'), fileName);
}

/** Copy the OCR files into dist/<OCR_FOLDER>, serve them in dev, and tell the page the folder. */
export function ocrAssets(): Plugin {
  let prefix = `/${OCR_FOLDER}`;
  return {
    name: 'lenscribe-ocr-assets',
    config: () => ({ define: { 'import.meta.env.LENSCRIBE_OCR_FOLDER': JSON.stringify(OCR_FOLDER) } }),
    configResolved(config) {
      prefix = `${config.base}${OCR_FOLDER}`;
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split('?')[0] ?? '';
        const fileName = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
        if (!fileName || !OCR_FILES.includes(fileName)) return next();
        response.setHeader('Content-Type', ocrContentType(fileName));
        response.end(readFileSync(ocrSourcePath(fileName)));
      });
    },
    generateBundle() {
      for (const fileName of OCR_FILES) {
        this.emitFile({ type: 'asset', fileName: `${OCR_FOLDER}${fileName}`, source: readFileSync(ocrSourcePath(fileName)) });
      }
    },
  };
}
