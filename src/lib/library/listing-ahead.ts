// The saved listing and the number of stored images, read by the page's first script
// (src/listing-ahead.ts) while the app's own code is still downloading and compiling. Read by the
// app itself, their answers wait for the main thread to finish starting the app (some 40 ms), and
// deserialising 10,000 records takes 10–20 ms more; read ahead, both happen while it is idle.
import { createStore, get, promisifyRequest, type UseStore } from 'idb-keyval';
import { DATABASES, LISTING_KEY } from './databases.ts';
import type { ImageRecord } from './types.ts';

/** The listing as last saved (maybe older than the records), and how many images are stored now. */
export interface ListingRead {
  listing: ImageRecord[] | undefined;
  count: number;
}

let ahead: Promise<ListingRead> | undefined;

/** Both reads at once; the listing read failing only costs speed (the records are read instead). */
export async function readListing(images?: UseStore, listing?: UseStore): Promise<ListingRead> {
  // Opened in here, so a browser whose IndexedDB throws at open rejects instead of throwing.
  images ??= createStore(...DATABASES.images);
  listing ??= createStore(...DATABASES.listing);
  return Promise.all([
    get<ImageRecord[]>(LISTING_KEY, listing).catch(() => undefined),
    images('readonly', (store) => promisifyRequest(store.count())),
  ]).then(([saved, count]) => ({ listing: saved, count }));
}

/** Start the reads now, for the app to take when it loads its library. */
export function readListingAhead(): void {
  ahead ??= readListing();
  // Nobody may take it (the app failed to start): an unread failure is not an error.
  ahead.catch(() => {});
}

/** The reads started ahead, once; undefined where none were (tests, the dev server) or they were taken. */
export function takeListingAhead(): Promise<ListingRead> | undefined {
  const taken = ahead;
  ahead = undefined;
  return taken;
}
