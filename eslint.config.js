// Lint, and the one-way house: components → state → lib. A cross-layer import fails `npm test`, so
// the folder map in the README holds without anyone checking imports by hand.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The lib modules components may import values from: pure presentation helpers with no I/O.
 * Everything else in lib reaches components through state (types may still be imported).
 */
export const COMPONENT_LIB_ALLOWLIST = [
  'lib/markdown/render.ts', // renderMarkdown, the one path from model output to HTML
  'lib/storage/space.ts', // formatBytes, describeSpace
  'lib/ollama/metrics.ts', // describeMetrics
  'lib/ollama/models.ts', // formatModelSize, SUGGESTED_VISION_MODELS
  'lib/library/results.ts', // isTruncatedReply
  'lib/tasks/alt-text.ts', // checkAltTextResult
  'lib/tasks/fields.ts', // formatFieldValue
  'lib/confidence/present.ts', // describeConfidence, splitAtSpans, compareWithFirst
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const allowed = COMPONENT_LIB_ALLOWLIST.map((path) => escape(path.slice('lib/'.length)) + '$').join('|');

const SVELTE_FILES = { regex: '\\.svelte$', message: 'Svelte components belong to the components layer.' };

export default defineConfig(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // A leading underscore marks a binding kept only to leave it out of a rest object.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    // State keeps collections in $state.raw and replaces them whole; a new Set or Map built on the
    // way is a temporary, never mutated once published, so SvelteSet/SvelteMap would only cost.
    files: ['src/state/**'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    files: ['src/**/*.worker.ts'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // Tests, the fake Ollama, benchmarks, scripts and build config run in Node.
    files: ['tests/**', 'scripts/**', 'src/**/*.test.ts', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/lib/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'svelte', message: 'lib/ is plain TypeScript: no Svelte.' }],
        patterns: [
          { group: ['svelte/*'], message: 'lib/ is plain TypeScript: no Svelte.' },
          { regex: '(^|/)(state|components)/', message: 'lib/ imports neither state nor components: they import lib.' },
          SVELTE_FILES,
        ],
      }],
    },
  },
  {
    files: ['src/state/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '(^|/)components/', message: 'state/ never imports components: components import state.' },
          SVELTE_FILES,
        ],
      }],
    },
  },
  {
    files: ['src/components/**', 'src/App.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          regex: `(^|/)lib/(?!(${allowed}))`,
          allowTypeImports: true,
          message: `Components reach lib through state (intent methods, derived values); only types and ${COMPONENT_LIB_ALLOWLIST.join(', ')} may be imported.`,
        }],
      }],
    },
  },
);
