import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit tests: plain TypeScript in lib/ and state/, run in Node next to the code they test. The
// Svelte plugin compiles state/*.svelte.ts for the browser, so $state and $derived react in tests.
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ['browser'] },
  test: {
    include: ['src/**/*.test.ts', 'tests/*.test.ts', 'tests/fake-ollama/*.test.ts', 'tests/fake-openai/*.test.ts'],
    environment: 'node',
    // A few tests do real work (ESLint's first run, hashing 17 MB): give them room on a busy machine.
    testTimeout: 30_000,
    // expect.poll waits for state that fakes reach through real timers and IndexedDB (another
    // tab's message, a queued job); the default 1 s is too short on a loaded 2-core machine.
    expect: { poll: { timeout: 10_000 } },
  },
});
