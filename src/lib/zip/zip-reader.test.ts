import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflatedZeros, rawZip } from '../../../tests/fixtures/bombs.ts';
import { ZipReadError } from './errors.ts';
import { readZipDirectory, readZipEntry, readZipEntryBytes } from './zip-reader.ts';

const MB = 1024 * 1024;

/** A Blob over `bytes` that records how many bytes were read from it. */
function watchedZip(bytes: Uint8Array) {
  const record = { read: 0 };
  class WatchedBlob extends Blob {
    override slice(start = 0, end = this.size): Blob {
      record.read += Math.min(end, this.size) - start;
      return super.slice(start, end);
    }
  }
  return { zip: new WatchedBlob([new Uint8Array(bytes)]), record };
}

async function readOnlyEntry(bytes: Uint8Array, maxBytes: number) {
  const { zip, record } = watchedZip(bytes);
  const [entry] = await readZipDirectory(zip);
  // Count only what reading the entry reads (the directory's tail read may cover a small zip).
  record.read = 0;
  let received = 0;
  const attempt = readZipEntry(zip, entry!, { maxBytes, onData: (chunk) => (received += chunk.length) });
  return { attempt: attempt.then(() => received), received: () => received, record };
}

describe('readZipEntry', () => {
  it('streams a deflated entry and checks its size and CRC', async () => {
    const text = new TextEncoder().encode('A loch below steep hills. '.repeat(100_000));
    const zip = rawZip([{ name: 'a.md', data: deflateRawSync(text), method: 8, size: text.length, crc: crc32(text) }]);
    const [entry] = await readZipDirectory(new Blob([new Uint8Array(zip)]));
    const bytes = await readZipEntryBytes(new Blob([new Uint8Array(zip)]), entry!, 10 * MB);
    expect(new TextDecoder().decode(bytes)).toBe(new TextDecoder().decode(text));
  });

  it('refuses an entry that declares more than the cap, before reading its data', async () => {
    const bomb = rawZip([{ name: 'results.json', data: deflatedZeros(64 * MB), method: 8, size: 3 * 1024 * MB, crc: 0 }]);
    const { attempt, record } = await readOnlyEntry(bomb, 128 * MB);
    await expect(attempt).rejects.toThrow(ZipReadError);
    await expect(attempt).rejects.toThrow('The file results.json in this zip says it is 3 GB uncompressed; Lenscribe reads at most 128 MB for it. Nothing was imported.');
    expect(record.read).toBe(0);
  });

  it('stops inflating as soon as an entry gives more than it declares', async () => {
    // Declares 1 MB, would inflate to 2 GB; its compressed data is about 2 MB.
    const bomb = rawZip([{ name: 'photo.jpg', data: deflatedZeros(2048 * MB), method: 8, size: MB, crc: 0 }]);
    const { attempt, received, record } = await readOnlyEntry(bomb, 128 * MB);
    await expect(attempt).rejects.toThrow(/photo\.jpg in this zip holds more data than its header says/);
    expect(received()).toBeLessThanOrEqual(MB);
    // Reading stopped within the first 1 MB slice of the 2 MB or so of compressed data.
    expect(bomb.length).toBeGreaterThan(1.9 * MB);
    expect(record.read).toBeLessThanOrEqual(MB + 30);
  });

  it('refuses a stored entry whose sizes disagree, and a deflated one that gives less than it declares', async () => {
    const data = new Uint8Array(100).fill(7);
    const stored = rawZip([{ name: 'a.jpg', data, method: 0, size: 50, crc: crc32(data) }]);
    await expect((await readOnlyEntry(stored, MB)).attempt).rejects.toThrow(/a\.jpg in this zip is damaged/);
    const short = rawZip([{ name: 'b.jpg', data: deflateRawSync(data), method: 8, size: 200, crc: crc32(data) }]);
    await expect((await readOnlyEntry(short, MB)).attempt).rejects.toThrow(/b\.jpg in this zip is damaged/);
  });
});
