import { crc32 } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { jobKey } from '../library/keys.ts';
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { ImportError } from './errors.ts';
import { importLenscribeZip, MAX_IMAGE_BYTES } from './import.ts';
import { buildResultsJson } from './manifest.ts';
import { mergeImported } from './merge.ts';
import { pickPreferredVersion } from '../library/versions.ts';
import { planExport, readPlannedImages, toZipEntries } from './plan.ts';
import { fakeImageBytes, makeImage, makeResult, sha256Hex } from './test-fixtures.ts';
import { deflatedZeros, makeZipBomb, rawZip } from '../../../tests/fixtures/bombs.ts';
import { buildZip } from '../zip/zip-core.ts';
import { readZipDirectory } from '../zip/zip-reader.ts';

interface Library {
  images: ImageRecord[];
  bytes: Map<string, Uint8Array<ArrayBuffer>>;
  results: ResultRecord[];
}

async function makeLibrary(): Promise<Library> {
  const one = fakeImageBytes(1, 5000);
  const two = fakeImageBytes(2, 7000);
  // An image's own context and decorative mark travel with it.
  const a = { ...(await makeImage('holiday/IMG_0042.jpg', one)), context: 'Seen from the north ridge' };
  const b = { ...(await makeImage('scan.png', two, 'image/png')), isDecorative: true };
  const results = [
    makeResult(a.sha256, { model: 'model-a', text: 'From A', context: 'Location: Glencoe', metrics: { total_duration: 1_234_567_890, eval_count: 12, done_reason: 'stop' } }),
    makeResult(a.sha256, { model: 'model-b', text: 'From B, "quoted"\nand multi-line', createdAt: Date.UTC(2024, 5, 5) }),
    makeResult(a.sha256, { model: 'model-b', author: 'person', taskId: 'alt', prompt: 'Alt text', text: 'Mine', options: { maxSide: 1024, seed: 7 } }),
    makeResult(b.sha256, { model: 'model-a', text: '=1+1' }),
  ];
  return { images: [a, b], bytes: new Map([[a.sha256, one], [b.sha256, two]]), results };
}

async function exportLibrary(library: Library, includeImages = true): Promise<Blob> {
  const { entries } = planExport(library.images, library.results, { includeImages, textExtension: 'md' });
  const readBlobs = readPlannedImages(entries, async (shas) => shas.map((sha256) => new Blob([library.bytes.get(sha256)!])));
  return buildZip(toZipEntries(entries), { readBlobs });
}

function zipOf(files: Record<string, string | Uint8Array>): Blob {
  const input = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : data]));
  return new Blob([zipSync(input)]);
}

async function manifestFor(image: ImageRecord, imagePath = 'a.jpg'): Promise<string> {
  const json = buildResultsJson([image], [makeResult(image.sha256)], { paths: { images: new Map([[image.sha256, imagePath]]) } });
  return JSON.stringify(json);
}

const byKey = (a: ResultRecord, b: ResultRecord) => a.key.localeCompare(b.key);

describe('importLenscribeZip round trip', () => {
  it('gives back the same images, bytes and results', async () => {
    const library = await makeLibrary();
    const imported = await importLenscribeZip(await exportLibrary(library), jobKey);
    expect(imported.images.map((i) => i.record)).toEqual(library.images);
    for (const { record, blob } of imported.images) {
      expect(blob?.type).toBe(record.type);
      expect(await sha256Hex(new Uint8Array(await blob!.arrayBuffer()))).toBe(record.sha256);
    }
    expect([...imported.results].sort(byKey)).toEqual([...library.results].sort(byKey));
    expect(imported.ignoredEntries).toEqual([]);
  });

  it('gives records without blobs when images were left out', async () => {
    const library = await makeLibrary();
    const imported = await importLenscribeZip(await exportLibrary(library, false), jobKey);
    expect(imported.images.map((i) => [i.record.name, i.blob])).toEqual([
      ['holiday/IMG_0042.jpg', undefined],
      ['scan.png', undefined],
    ]);
    expect(imported.results).toHaveLength(4);
  });

  it('reads an export re-zipped inside a folder with deflated images', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(3));
    const zip = zipOf({ 'export/results.json': await manifestFor(image), 'export/a.jpg': fakeImageBytes(3), '__MACOSX/export/results.json': 'junk' });
    const imported = await importLenscribeZip(zip, jobKey);
    expect(imported.images[0]?.blob?.size).toBe(2048);
    expect(imported.results).toHaveLength(1);
  });
  it('streams images over 16 MB through the incremental hash, stored or deflated', async () => {
    const big = fakeImageBytes(5, 17 * 2 ** 20);
    const image = await makeImage('big.jpg', big);
    const manifest = await manifestFor(image, 'big.jpg');
    for (const level of [0, 1] as const) {
      const zip = new Blob([zipSync({ 'results.json': strToU8(manifest), 'big.jpg': [big, { level }] })]);
      const imported = await importLenscribeZip(zip, jobKey);
      expect(imported.images[0]?.blob?.size).toBe(big.length);
      expect(await sha256Hex(new Uint8Array(await imported.images[0]!.blob!.arrayBuffer()))).toBe(image.sha256);
    }
    const changed = big.slice();
    changed[10_000_000]! ^= 1;
    const wrong = new Blob([zipSync({ 'results.json': strToU8(manifest), 'big.jpg': [changed, { level: 0 }] })]);
    await expect(importLenscribeZip(wrong, jobKey)).rejects.toThrow(/big\.jpg does not match the SHA-256/);
  });
});

describe('importLenscribeZip refusals', () => {
  const refuse = async (zip: Blob, message: RegExp) => {
    const attempt = importLenscribeZip(zip, jobKey);
    await expect(attempt).rejects.toBeInstanceOf(ImportError);
    await expect(attempt).rejects.toThrow(message);
  };

  it('refuses a file that is not a zip', async () => {
    await refuse(new Blob(['just some text, not a zip at all']), /not a zip archive/);
    await refuse(new Blob([]), /not a zip archive/);
    await refuse(new Blob([fakeImageBytes(1)]), /not a zip archive/);
  });

  it('refuses a zip without results.json', async () => {
    await refuse(zipOf({ 'IMG_1.jpg': fakeImageBytes(1), 'IMG_1.md': 'text' }), /no results\.json/);
  });

  it('refuses a results.json of another format, a newer version, or with malformed entries', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(1));
    const good = JSON.parse(await manifestFor(image)) as Record<string, unknown> & { items: Record<string, unknown>[] };
    const item = good.items[0]!;
    const results = item['results'] as Record<string, unknown>[];
    const variant = (change: (json: typeof good) => unknown) => zipOf({ 'results.json': JSON.stringify(change(structuredClone(good))) });
    await refuse(zipOf({ 'results.json': '{not json' }), /not valid JSON/);
    await refuse(variant((j) => ({ ...j, format: 'other-app' })), /not written by Lenscribe/);
    await refuse(variant((j) => ({ ...j, version: 2 })), /newer Lenscribe.*Update/);
    await refuse(variant((j) => ({ ...j, version: '1' })), /version must be 1/);
    await refuse(variant((j) => ({ ...j, items: {} })), /items must be a list/);
    await refuse(variant((j) => ({ ...j, items: [{ ...item, sha256: 'xyz' }] })), /items\[0\]\.sha256 must be 64 lowercase hex/);
    await refuse(variant((j) => ({ ...j, items: [{ ...item, width: -1 }] })), /items\[0\]\.width must be a whole number/);
    await refuse(variant((j) => ({ ...j, items: [item, item] })), /items\[1\] repeats an image/);
    const withResult = (fields: Record<string, unknown>) => variant((j) => ({ ...j, items: [{ ...item, results: [{ ...results[0], ...fields }] }] }));
    await refuse(withResult({ author: 'robot' }), /items\[0\]\.results\[0\]\.author must be "model" or "person"/);
    await refuse(withResult({ createdAt: 'yesterday' }), /createdAt must be an ISO 8601 date/);
    await refuse(withResult({ options: { maxSide: 1536, mystery: 1 } }), /options\.mystery is not an option/);
    await refuse(withResult({ options: { temperature: 0 } }), /options\.maxSide must be a number/);
    await refuse(withResult({ model: '' }), /model must be a non-empty string/);
    await refuse(withResult({ metrics: { eval_count: 'many' } }), /metrics\.eval_count must be a whole number/);
  });

  it('refuses a damaged entry whose CRC does not match', async () => {
    const library = await makeLibrary();
    const zip = await exportLibrary(library);
    const entry = (await readZipDirectory(zip)).find((e) => e.name === 'IMG_0042.jpg')!;
    const bytes = new Uint8Array(await zip.arrayBuffer());
    const dataStart = entry.headerOffset + 30 + entry.name.length;
    bytes[dataStart + 1000]! ^= 0xff;
    await refuse(new Blob([bytes]), /IMG_0042\.jpg in this zip is damaged/);
  });

  it('refuses a damaged deflated results.json', async () => {
    const zip = await exportLibrary(await makeLibrary());
    const entry = (await readZipDirectory(zip)).find((e) => e.name === 'results.json')!;
    const bytes = new Uint8Array(await zip.arrayBuffer());
    bytes[entry.headerOffset + 30 + entry.name.length + 20]! ^= 0x55;
    await refuse(new Blob([bytes]), /results\.json in this zip is damaged/);
  });

  it('refuses an image whose SHA-256 does not match results.json', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(1));
    await refuse(zipOf({ 'results.json': await manifestFor(image), 'a.jpg': fakeImageBytes(2) }), /a\.jpg does not match the SHA-256/);
  });

  it('never reads entries whose names could escape a folder', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(1));
    const zip = zipOf({
      'results.json': await manifestFor(image, '../evil.jpg'),
      '../evil.jpg': fakeImageBytes(1),
      '/etc/passwd': 'root',
      'C:\\Windows\\evil.dll': 'x',
      'a/../../b': 'x',
    });
    const imported = await importLenscribeZip(zip, jobKey);
    expect(imported.images[0]?.blob).toBeUndefined();
    expect(imported.ignoredEntries).toEqual(['../evil.jpg', '/etc/passwd', 'C:\\Windows\\evil.dll', 'a/../../b']);
  });

  it('refuses a results.json that declares gigabytes, or inflates past what it declares', async () => {
    await refuse(new Blob([new Uint8Array(makeZipBomb({ declaredSize: 3 * 2 ** 30, inflatedSize: 64 * 2 ** 20 }))]), /results\.json in this zip says it is 3 GB uncompressed; Lenscribe reads at most 128 MB/);
    await refuse(new Blob([new Uint8Array(makeZipBomb({ declaredSize: 5000, inflatedSize: 2 ** 30 }))]), /results\.json in this zip holds more data than its header says/);
  });

  it('refuses an image that declares more than the cap, or more than a total import, before inflating any', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(1));
    const manifest = new TextEncoder().encode(await manifestFor(image));
    const manifestEntry = { name: 'results.json', data: manifest, method: 0 as const, size: manifest.length, crc: crc32(manifest) };
    const huge = rawZip([manifestEntry, { name: 'a.jpg', data: deflatedZeros(16 * 2 ** 20), method: 8, size: 2 * MAX_IMAGE_BYTES, crc: 0 }]);
    await refuse(new Blob([new Uint8Array(huge)]), /a\.jpg in this zip says it is 512 MB uncompressed; Lenscribe reads at most 256 MB/);

    // 20 images of 250 MB each: every one under the cap, 5 GB in all.
    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => makeImage(`${i}.jpg`, fakeImageBytes(i))));
    const json = buildResultsJson(images, [], { paths: { images: new Map(images.map((img) => [img.sha256, img.name])) } });
    const many = new TextEncoder().encode(JSON.stringify(json));
    const entries = images.map((img) => ({ name: img.name, data: new Uint8Array(10), method: 8 as const, size: 250 * 2 ** 20, crc: 0 }));
    const total = rawZip([{ name: 'results.json', data: many, method: 0, size: many.length, crc: crc32(many) }, ...entries]);
    await refuse(new Blob([new Uint8Array(total)]), /says it holds 4\.9 GB of images; Lenscribe imports at most 4 GB at once/);
  });
});

describe('versions through an export and an import', () => {
  it('keeps every version with who wrote it, and the preferred one, and adds nothing twice', async () => {
    const one = fakeImageBytes(3, 4000);
    const image = await makeImage('photo.jpg', one);
    const base = makeResult(image.sha256, { model: 'gemma3:4b', taskId: 'alt-text', text: 'A dog', createdAt: 1 });
    const first = { ...base, key: `${base.jobKey}/a`, engine: 'Ollama at localhost:11434', modelDigest: 'sha256:abc' };
    const edited = { ...base, key: `${base.jobKey}/b`, author: 'person' as const, text: 'A brown dog on grass', editedFrom: first.key, preferredAt: 2, createdAt: 2 };
    const rerun = { ...base, key: `${base.jobKey}/c`, text: 'A dog on a lawn', createdAt: 3, engine: 'Ollama at localhost:11434' };
    const other = { ...makeResult(image.sha256, { model: 'qwen2.5vl:3b', taskId: 'alt-text', text: 'Dog.', createdAt: 4 }), verifiedAt: 5 };
    const library = { images: [image], bytes: new Map([[image.sha256, one]]), results: [first, edited, rerun, other] };
    const zip = await exportLibrary(library);

    const imported = await importLenscribeZip(zip, jobKey);
    const byKey = new Map(imported.results.map((r) => [r.key, r]));
    expect(imported.results).toHaveLength(4);
    expect(byKey.get(first.key)).toMatchObject({ author: 'model', engine: 'Ollama at localhost:11434', modelDigest: 'sha256:abc', jobKey: base.jobKey });
    expect(byKey.get(edited.key)).toMatchObject({ author: 'person', editedFrom: first.key, preferredAt: 2, text: 'A brown dog on grass' });
    expect(byKey.get(other.key)).toMatchObject({ verifiedAt: 5, model: 'qwen2.5vl:3b' });

    // Into a fresh library: all of it; into the same library again: nothing new.
    const fresh = mergeImported([], imported.results);
    expect(fresh.toWrite).toHaveLength(4);
    expect(pickPreferredVersion(fresh.toWrite)?.key).toBe(edited.key);
    expect(mergeImported(fresh.toWrite, imported.results).toWrite).toEqual([]);
  });

  it('says per task which text is preferred, who wrote it and whether it was verified', async () => {
    const image = await makeImage('photo.jpg', fakeImageBytes(4, 100));
    const model = { ...makeResult(image.sha256, { createdAt: 1 }), key: 'k/1' };
    const mine = { ...model, key: 'k/2', author: 'person' as const, text: 'Mine', editedFrom: 'k/1', createdAt: 2, preferredAt: 2 };
    const [item] = buildResultsJson([image], [model, mine]).items;
    expect(item?.tasks).toEqual([{ task: 'caption', text: 'Mine', author: 'person', model: 'llava:7b', verified: false, preferred: 'k/2', versions: ['k/2', 'k/1'] }]);
    expect(item?.results.map((r) => [r.key, r.author, r.preferred, r.editedFrom])).toEqual([['k/2', 'person', true, 'k/1'], ['k/1', 'model', undefined, undefined]]);
  });

  it('still imports an export from before versions, keying each text by its ask', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(5, 100));
    const json = buildResultsJson([image], [makeResult(image.sha256)], { paths: { images: new Map([[image.sha256, 'a.jpg']]) } });
    // What an older Lenscribe wrote: no keys, no tasks, no provenance.
    const old = { ...json, items: json.items.map(({ tasks: _tasks, results, ...item }) => ({ ...item, results: results.map(({ key: _key, preferred: _p, ...r }) => r) })) };
    const zip = zipOf({ 'results.json': JSON.stringify(old), 'a.jpg': fakeImageBytes(5, 100) });
    const [result] = (await importLenscribeZip(zip, jobKey)).results;
    const ask = jobKey(image.sha256, 'llava:7b', 'Describe this image.', { temperature: 0, maxSide: 1536 });
    expect(result).toMatchObject({ key: ask, jobKey: ask, text: 'A cat on a mat.' });
  });

  it('files a version whose key names another ask under a key of its own ask', async () => {
    const image = await makeImage('a.jpg', fakeImageBytes(6, 100));
    const json = buildResultsJson([image], [{ ...makeResult(image.sha256), key: 'some-other-image:model:hash/1' }], { paths: { images: new Map([[image.sha256, 'a.jpg']]) } });
    const zip = zipOf({ 'results.json': JSON.stringify(json), 'a.jpg': fakeImageBytes(6, 100) });
    const [result] = (await importLenscribeZip(zip, jobKey)).results;
    expect(result?.key.startsWith(`${result.jobKey}/i`)).toBe(true);
  });
});
