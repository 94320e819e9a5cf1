// The layer rules in eslint.config.js, proven on code written for the test, so a config change
// that silently stops enforcing them fails here.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The layer-rule messages ESLint reports for `code` as if it were the file at `filePath`. */
async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.fatal)
    .map((m) => m.message);
}

const component = (script: string) => `<script lang="ts">\n${script}\n</script>\n\n<p>{String(used)}</p>\n`;

describe('layer boundaries', () => {
  it('fails a component that imports the Ollama client', async () => {
    const code = component(`  import { OllamaClient } from '../lib/ollama/client.ts';\n  const used = OllamaClient;`);
    expect(await boundaryErrors(code, 'src/components/Leak.svelte')).toEqual([expect.stringContaining('../lib/ollama/client.ts')]);
  });

  it('fails App.svelte importing storage', async () => {
    const code = component(`  import { LibraryStore } from './lib/library/store.ts';\n  const used = LibraryStore;`);
    expect(await boundaryErrors(code, 'src/App.svelte')).toHaveLength(1);
  });

  it('lets a component import types from lib, state, components and the allowlisted helpers', async () => {
    const code = component(
      [
        `  import type { ImageRecord } from '../lib/library/types.ts';`,
        `  import { type OllamaApi } from '../lib/ollama/client.ts';`,
        `  import { renderMarkdown } from '../lib/markdown/render.ts';`,
        `  import { formatBytes } from '../lib/storage/space.ts';`,
        `  import { useApp } from '../state/context.ts';`,
        `  import Thumbnail from './Thumbnail.svelte';`,
        `  let image: ImageRecord | undefined;`,
        `  let api: OllamaApi | undefined;`,
        `  const used = [image, api, renderMarkdown, formatBytes, useApp, Thumbnail];`,
      ].join('\n'),
    );
    expect(await boundaryErrors(code, 'src/components/Fine.svelte')).toEqual([]);
  });

  it('fails lib importing Svelte or state', async () => {
    expect(await boundaryErrors(`import { getContext } from 'svelte';\nexport const used = getContext;\n`, 'src/lib/x/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors(`import { writable } from 'svelte/store';\nexport const used = writable;\n`, 'src/lib/x/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors(`import { AppState } from '../../state/app.ts';\nexport const used = AppState;\n`, 'src/lib/x/leak.ts')).toHaveLength(1);
    // Not even a type: lib stays usable without the layers above it.
    expect(await boundaryErrors(`import type { AppState } from '../../state/app.ts';\nexport type Used = AppState;\n`, 'src/lib/x/leak.ts')).toHaveLength(1);
  });

  it('fails state importing a component', async () => {
    const code = `import Thumbnail from '../components/Thumbnail.svelte';\nexport const used = Thumbnail;\n`;
    expect(await boundaryErrors(code, 'src/state/leak.svelte.ts')).toContainEqual(expect.stringContaining('state/ never imports components'));
  });

  it('lets state import lib and svelte', async () => {
    const code = `import { getContext } from 'svelte';\nimport { LibraryStore } from '../lib/library/store.ts';\nexport const used = [getContext, LibraryStore];\n`;
    expect(await boundaryErrors(code, 'src/state/fine.ts')).toEqual([]);
  });
});
