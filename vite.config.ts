import { svelte } from '@sveltejs/vite-plugin-svelte';
import { type Plugin, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { listingAhead } from './scripts/vite-plugin-listing-ahead.ts';
import { ocrAssets } from './scripts/vite-plugin-ocr-assets.ts';
import { pdfAssets } from './scripts/vite-plugin-pdf-assets.ts';
import { PDF_CACHE_NAME, PDF_WORKER_CHUNK_PREFIX } from './src/lib/documents/pdf-assets.ts';
import { OCR_CACHE_NAME } from './src/lib/engines/builtin-ocr/assets.ts';
import { contentSecurityPolicy, isFlagOn, parseExtraSources } from './src/lib/pwa/csp.ts';
import { MANIFEST } from './src/lib/pwa/manifest.ts';

// Someone whose Ollama is not on loopback or port 11434 builds with LENSCRIBE_CONNECT_SRC="https://ollama.lan".
const extraConnect = parseExtraSources(process.env.LENSCRIBE_CONNECT_SRC);
// Opt-in: "Add image from address" may fetch from any https site (README, Content-Security-Policy).
const allowImageAddresses = isFlagOn(process.env.LENSCRIBE_FETCH_IMAGES);

/** The policy goes into the built index.html only: Vite's dev server injects <style> tags it would block. */
function cspMeta(): Plugin {
  return {
    name: 'lenscribe-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ extraConnect, allowImageAddresses, forMeta: true }) }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    cspMeta(),
    listingAhead(),
    ocrAssets(),
    pdfAssets(),
    VitePWA({
      // We register through workbox-window ourselves (src/lib/pwa) and ask before updating, never mid-run.
      registerType: 'prompt',
      injectRegister: false,
      manifest: MANIFEST,
      includeAssets: ['favicon.svg', 'icons/*.png'],
      workbox: {
        // The whole shell, worker chunks included, so the app starts and encodes images offline.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The built-in OCR (~6 MB) is for those who use it: cached at its first use (below), not on every first visit.
        // The PDF reader (pdf.js, ~2 MB, and its data files) likewise: cached when the first PDF is read.
        globIgnores: ['ocr/**', 'pdfjs/**', `assets/${PDF_WORKER_CHUNK_PREFIX}*`],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // Ollama is another origin and has no runtime route: its answers never come from a cache.
        // The OCR files' URLs carry their versions (src/lib/engines/builtin-ocr/assets.ts), so a
        // cached copy is never stale; a few entries cover one set while old ones age out.
        runtimeCaching: [
          {
            urlPattern: ({ sameOrigin, url }) => sameOrigin && url.pathname.startsWith('/ocr/'),
            handler: 'CacheFirst',
            options: { cacheName: OCR_CACHE_NAME, expiration: { maxEntries: 8 }, cacheableResponse: { statuses: [200] } },
          },
          {
            // The worker chunk's name carries its content hash and the data files' folder pdf.js's
            // version, so cache-first never serves a stale copy.
            urlPattern: ({ sameOrigin, url }) => sameOrigin && (url.pathname.includes('/pdfjs/') || url.pathname.includes(`/assets/${PDF_WORKER_CHUNK_PREFIX}`)),
            handler: 'CacheFirst',
            options: { cacheName: PDF_CACHE_NAME, expiration: { maxEntries: 64 }, cacheableResponse: { statuses: [200] } },
          },
        ],
        disableDevLogs: true,
      },
    }),
  ],
  worker: { format: 'es' },
  // The built-in OCR imports these on first use only; naming them spares `npm run dev` a reload then.
  optimizeDeps: { include: ['tesseract.js', 'wasm-feature-detect'] },
  build: { target: 'es2022', sourcemap: true },
  preview: {
    port: 4173,
    strictPort: true,
    headers: {
      'Content-Security-Policy': contentSecurityPolicy({ extraConnect, allowImageAddresses }),
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    },
  },
});
