/// <reference types="node" />
// Builds src/listing-ahead.ts as an entry of its own and puts it in index.html as an async module
// script, so it starts reading the library's listing while the app's bundle downloads and
// compiles. (Vite bundles every module script written in index.html into one entry, which would
// make it wait for the whole app.) The dev server is given the source file instead.
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ENTRY = 'listing-ahead';
const SOURCE = 'src/listing-ahead.ts';
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export function listingAhead(): Plugin {
  let base = '/';
  return {
    name: 'lenscribe-listing-ahead',
    config: (_config, { command }) =>
      command === 'build' ? { build: { rolldownOptions: { input: { index: root('index.html'), [ENTRY]: root(SOURCE) } } } } : {},
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        let src = `${base}${SOURCE}`;
        if (bundle) {
          const chunk = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === ENTRY);
          if (!chunk) throw new Error(`lenscribe-listing-ahead: no "${ENTRY}" chunk was built`);
          src = `${base}${chunk.fileName}`;
        }
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src }, injectTo: 'head' }];
      },
    },
  };
}
