// The per-image result maps are updated in place, one image per change: after any sequence of
// saves, replacements, deletions, loads and clears they must equal a rebuild from every result.
import { describe, expect, it } from 'vitest';
import type { LibraryStore } from '../lib/library/store.ts';
import type { ResultRecord } from '../lib/library/types.ts';
import { listPreferredVersions, newestFirst } from '../lib/library/versions.ts';
import { isReviewed } from '../lib/review/order.ts';
import { LibraryState } from './library.svelte.ts';

const IMAGES = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(64));
const TASKS = ['extract-markdown', 'alt-text', 'invoice'];
const MODELS = ['gemma3:4b', 'llava', 'qwen2.5vl'];

/** A small seeded random source, so a failing sequence can be replayed. */
function randomSource(seed: number) {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T, chance: (p: number) => next() < p };
}

/** A store whose results are whatever the test says is on disk. */
function fakeStore(disk: Map<string, ResultRecord>) {
  return {
    listImages: async () => [],
    readImageListing: async () => ({ listing: undefined, count: 0 }),
    saveImageListing: async () => {},
    listDocuments: async () => [],
    listResults: async () => [...disk.values()],
    deleteImages: async () => {},
    deleteImage: async () => {},
    clearLibrary: async () => {},
  } as unknown as LibraryStore;
}

/** Every image's versions newest first and preferred versions, rebuilt from scratch. */
function rebuild(results: Iterable<ResultRecord>) {
  const versions = new Map<string, ResultRecord[]>();
  for (const r of results) versions.set(r.sha256, [...(versions.get(r.sha256) ?? []), r]);
  for (const list of versions.values()) list.sort(newestFirst);
  const preferred = new Map([...versions].map(([sha256, list]) => [sha256, listPreferredVersions(list)]));
  return { versions, preferred };
}

const keysOf = (map: ReadonlyMap<string, readonly ResultRecord[]>) =>
  Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([sha256, list]) => [sha256, list.map((r) => `${r.key}=${r.text}`)]));

async function settled(library: LibraryState): Promise<void> {
  while (library.search.isIndexing) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('LibraryState result maps', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`equal a rebuild from every result after 300 random changes (seed ${seed})`, async () => {
      const random = randomSource(seed);
      const memory = new Map<string, ResultRecord>();
      const disk = new Map<string, ResultRecord>();
      const library = new LibraryState(fakeStore(disk), (apply) => apply());
      await library.load();
      let serial = 0;
      const makeVersion = (): ResultRecord => {
        const existing = [...memory.values()];
        const base = existing.length > 0 && random.chance(0.35) ? random.pick(existing) : undefined;
        const sha256 = base?.sha256 ?? random.pick(IMAGES);
        const taskId = base?.taskId ?? random.pick(TASKS);
        const n = ++serial;
        return {
          key: base?.key ?? `${sha256}:${taskId}:${n}`,
          jobKey: `${sha256}:${taskId}`,
          sha256, taskId, model: base?.model ?? random.pick(MODELS), prompt: 'p', options: { maxSide: 1 },
          // Unique words, so search can tell exactly which text is indexed.
          text: `w${n}z`,
          author: random.chance(0.2) ? 'person' : 'model',
          // Few distinct times: many versions share a millisecond.
          createdAt: random.int(8),
          preferredAt: random.chance(0.15) ? random.int(8) : undefined,
          verifiedAt: random.chance(0.15) ? random.int(8) : undefined,
        };
      };
      for (let step = 0; step < 300; step++) {
        const op = random.int(20);
        if (op < 12) {
          const batch = Array.from({ length: 1 + random.int(4) }, makeVersion);
          for (const r of batch) memory.set(r.key, r);
          library.putResults(batch);
        } else if (op < 14) {
          const key = memory.size > 0 && random.chance(0.9) ? random.pick([...memory.keys()]) : 'no-such-key';
          memory.delete(key);
          library.forgetResult(key);
        } else if (op < 15) {
          const sha256 = random.pick(IMAGES);
          for (const [key, r] of memory) if (r.sha256 === sha256) memory.delete(key);
          library.forgetImage(sha256);
        } else if (op < 17) {
          const doomed = new Set([random.pick(IMAGES), random.pick(IMAGES)]);
          for (const [key, r] of memory) if (doomed.has(r.sha256)) memory.delete(key);
          await library.deleteImages(doomed, []);
        } else if (op < 19) {
          // Another tab replaced the library: what is on disk now is some of ours and some new.
          disk.clear();
          for (const [key, r] of memory) if (random.chance(0.7)) disk.set(key, r);
          for (let i = random.int(3); i > 0; i--) {
            const r = makeVersion();
            disk.set(r.key, r);
          }
          memory.clear();
          for (const [key, r] of disk) memory.set(key, r);
          await library.load();
          await settled(library);
        } else {
          memory.clear();
          await library.clear();
        }
        const expected = rebuild(memory.values());
        expect(keysOf(library.resultsByImage)).toEqual(keysOf(expected.versions));
        expect(keysOf(library.preferredByImage)).toEqual(keysOf(expected.preferred));
        expect(new Set(library.results)).toEqual(new Set(memory.values()));
        expect(library.resultCount).toBe(memory.size);
        expect(library.unreviewedCount).toBe([...expected.preferred.values()].flat().filter((r) => !isReviewed(r)).length);
        expect(library.resultModels).toEqual([...new Set([...memory.values()].map((r) => r.model))].sort());
        expect(library.resultTaskIds).toEqual([...new Set([...memory.values()].map((r) => r.taskId))].sort());
        // Search holds exactly each image's preferred text of each task (checked now and then: it is slow).
        if (step % 10 !== 9) continue;
        for (let n = 1; n <= serial; n++) {
          const owners = [...expected.preferred].filter(([, list]) => list.some((r) => r.text === `w${n}z`)).map(([sha256]) => sha256);
          expect(library.search.findText(`w${n}z`), `w${n}z`).toEqual(new Set(owners));
        }
      }
    });
  }

  // SvelteMap re-runs a reader of one key only when that key is set to another value: so an image's
  // lists must keep their identity through changes to other images, and its preferred list through
  // changes that leave the preferred versions as they were.
  it("replaces an image's lists only when that image's versions, or its preferred ones, change", async () => {
    const library = new LibraryState(fakeStore(new Map()), (apply) => apply());
    await library.load();
    const version = (sha256: string, n: number): ResultRecord => ({
      key: `${sha256}:${n}`, jobKey: sha256, sha256, taskId: 'extract-markdown', model: 'gemma3:4b', prompt: 'p', options: { maxSide: 1 },
      text: `text ${n}`, author: 'model', createdAt: n,
    });
    const [a = '', b = ''] = IMAGES;
    library.putResults([version(a, 1), version(b, 1)]);
    const versionsA = library.resultsByImage.get(a);
    const preferredA = library.preferredByImage.get(a);

    library.putResults([version(b, 2)]);
    expect(library.resultsByImage.get(a)).toBe(versionsA);
    expect(library.preferredByImage.get(a)).toBe(preferredA);

    // An older model text arriving late is a new version, but the preferred text stays: the row need not re-render.
    library.putResults([version(a, 0)]);
    expect(library.resultsByImage.get(a)?.map((r) => r.text)).toEqual(['text 1', 'text 0']);
    expect(library.preferredByImage.get(a)).toBe(preferredA);

    library.putResults([version(a, 2)]);
    expect(library.preferredByImage.get(a)?.map((r) => r.text)).toEqual(['text 2']);
    library.forgetResult(`${a}:2`);
    expect(library.preferredByImage.get(a)?.map((r) => r.text)).toEqual(['text 1']);
    await library.deleteImages(new Set([a]), []);
    expect(library.resultsByImage.has(a)).toBe(false);
    expect(library.preferredByImage.get(b)?.map((r) => r.text)).toEqual(['text 2']);
  });
});
