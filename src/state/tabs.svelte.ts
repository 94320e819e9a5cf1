// Several tabs, one queue: the tab holding a Web Lock works the queue, the others show its progress
// and hand it their intents; every tab's library follows the others' changes. A tab re-reads what
// changed from IndexedDB, so the disk stays the one source of truth.
import type { LibraryStore } from '../lib/library/store.ts';
import type { JobRecord } from '../lib/library/types.ts';
import { TabChannel, type ChannelPort } from '../lib/tabs/channel.ts';
import { electLeader, type LockRequester } from '../lib/tabs/election.ts';
import type { TabMessage } from '../lib/tabs/messages.ts';
import { buildQueueSnapshot, SnapshotPublisher } from '../lib/tabs/snapshot.ts';
import type { LibraryChange, LibraryState } from './library.svelte.ts';
import { QueueFollower } from './queue-follower.svelte.ts';
import type { QueueState } from './queue.svelte.ts';

/** The lock whose holder works the queue. */
const LEADER_LOCK = 'lenscribe-queue-leader';
/** How often the leader's queue reaches the other tabs, at most. */
const SNAPSHOT_INTERVAL_MS = 250;

/** What TabsState works with; without `locks` and `port` the tab works alone. */
export interface TabsDeps {
  store: Pick<LibraryStore, 'getImages' | 'getResult' | 'listVersionsOfAsk' | 'getJob' | 'saveJob' | 'saveJobs' | 'deleteJob' | 'listJobs' | 'setSetting'>;
  library: LibraryState;
  queue: QueueState;
  /** The engine slots' ids, for each server's figures in the snapshot. */
  slotIds: () => string[];
  locks?: LockRequester;
  port?: ChannelPort;
}

/** This tab among the others: leader or follower, and the library kept in step. */
export class TabsState {
  #isFollower = $state(false);
  #channel: TabChannel | undefined;
  #follower: QueueFollower | undefined;
  #publisher: SnapshotPublisher | undefined;
  /** Whether another tab has asked for snapshots: a lone tab builds none. */
  #hasFollowers = false;
  /** Set while another tab's change is applied here, so it is not announced back. */
  #isApplying = false;
  /** Messages are handled one at a time, in the order they came. */
  #pending: Promise<void> = Promise.resolve();
  readonly #controller = new AbortController();
  readonly #deps: TabsDeps;

  constructor(deps: TabsDeps) {
    this.#deps = deps;
  }

  /** True while another tab works the queue and this one shows its progress. */
  get isFollower() { return this.#isFollower; }

  /**
   * Join the other tabs: become the leader and resume the saved queue, or follow the leader there
   * is. Alone (no Web Locks or BroadcastChannel), the tab simply resumes the queue.
   */
  async start(): Promise<void> {
    const { locks, port, library, queue } = this.#deps;
    if (!locks || !port) return queue.resume();
    this.#channel = new TabChannel(port);
    this.#channel.onMessage((message) => this.#receive(message));
    library.onChange((change) => this.#announce(change));
    const isLeader = await electLeader(LEADER_LOCK, () => this.#promote(), this.#controller.signal, locks);
    if (!isLeader) return this.#follow();
    this.#lead();
    // Followers' messages wait until the saved queue is loaded, so none is lost in the swap.
    await (this.#pending = this.#pending.then(() => queue.resume()));
  }

  /** Leave the others (the lock goes to the next tab); a closing tab does this by itself. */
  stop(): void {
    this.#controller.abort();
    this.#channel?.close();
    this.#channel = undefined;
  }

  /** Wait until every message received so far is handled (for tests). */
  settled(): Promise<void> {
    return this.#pending;
  }

  #follow(): void {
    const { store, queue } = this.#deps;
    this.#follower = new QueueFollower({ store, post: (message) => this.#channel?.post(message) });
    queue.follow(this.#follower);
    this.#isFollower = true;
    this.#channel?.post({ type: 'snapshot-wanted' });
  }

  #promote(): void {
    this.#follower = undefined;
    this.#isFollower = false;
    // Other tabs were open, and may still be: they want to see the queue at once.
    this.#hasFollowers = true;
    this.#lead();
    // Everything the old leader had not finished is in the job table: it is all picked up.
    this.#pending = this.#pending.then(() => this.#deps.queue.lead()).catch(() => {});
  }

  #lead(): void {
    const { queue, slotIds } = this.#deps;
    this.#publisher = new SnapshotPublisher(
      () => buildQueueSnapshot(queue, slotIds()),
      (snapshot) => this.#channel?.post({ type: 'queue-snapshot', snapshot }),
    );
    const publisher = this.#publisher;
    const timer = setInterval(() => this.#hasFollowers && publisher.publish(), SNAPSHOT_INTERVAL_MS);
    this.#controller.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  #receive(message: TabMessage): void {
    if (message.type === 'queue-snapshot') return this.#follower?.apply(message.snapshot);
    if (message.type === 'snapshot-wanted') {
      this.#hasFollowers = true;
      return this.#publisher?.republish();
    }
    this.#pending = this.#pending.then(() => this.#handle(message)).catch(() => {});
  }

  async #handle(message: TabMessage): Promise<void> {
    const { store, library, queue } = this.#deps;
    switch (message.type) {
      case 'images-changed': {
        // One read for the lot: another tab's large drop sends a batch of keys at a time.
        const records = await store.getImages(message.sha256s);
        return this.#quietly(() => {
          library.addImages(records.filter((record) => record !== undefined));
          message.sha256s.forEach((sha, i) => records[i] === undefined && library.forgetImage(sha));
        });
      }
      case 'results-changed': {
        const records = await Promise.all(message.keys.map((key) => store.getResult(key)));
        const present = records.filter((record) => record !== undefined);
        return this.#quietly(() => {
          library.putResults(present);
          message.keys.forEach((key, i) => records[i] === undefined && library.forgetResult(key));
        });
      }
      case 'library-replaced':
        return library.load();
    }
    // The rest is for the leader: a follower's intents about the queue.
    if (queue.isFollowing) return;
    switch (message.type) {
      case 'jobs-added':
        return queue.enqueue(await this.#readWantedJobs(message.keys));
      case 'jobs-cancelled':
        for (const key of message.keys) await queue.cancel(key);
        return;
      case 'jobs-retried':
        return message.keys.forEach((key) => queue.retry(key));
      case 'queue-paused':
        return message.isPaused ? queue.pauseAll() : queue.resumeAll();
    }
  }

  /**
   * The follower's jobs that still need running. One whose result was saved after it was queued was
   * asked from a list that had not caught up yet (this tab had just finished it): it is dropped,
   * so the image is not sent again. "Run again" queues after the result, so it still runs.
   */
  async #readWantedJobs(keys: string[]): Promise<JobRecord[]> {
    const { store } = this.#deps;
    const wanted: JobRecord[] = [];
    for (const key of keys) {
      const [job, versions] = await Promise.all([store.getJob(key), store.listVersionsOfAsk(key)]);
      if (!job) continue;
      if (versions.some((v) => v.author === 'model' && v.createdAt >= job.queuedAt)) await store.deleteJob(key);
      else wanted.push(job);
    }
    return wanted;
  }

  #quietly(apply: () => void): void {
    this.#isApplying = true;
    try {
      apply();
    } finally {
      this.#isApplying = false;
    }
  }

  #announce(change: LibraryChange): void {
    if (this.#isApplying || !this.#channel) return;
    if (change.isReplaced) this.#channel.post({ type: 'library-replaced' });
    if (change.images?.length) this.#channel.post({ type: 'images-changed', sha256s: change.images });
    if (change.results?.length) this.#channel.post({ type: 'results-changed', keys: change.results });
  }
}
