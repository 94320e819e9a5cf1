import { describe, expect, it } from 'vitest';
import type { IntakeFile } from './intake.svelte.ts';
import { ImageAddressState, POLICY_REFUSED } from './image-address.svelte.ts';

function setup(isAllowed = true) {
  const added: IntakeFile[] = [];
  const fetched: string[] = [];
  const state = new ImageAddressState({
    intake: { add: async (files) => void added.push(...files) },
    isAllowed: () => isAllowed,
    fetchImage: async (url) => {
      fetched.push(url.href);
      return new File([new Uint8Array([0xff, 0xd8, 0xff])], 'cat.jpg', { type: 'image/jpeg' });
    },
  });
  return { state, added, fetched };
}

describe('ImageAddressState', () => {
  it('adds the fetched image with its address as its source', async () => {
    const { state, added, fetched } = setup();
    expect(await state.add('http://127.0.0.1:9000/cat.jpg')).toBe(true);
    expect(fetched).toEqual(['http://127.0.0.1:9000/cat.jpg']);
    expect(added.map((f) => [f.name, f.source])).toEqual([['cat.jpg', { url: 'http://127.0.0.1:9000/cat.jpg' }]]);
    expect(state.message).toBe('Added cat.jpg from 127.0.0.1:9000.');
  });

  it('does not fetch an address the page policy blocks, and says so', async () => {
    const { state, fetched } = setup(false);
    expect(await state.add('https://example.com/cat.jpg')).toBe(false);
    expect(fetched).toEqual([]);
    expect([state.isError, state.message]).toEqual([true, POLICY_REFUSED]);
  });
});
