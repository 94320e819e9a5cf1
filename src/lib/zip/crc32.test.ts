import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { computeCrc32, updateCrc32 } from './crc32.ts';

function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('computeCrc32', () => {
  it('agrees with zlib for every length and alignment around the 16-byte blocks', () => {
    const bytes = randomBytes(300, 7);
    for (let start = 0; start < 5; start++) {
      for (let end = start; end <= 70; end++) {
        const piece = bytes.subarray(start, end);
        expect(computeCrc32(piece)).toBe(crc32(piece));
      }
    }
  });

  it('agrees with zlib on a large buffer fed whole or in uneven pieces', () => {
    const bytes = randomBytes(300_001, 42);
    expect(computeCrc32(bytes)).toBe(crc32(bytes));
    let crc = 0;
    for (const [from, to] of [[0, 1], [1, 4099], [4099, 200_003], [200_003, 300_001]] as const) crc = updateCrc32(crc, bytes.subarray(from, to));
    expect(crc).toBe(crc32(bytes));
  });

  it('gives the check value of the CRC-32 catalogue', () => {
    expect(computeCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(computeCrc32(new Uint8Array(0))).toBe(0);
  });
});
