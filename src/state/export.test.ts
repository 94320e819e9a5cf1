import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageEncoder } from '../lib/image/encoder.ts';
import { jobKey } from '../lib/library/keys.ts';
import { LibraryStore } from '../lib/library/store.ts';
import { pickPreferredVersion } from '../lib/library/versions.ts';
import type { ResultRecord } from '../lib/library/types.ts';
import { importLenscribeZip } from '../lib/share/import.ts';
import { planExport, readPlannedImages, toZipEntries } from '../lib/share/plan.ts';
import { fakeImageBytes, makeImage, makeResult } from '../lib/share/test-fixtures.ts';
import { buildZip } from '../lib/zip/zip-core.ts';
import { ExportState } from './export.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

/** The real store over fake-indexeddb, with a disk that fails when results are written. */
class FailingResultsStore extends LibraryStore {
  override saveResults(): Promise<ResultRecord[]> {
    return Promise.reject(new Error('The disk was unplugged'));
  }
}

const encoder: ImageEncoder = {
  identify: () => Promise.reject(new Error('an import never identifies')),
  makeViews: async () => ({ width: 640, height: 480, thumbnail: new Blob(['thumb']) }),
  encode: () => Promise.reject(new Error('an import never encodes')),
};

async function makeExportZip(): Promise<File> {
  const one = fakeImageBytes(1, 5000);
  const two = fakeImageBytes(2, 7000);
  const images = [await makeImage('a.jpg', one), await makeImage('b.jpg', two)];
  const results = images.map((image) => makeResult(image.sha256, { text: `Text of ${image.name}` }));
  const bytes = new Map([[images[0]!.sha256, one], [images[1]!.sha256, two]]);
  const { entries } = planExport(images, results, { includeImages: true, textExtension: 'md' });
  const readBlobs = readPlannedImages(entries, async (shas) => shas.map((sha) => new Blob([bytes.get(sha)!])));
  const zip = await buildZip(toZipEntries(entries), { readBlobs });
  return new File([zip], 'lenscribe.zip', { type: 'application/zip' });
}

function makeExporter(store: LibraryStore) {
  const library = new LibraryState(store);
  const exporter = new ExportState({
    store,
    encoder,
    library,
    settings: new SettingsState(store),
    readZip: (zip, options) => importLenscribeZip(zip, jobKey, options),
  });
  return { exporter, library };
}

describe('ExportState.importZip', () => {
  beforeEach(async () => {
    await new LibraryStore().clearLibrary();
  });

  it('writes the images and results of a zip', async () => {
    const store = new LibraryStore();
    const { exporter, library } = makeExporter(store);
    await exporter.importZip(await makeExportZip());
    expect(exporter.message).toBe('Imported 2 new images and 2 versions.');
    expect((await store.listImages()).map((i) => i.name).sort()).toEqual(['a.jpg', 'b.jpg']);
    expect(library.images).toHaveLength(2);
    expect(library.results).toHaveLength(2);
  });

  it("keeps a person's text another tab saved after this tab's list was read, and the import's beside it", async () => {
    const store = new LibraryStore();
    const { exporter } = makeExporter(store);
    const zip = await makeExportZip();
    const [first] = (await importLenscribeZip(zip, jobKey)).results;
    // The other tab's edit is on disk; this tab's memory never saw it.
    await store.saveResult({ ...first!, text: 'Fixed by hand elsewhere', author: 'person', createdAt: 1 });
    await exporter.importZip(zip);
    expect(exporter.message).toBe('Imported 2 new images and 2 versions.');
    expect((await store.getResult(first!.key))?.text).toBe('Fixed by hand elsewhere');
    // The imported text of the same ask is a version beside it; the person's stays preferred.
    const versions = await store.listVersionsOfAsk(first!.jobKey);
    expect(versions.map((v) => v.text).sort()).toEqual([first!.text, 'Fixed by hand elsewhere'].sort());
    expect(pickPreferredVersion(versions)?.text).toBe('Fixed by hand elsewhere');
  });

  it('takes back the images it wrote when writing the results fails, and says so', async () => {
    const store = new FailingResultsStore();
    const { exporter, library } = makeExporter(store);
    await exporter.importZip(await makeExportZip());
    expect(exporter.isError).toBe(true);
    expect(exporter.message).toBe('Import failed: The disk was unplugged');
    expect(exporter.phase).toBe('idle');
    // Nothing half-imported: no image record, no bytes, nothing listed.
    expect(await store.listImages()).toEqual([]);
    const [first] = (await importLenscribeZip(await makeExportZip(), jobKey)).images;
    expect(await store.getImageBlob(first!.record.sha256)).toBeUndefined();
    expect(library.images).toEqual([]);
    expect(library.results).toEqual([]);
  });
});
