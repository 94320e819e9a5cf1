// The stored originals, read on their own: the export worker needs only this store, not a
// LibraryStore with every database open.
import { createStore, getMany, type UseStore } from 'idb-keyval';
import { DATABASES } from './databases.ts';

let blobs: UseStore | undefined;

/** The stored originals of `sha256s` (undefined where none), in order, in one transaction. */
export function readImageBlobs(sha256s: string[]): Promise<(Blob | undefined)[]> {
  blobs ??= createStore(...DATABASES.blobs);
  return getMany<Blob | undefined>(sha256s, blobs);
}
