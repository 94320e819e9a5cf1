import { describe, expect, it } from 'vitest';
import { createSha256Hasher, sha256Hex, sha256HexOfBlob, WHOLE_FILE_HASH_BYTES } from './hash.ts';

function bytesOf(length: number, seed = 7): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 131 + seed * (i >> 8)) & 0xff;
  return bytes;
}

describe('SHA-256 of a Blob read in slices', () => {
  it('equals WebCrypto on sizes around the block and slice boundaries', async () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 999, 1000, 1001, 4096, 100_003]) {
      const bytes = bytesOf(length);
      const expected = await sha256Hex(bytes);
      expect(await sha256HexOfBlob(new Blob([bytes]), { sliceBytes: 1000, wholeFileBytes: 0 }), `${length} bytes`).toBe(expected);
    }
  });

  it('knows the standard test vector', async () => {
    const hasher = createSha256Hasher();
    hasher.update(new TextEncoder().encode('a'));
    hasher.update(new TextEncoder().encode('bc'));
    expect(hasher.digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('streams a file over the whole-file size with the same result, without reading it whole', async () => {
    const bytes = bytesOf(WHOLE_FILE_HASH_BYTES + 12_345, 3);
    const sliced: number[] = [];
    class WatchedBlob extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new Error('must not be read whole'));
      }
      override slice(start = 0, end = this.size): Blob {
        sliced.push(end - start);
        return super.slice(start, end);
      }
    }
    expect(await sha256HexOfBlob(new WatchedBlob([bytes]))).toBe(await sha256Hex(bytes));
    expect(Math.max(...sliced)).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
