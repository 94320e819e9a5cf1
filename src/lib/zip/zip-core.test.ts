import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipTooLargeError } from './errors.ts';
import { fakeImageBytes, sha256Hex } from '../share/test-fixtures.ts';
import { MAX_ZIP_ENTRIES, buildZip, checkZipLimits, type ZipEntryInput, type ZipProgress } from './zip-core.ts';
import { readZipDirectory } from './zip-reader.ts';

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('buildZip', () => {
  it('round-trips through fflate: texts match, images match byte for byte', async () => {
    const photo = fakeImageBytes(1, 300_000);
    const entries: ZipEntryInput[] = [
      { path: 'results.json', text: '{"format":"lenscribe-results"}\n' },
      { path: 'IMG_0042.jpg', blob: new Blob([photo]) },
      { path: 'IMG_0042.md', text: 'Ünïcödé text, 🍰\n'.repeat(100) },
    ];
    const progress: ZipProgress[] = [];
    const zip = await buildZip(entries, { onProgress: (p) => progress.push(p), modifiedAt: Date.UTC(2024, 5, 3) });
    expect(zip.type).toBe('application/zip');
    const files = unzipSync(await bytesOf(zip));
    expect(Object.keys(files)).toEqual(['results.json', 'IMG_0042.jpg', 'IMG_0042.md']);
    expect(strFromU8(files['results.json']!)).toBe('{"format":"lenscribe-results"}\n');
    expect(await sha256Hex(files['IMG_0042.jpg'] as Uint8Array<ArrayBuffer>)).toBe(await sha256Hex(photo));
    expect(strFromU8(files['IMG_0042.md']!)).toBe('Ünïcödé text, 🍰\n'.repeat(100));
    expect(progress.map(({ done, total }) => [done, total])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(progress.at(-1)?.bytes).toBeGreaterThan(300_000);
    expect(progress.at(-1)?.bytes).toBeLessThanOrEqual(progress.at(-1)?.totalBytes ?? 0);
  });

  it('stores images (method 0) and deflates texts (method 8), in both headers', async () => {
    const zip = await buildZip([
      { path: 'a.jpg', blob: new Blob([fakeImageBytes(1)]) },
      { path: 'a.md', text: 'text '.repeat(500) },
    ]);
    const raw = new DataView(await zip.arrayBuffer());
    const directory = await readZipDirectory(zip);
    const methods = directory.map((entry) => [entry.name, entry.method, raw.getUint16(entry.headerOffset + 8, true)]);
    expect(methods).toEqual([
      ['a.jpg', 0, 0],
      ['a.md', 8, 8],
    ]);
    expect(directory[0]?.compressedSize).toBe(2048);
    expect(directory[1]?.compressedSize).toBeLessThan(2500);
  });

  it('refuses more entries than a zip can list, before reading anything', async () => {
    const entries = Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => ({ path: `${i}.md`, text: '' }));
    expect(() => checkZipLimits(entries)).toThrow(ZipTooLargeError);
    await expect(buildZip(entries)).rejects.toThrow(/at most 65,535.*export without images/);
  });

  it('refuses archives over 4 GiB with advice', async () => {
    const huge = { size: 3 * 2 ** 30, arrayBuffer: () => Promise.reject(new Error('must not be read')) } as unknown as Blob;
    const entries = [
      { path: 'a.jpg', blob: huge },
      { path: 'b.jpg', blob: huge },
    ];
    await expect(buildZip(entries)).rejects.toThrow(ZipTooLargeError);
    await expect(buildZip(entries)).rejects.toThrow(/about 6\.0 GiB.*smaller selection/);
  });

  it('refuses unsafe entry names', async () => {
    await expect(buildZip([{ path: '../evil.md', text: 'x' }])).rejects.toThrow(/Unsafe name/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const entries = [
      { path: 'a.md', text: 'a' },
      { path: 'b.md', text: 'b' },
    ];
    const run = buildZip(entries, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('writes images as fflate streams them, byte for byte, whether given as Blobs or by key', async () => {
    const modifiedAt = Date.UTC(2024, 5, 3, 10, 20, 30);
    const photo = fakeImageBytes(3, 300_000);
    // Over the read-ahead's 8 MB, so it is checksummed in slices.
    const large = fakeImageBytes(4, 9 * 1024 * 1024 + 5);
    const stored = new Map([['sha-large', new Blob([large])]]);
    const lookups: string[][] = [];
    const entries: ZipEntryInput[] = [
      { path: 'IMG_0042.jpg', blob: new Blob([photo]) },
      { path: 'Ünïcödé 🍰.png', blob: new Blob([]) },
      { path: 'large.png', blobKey: 'sha-large', size: large.length },
    ];
    const zip = await buildZip(entries, { modifiedAt, readBlobs: async (keys) => (lookups.push(keys), keys.map((key) => stored.get(key))) });
    const expected = await zipByStreaming([['IMG_0042.jpg', photo], ['Ünïcödé 🍰.png', new Uint8Array(0)], ['large.png', large]], modifiedAt, 'stored');
    expect(await sha256Hex(await bytesOf(zip))).toBe(await sha256Hex(expected));
    expect(lookups).toEqual([['sha-large']]);
  });

  it("writes texts with the same names, flags, method, CRC and content as fflate's ZipDeflate", async () => {
    const modifiedAt = Date.UTC(2024, 5, 3, 10, 20, 30);
    const texts: [string, string][] = [
      ['results.json', JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => ({ i, text: `Text ${i}` })) }, null, 2)],
      ['Ünïcödé 🍰.md', 'Ünïcödé text, 🍰\n'.repeat(100)],
      ['empty.md', ''],
    ];
    const zip = await buildZip(texts.map(([path, text]) => ({ path, text })), { modifiedAt });
    const expected = new Blob([await zipByStreaming(texts.map(([path, text]) => [path, strToU8(text)]), modifiedAt, 'deflated')]);
    const describe = async (archive: Blob) => {
      const raw = new DataView(await archive.arrayBuffer());
      // Everything but the compressed sizes and where each entry starts.
      return (await readZipDirectory(archive)).map(({ compressedSize: _size, headerOffset, ...entry }) => ({ ...entry, localHeader: new Uint8Array(raw.buffer, headerOffset, 14).join() }));
    };
    expect(await describe(zip)).toEqual(await describe(expected));
    const files = unzipSync(await bytesOf(zip));
    expect(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)])).toEqual(texts);
  });

  it('looks keyed images up in batches, in order, and fails with the lookup', async () => {
    const blobs = new Map(Array.from({ length: 600 }, (_, i) => [`k${i}`, new Blob([fakeImageBytes(i, 100)])]));
    const entries = [...blobs.keys()].map((key) => ({ path: `${key}.jpg`, blobKey: key, size: 100 }));
    const batches: number[] = [];
    const zip = await buildZip(entries, { readBlobs: async (keys) => (batches.push(keys.length), keys.map((key) => blobs.get(key))) });
    expect(batches).toEqual([16, 32, 64, 128, 256, 104]);
    const files = unzipSync(await bytesOf(zip));
    // 600 images span several of the archive's 64-file Blobs: every one in place, in order.
    expect(Object.keys(files)).toEqual([...blobs.keys()].map((key) => `${key}.jpg`));
    expect(Object.entries(files).every(([name, bytes], i) => name === `k${i}.jpg` && bytes.join() === fakeImageBytes(i, 100).join())).toBe(true);
    const missing = buildZip(entries, { readBlobs: async (keys) => keys.map((key) => (key === 'k300' ? undefined : blobs.get(key))) });
    await expect(missing).rejects.toThrow('Nothing stored under k300.');
    const refused = buildZip(entries, { readBlobs: async () => Promise.reject(new Error('The disk was unplugged')) });
    await expect(refused).rejects.toThrow('The disk was unplugged');
  });
});

/** The archive as zip-core built it before images were kept by reference: every file streamed through fflate. */
async function zipByStreaming(files: [string, Uint8Array][], modifiedAt: number, kind: 'stored' | 'deflated'): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [path, bytes] of files) {
    const file = kind === 'stored' ? new ZipPassThrough(path) : new ZipDeflate(path, { level: 6 });
    file.mtime = new Date(modifiedAt);
    zip.add(file);
    file.push(bytes, true);
  }
  zip.end();
  return bytesOf(new Blob(chunks as Uint8Array<ArrayBuffer>[]));
}
