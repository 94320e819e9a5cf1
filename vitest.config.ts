import { defineConfig } from 'vitest/config';

// Unit tests: plain TypeScript in lib/ and state/, run in Node next to the code they test.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/*.test.ts', 'tests/fake-ollama/*.test.ts'],
    environment: 'node',
  },
});
