import { describe, expect, it } from 'vitest';
import type { ResultsJson } from './manifest.ts';
import { isSafeEntryName } from '../zip/entry-names.ts';
import { planExport, readPlannedImages, toZipEntries, type ExportEntry } from './plan.ts';
import { fakeImageBytes, makeImage, makeResult } from './test-fixtures.ts';

const exportedAt = new Date(Date.UTC(2024, 5, 3));
const paths = (entries: ExportEntry[]) => entries.map((e) => e.path);
const manifestOf = (entries: ExportEntry[]): ResultsJson => JSON.parse(entries.find((e) => e.kind === 'json')?.text ?? '') as ResultsJson;

describe('planExport', () => {
  it("puts the preferred version under the image name and the others (each task's preferred first) under model (and task) tags", async () => {
    const image = await makeImage('holiday/IMG_0042.jpg', fakeImageBytes(1));
    const person = makeResult(image.sha256, { model: 'gemma3:4b', author: 'person', text: 'Mine', createdAt: 1 });
    const caption = makeResult(image.sha256, { text: 'Caption', createdAt: 4 });
    const ocr = makeResult(image.sha256, { taskId: 'ocr', prompt: 'Read the text.', text: 'OCR', createdAt: 3 });
    const moon = makeResult(image.sha256, { model: 'moondream', text: 'Moon', createdAt: 2 });
    const { entries } = planExport([image], [moon, ocr, person, caption], { includeImages: true, textExtension: 'md', exportedAt });
    expect(entries.map(({ path, kind }) => [path, kind])).toEqual([
      ['results.json', 'json'],
      ['results.csv', 'csv'],
      ['IMG_0042.jpg', 'image'],
      ['IMG_0042.md', 'text'],
      ['IMG_0042.llava-7b.ocr.md', 'text'],
      ['IMG_0042.llava-7b.caption.md', 'text'],
      ['IMG_0042.moondream.md', 'text'],
    ]);
    expect(entries[2]).toEqual({ path: 'IMG_0042.jpg', kind: 'image', sha256: image.sha256, size: 2048 });
    expect(entries[3]?.text).toBe('Mine\n');
    const [item] = manifestOf(entries).items;
    expect(item?.image).toBe('IMG_0042.jpg');
    expect(item?.results.map((r) => [r.text, r.file])).toEqual([
      ['Mine', 'IMG_0042.md'],
      ['OCR', 'IMG_0042.llava-7b.ocr.md'],
      ['Caption', 'IMG_0042.llava-7b.caption.md'],
      ['Moon', 'IMG_0042.moondream.md'],
    ]);
    expect(entries[1]?.text?.split('\r\n')[1]).toBe('IMG_0042.jpg,caption,Mine,gemma3:4b,person,,yes,,');
  });

  it('writes .txt when asked and leaves images out when asked', async () => {
    const image = await makeImage('IMG_1.jpeg', fakeImageBytes(1));
    const { entries } = planExport([image], [makeResult(image.sha256)], { includeImages: false, textExtension: 'txt', exportedAt });
    expect(paths(entries)).toEqual(['results.json', 'results.csv', 'IMG_1.txt']);
    expect(manifestOf(entries).items[0]?.image).toBe('IMG_1.jpeg');
  });

  it('keeps names unique where case is ignored, with images and texts sharing a stem', async () => {
    const a = await makeImage('IMG_1.jpg', fakeImageBytes(1));
    const b = await makeImage('sub/img_1.JPG', fakeImageBytes(2));
    const { entries } = planExport([a, b], [makeResult(a.sha256), makeResult(b.sha256)], { includeImages: true, textExtension: 'md', exportedAt });
    expect(paths(entries).slice(2)).toEqual(['IMG_1.jpg', 'IMG_1.md', 'img_1 (2).JPG', 'img_1 (2).md']);
  });

  it('makes hostile names safe and never overwrites the manifest', async () => {
    const names = ['../../etc/passwd', 'C:\\evil', 'CON', 'aux.txt', 'a:b', '', 'results.json', `${'ü'.repeat(200)}.png`];
    const images = await Promise.all(names.map((name, i) => makeImage(name, fakeImageBytes(i), 'image/png')));
    const results = images.flatMap((image) => [makeResult(image.sha256), makeResult(image.sha256, { model: 'moondream', createdAt: 0 })]);
    const { entries } = planExport(images, results, { includeImages: true, textExtension: 'md', exportedAt });
    const all = paths(entries);
    expect(all.slice(0, 2)).toEqual(['results.json', 'results.csv']);
    expect(new Set(all.map((p) => p.toLowerCase())).size).toBe(all.length);
    for (const path of all) {
      expect(isSafeEntryName(path), path).toBe(true);
      expect(path, path).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
      expect(new TextEncoder().encode(path).length, path).toBeLessThanOrEqual(120);
    }
    expect(all).toContain('passwd.png');
    expect(all).toContain('CON_.png');
    expect(all).toContain('aux_.txt');
    expect(all).toContain('results (2).json');
    expect(all).toContain('image.png');
    const long = all.filter((p) => p.startsWith('ü'));
    expect(long).toHaveLength(3);
    expect(new Set(long.map((p) => p.split('.')[0])).size).toBe(1);
  });

  it('lists an image without results in results.json but writes no text for it', async () => {
    const image = await makeImage('lonely.jpg', fakeImageBytes(1));
    const { entries } = planExport([image], [], { includeImages: true, textExtension: 'md', exportedAt });
    expect(paths(entries)).toEqual(['results.json', 'results.csv', 'lonely.jpg']);
    expect(manifestOf(entries).items[0]?.results).toEqual([]);
  });
});

describe('toZipEntries and readPlannedImages', () => {
  it('give images to the zip by sha256 and size, and refuse a missing one by its name', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(1));
    const { entries } = planExport([image], [], { includeImages: true, textExtension: 'md', exportedAt });
    expect(toZipEntries(entries)[2]).toEqual({ path: 'a.jpg', blobKey: image.sha256, size: 2048 });
    expect(toZipEntries(entries)[0]).toEqual({ path: 'results.json', text: entries[0]?.text });
    const blob = new Blob([fakeImageBytes(1)]);
    const read = readPlannedImages(entries, async (shas) => shas.map((sha256) => (sha256 === image.sha256 ? blob : undefined)));
    expect(await read([image.sha256])).toEqual([blob]);
    const missing = readPlannedImages(entries, async (shas) => shas.map(() => undefined));
    await expect(missing([image.sha256])).rejects.toThrow('The image a.jpg is missing from the library. Export without images, or remove it and add it again.');
  });
});
