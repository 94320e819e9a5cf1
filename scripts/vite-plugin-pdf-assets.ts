/// <reference types="node" />
// Serves pdf.js's data files (standard fonts, CMaps, ICC profiles, WebAssembly decoders) from the
// app's own origin: copied out of node_modules into dist/ at build, served straight from
// node_modules by the dev server. Nothing is fetched from a CDN, ever.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { PDFJS_DATA_FOLDERS } from '../src/lib/documents/pdf-assets.ts';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pdfjs-dist/package.json'));
const version = (require('pdfjs-dist/package.json') as { version: string }).version;

/** The pdf.js folder below the base URL; its name changes with pdfjs-dist's version. */
export const PDFJS_FOLDER = `pdfjs/${version}/`;

/** Every data file as its path below PDFJS_FOLDER ("standard_fonts/FoxitSans.pfb"). */
function listDataFiles(): string[] {
  return PDFJS_DATA_FOLDERS.flatMap((folder) =>
    readdirSync(join(packageDir, folder))
      .filter((name) => statSync(join(packageDir, folder, name)).isFile())
      .map((name) => `${folder}/${name}`));
}

function contentType(path: string): string {
  if (path.endsWith('.wasm')) return 'application/wasm';
  if (path.endsWith('.js')) return 'text/javascript';
  return 'application/octet-stream';
}

/** Copy pdf.js's data files into dist/<PDFJS_FOLDER>, serve them in dev, and tell the page the folder. */
export function pdfAssets(): Plugin {
  let prefix = `/${PDFJS_FOLDER}`;
  const files = new Set(listDataFiles());
  return {
    name: 'lenscribe-pdf-assets',
    config: () => ({ define: { 'import.meta.env.LENSCRIBE_PDFJS_FOLDER': JSON.stringify(PDFJS_FOLDER) } }),
    configResolved(config) {
      prefix = `${config.base}${PDFJS_FOLDER}`;
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split('?')[0] ?? '';
        const file = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
        if (!file || !files.has(file)) return next();
        response.setHeader('Content-Type', contentType(file));
        response.end(readFileSync(join(packageDir, file)));
      });
    },
    generateBundle() {
      for (const file of files) this.emitFile({ type: 'asset', fileName: `${PDFJS_FOLDER}${file}`, source: readFileSync(join(packageDir, file)) });
    },
  };
}
