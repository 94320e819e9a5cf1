// The web app manifest: what the browser needs to offer "Install Lenscribe" (icons made by scripts/make-icons.ts).
import type { ManifestOptions } from 'vite-plugin-pwa';

/** Lenscribe's manifest; colours match the favicon and the light theme's background. */
export const MANIFEST: Partial<ManifestOptions> = {
  name: 'Lenscribe',
  short_name: 'Lenscribe',
  description: 'Turn images into text with a local Ollama vision model. Nothing leaves your machine.',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  theme_color: '#1f4e79',
  background_color: '#f7f7f5',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};
