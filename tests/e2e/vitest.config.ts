import { defineConfig } from 'vitest/config';

// End-to-end journeys: real Chromium, the built app, the fake Ollama. One file at a time: they
// share the machine's two cores and each launches a browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
