import { strFromU8, unzipSync } from 'fflate';
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
});
