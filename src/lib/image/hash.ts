// An image's identity: the SHA-256 of its original bytes, as lowercase hex. WebCrypto hashes only
// whole buffers, so a large file is read in slices into an incremental SHA-256 (@noble/hashes)
// instead of into one buffer as large as the file.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Files up to this size are read whole and hashed natively by WebCrypto (faster). */
export const WHOLE_FILE_HASH_BYTES = 16 * 1024 * 1024;
const SLICE_BYTES = 4 * 1024 * 1024;

/** Hex SHA-256 of some bytes (WebCrypto: in workers, pages and Node 20 alike). */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** An incremental SHA-256: feed bytes in pieces, then take the hex digest once. */
export interface Sha256Hasher {
  update(bytes: Uint8Array): void;
  digestHex(): string;
}

/** Start an incremental SHA-256. */
export function createSha256Hasher(): Sha256Hasher {
  const hash = sha256.create();
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => bytesToHex(hash.digest()),
  };
}

/** Hex SHA-256 of a Blob; a large one is read a slice at a time, never whole. */
export async function sha256HexOfBlob(blob: Blob, { sliceBytes = SLICE_BYTES, wholeFileBytes = WHOLE_FILE_HASH_BYTES } = {}): Promise<string> {
  if (blob.size <= wholeFileBytes) return sha256Hex(await blob.arrayBuffer());
  const hasher = createSha256Hasher();
  for (let at = 0; at < blob.size; at += sliceBytes) hasher.update(new Uint8Array(await blob.slice(at, at + sliceBytes).arrayBuffer()));
  return hasher.digestHex();
}
