import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeEngine, fakeEncoder, makeJob } from '../lib/jobs/test-fakes.ts';
import type { EngineSlot } from '../lib/jobs/slot.ts';
import { LibraryStore } from '../lib/library/store.ts';
import type { ImageRecord } from '../lib/library/types.ts';
import { FakeChannelBus, FakeLocks } from '../lib/tabs/test-fakes.ts';
import { LibraryState } from './library.svelte.ts';
import { QueueState } from './queue.svelte.ts';
import { TabsState } from './tabs.svelte.ts';

/** One browser tab of the app: its own memory, the shared disk, locks and channel. */
function openTab(bus: FakeChannelBus, locks: FakeLocks, engine = new FakeEngine()) {
  const store = new LibraryStore();
  const library = new LibraryState(store);
  const slot: EngineSlot = {
    id: 'ollama', concurrency: 1, engine, isAvailable: true,
    waitUntilAvailable: async () => {}, reportUnavailable: () => {}, accepts: () => true,
  };
  const queue = new QueueState({ store, encoder: fakeEncoder(), library, slots: () => [slot] });
  const tabs = new TabsState({ store, library, queue, slotIds: () => [slot.id], locks, port: bus.open() });
  return { store, library, queue, tabs, engine };
}
type Tab = ReturnType<typeof openTab>;

const image = (sha256: string): ImageRecord => ({ sha256, name: `${sha256}.png`, type: 'image/png', size: 3, width: 1, height: 1, addedAt: 1 });

/** Add an image in a tab as intake does: saved to disk, then listed. */
async function addImage(tab: Tab, sha256: string): Promise<void> {
  await tab.store.saveImage(image(sha256), new Blob(['png']), { thumbnail: new Blob(['t']) });
  tab.library.addImage(image(sha256));
}

/** A reply held until released (a slow model), or never (a tab closed mid-read). */
function gate() {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

const completed = (engine: FakeEngine) => engine.signals.filter((s) => !s.aborted).length;
let open: Tab[] = [];

beforeEach(async () => {
  await new LibraryStore().clearLibrary();
});
afterEach(() => {
  for (const tab of open) tab.tabs.stop();
  open = [];
});

async function twoTabs(engines: [FakeEngine?, FakeEngine?] = []): Promise<[Tab, Tab]> {
  const bus = new FakeChannelBus();
  const locks = new FakeLocks();
  const leader = openTab(bus, locks, engines[0]);
  await leader.tabs.start();
  const follower = openTab(bus, locks, engines[1]);
  await follower.tabs.start();
  open.push(leader, follower);
  return [leader, follower];
}

describe('TabsState', () => {
  it("sends images only from the leader's tab; the other shows its progress and both list the results", async () => {
    const slow = gate();
    const [leader, follower] = await twoTabs([new FakeEngine([{ hold: slow.held, pieces: ['Text'] }])]);
    expect([leader.tabs.isFollower, follower.tabs.isFollower]).toEqual([false, true]);
    for (const sha of ['aa', 'bb', 'cc']) await addImage(follower, sha);
    await follower.queue.enqueue(['aa', 'bb', 'cc'].map((sha) => makeJob(sha)));

    await expect.poll(() => leader.library.images.length).toBe(3);
    await expect.poll(() => follower.queue.jobFor('aa')?.phase).toBe('waiting');
    expect(follower.queue.jobFor('cc')?.phase).toBe('queued');
    expect(follower.queue.progress.remaining).toBe(3);
    slow.release();

    await expect.poll(() => follower.library.results.length).toBe(3);
    expect(leader.library.results.map((r) => r.text)).toEqual(['Text', 'Text', 'Text']);
    expect(leader.engine.requests.map((r) => r.images.length)).toEqual([1, 1, 1]);
    expect(follower.engine.requests).toEqual([]);
    await expect.poll(() => follower.queue.jobs.length).toBe(0);
  });

  it('hands the queue to the other tab when the leader closes, and every image is read once', async () => {
    const never = gate();
    const [leader, follower] = await twoTabs([new FakeEngine([{ pieces: ['first'] }, { hold: never.held, pieces: ['lost'] }])]);
    for (const sha of ['zz', 'aa', 'bb']) await addImage(leader, sha);
    await leader.queue.enqueue([makeJob('zz'), makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => leader.engine.requests.length).toBe(2);
    await expect.poll(() => follower.queue.progress.done).toBe(1);

    leader.tabs.stop(); // The tab closed mid-read: its lock goes to the other tab.
    await expect.poll(() => follower.tabs.isFollower).toBe(false);
    await expect.poll(() => follower.library.results.length).toBe(3);
    expect(completed(follower.engine)).toBe(2);
    // The batch's count goes on: one done in the closed tab, two here.
    expect(follower.queue.progress.done).toBe(3);
    expect(follower.engine.requests.map((r) => r.images.length)).toEqual([1, 1]);
    expect(leader.library.results.map((r) => r.sha256)).toEqual(['zz']); // The closed tab's one finish.
    expect(await follower.store.listJobs()).toEqual([]);
  });

  it("shows a person's edit in the other tab, and the leader's later model text joins it as a version without displacing it", async () => {
    const [leader, follower] = await twoTabs();
    await addImage(leader, 'aa');
    await leader.queue.enqueue([makeJob('aa')]);
    await expect.poll(() => follower.library.results[0]?.text).toBe('Hello world');

    expect(await follower.library.editResult(follower.library.results[0]!.key, 'My own words')).toBe(true);
    const preferred = (tab: typeof leader) => tab.library.preferredByImage.get('aa')?.[0]?.text;
    await expect.poll(() => preferred(leader)).toBe('My own words');
    await leader.queue.enqueue([makeJob('aa', { queuedAt: 2 })]);
    await expect.poll(() => leader.engine.requests.length).toBe(2);
    await expect.poll(() => leader.queue.jobs.length).toBe(0);
    const versions = (tab: typeof leader) => tab.library.versionsOf('aa', 'extract-markdown').map((r) => [r.author, r.text]);
    expect(versions(leader)).toEqual([['model', 'Hello world'], ['person', 'My own words'], ['model', 'Hello world']]);
    expect(preferred(leader)).toBe('My own words');
    await follower.tabs.settled();
    await expect.poll(() => versions(follower)).toEqual(versions(leader));
    expect(preferred(follower)).toBe('My own words');
  });

  it("stops the leader's read when the other tab deletes the image, and both lists lose it", async () => {
    const never = gate();
    const [leader, follower] = await twoTabs([new FakeEngine([{ hold: never.held }])]);
    await addImage(leader, 'aa');
    await addImage(leader, 'bb');
    await leader.queue.enqueue([makeJob('aa')]);
    await expect.poll(() => follower.library.images.length).toBe(2);
    await expect.poll(() => follower.queue.jobFor('aa')?.phase).toBe('waiting');

    const keys = await follower.queue.cancelFor(new Set(['aa']));
    await follower.library.deleteImage('aa', keys);
    await expect.poll(() => leader.engine.signals[0]?.aborted).toBe(true);
    await expect.poll(() => leader.library.images.map((i) => i.sha256)).toEqual(['bb']);
    expect(leader.queue.jobs).toEqual([]);
    expect(follower.library.images.map((i) => i.sha256)).toEqual(['bb']);
  });

  it("pauses and resumes the leader's batch from the other tab", async () => {
    const slow = gate();
    const [leader, follower] = await twoTabs([new FakeEngine([{ hold: slow.held, pieces: ['x'] }])]);
    for (const sha of ['aa', 'bb']) await addImage(leader, sha);
    await leader.queue.enqueue([makeJob('aa'), makeJob('bb')]);
    await expect.poll(() => follower.queue.jobs.length).toBe(2);
    follower.queue.pauseAll();
    await expect.poll(() => leader.queue.isPaused).toBe(true);
    slow.release();
    await expect.poll(() => leader.library.results.length).toBe(1);
    expect(leader.engine.requests).toHaveLength(1); // Paused: the second image waits.
    follower.queue.resumeAll();
    await expect.poll(() => follower.library.results.length).toBe(2);
    expect(follower.queue.isPaused).toBe(false);
  });

  it("shows the leader's failure in the other tab, and retries it from there", async () => {
    const [leader, follower] = await twoTabs([new FakeEngine([{ error: new Error('The model crashed') }, { pieces: ['Second try'] }])]);
    await addImage(follower, 'aa');
    await follower.queue.enqueue([makeJob('aa')]);
    await expect.poll(() => follower.queue.jobFor('aa')?.phase).toBe('failed');
    expect(follower.queue.jobFor('aa')?.error).toBe(leader.queue.jobFor('aa')?.error);
    expect(follower.queue.progress.failed).toBe(1);
    follower.queue.retryFailed();
    await expect.poll(() => follower.library.results[0]?.text).toBe('Second try');
    expect(leader.engine.requests).toHaveLength(2);
    expect(follower.engine.requests).toHaveLength(0);
  });

  it('does not send an image again when the other tab asked for it from a list that had not caught up', async () => {
    const [leader, follower] = await twoTabs();
    await addImage(leader, 'aa');
    await leader.queue.enqueue([makeJob('aa', { queuedAt: Date.now() })]);
    await expect.poll(() => leader.queue.jobs.length).toBe(0);
    // Asked before the result arrived there (queued earlier than the result was saved): dropped.
    // (Its record is saved, then dropped by the leader as soon as it hears: no intermediate check,
    // the leader may already have dropped it by the time a read answers.)
    await follower.queue.enqueue([makeJob('aa', { queuedAt: 1 })]);
    await expect.poll(() => leader.store.listJobs()).toEqual([]);
    await leader.tabs.settled();
    expect(leader.engine.requests).toHaveLength(1);
    // "Run again" afterwards is a new request: it runs.
    await follower.queue.enqueue([makeJob('aa', { queuedAt: Date.now() + 1 })]);
    await expect.poll(() => leader.engine.requests.length).toBe(2);
  });
});
