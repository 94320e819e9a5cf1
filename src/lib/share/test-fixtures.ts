// Sample library data for this folder's tests.
import { jobKey } from '../library/keys.ts';
import type { ImageRecord, ResultRecord } from '../library/types.ts';

/** Hex SHA-256 of `bytes`, as the library computes it. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes that look like a JPEG to a reader of names, not to a decoder (nothing here decodes). */
export function fakeImageBytes(seed: number, length = 2048): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 17) & 0xff;
  bytes.set([0xff, 0xd8, 0xff], 0);
  return bytes;
}

/** An ImageRecord for `bytes` under `name`. */
export async function makeImage(name: string, bytes: Uint8Array<ArrayBuffer>, type = 'image/jpeg'): Promise<ImageRecord> {
  return { sha256: await sha256Hex(bytes), name, type, size: bytes.length, width: 640, height: 480, addedAt: Date.UTC(2024, 5, 1) };
}

/** A ResultRecord with a real key; override any field. */
export function makeResult(sha256: string, fields: Partial<Omit<ResultRecord, 'key' | 'jobKey' | 'sha256'>> = {}): ResultRecord {
  const base = {
    model: 'llava:7b',
    taskId: 'caption',
    prompt: 'Describe this image.',
    options: { temperature: 0, maxSide: 1536 },
    text: 'A cat on a mat.',
    author: 'model' as const,
    createdAt: Date.UTC(2024, 5, 2),
    ...fields,
  };
  const ask = jobKey(sha256, base.model, base.prompt, base.options);
  // Keyed by its ask, as results from before versions are (and as one version per ask still may be).
  return { ...base, sha256, key: ask, jobKey: ask };
}
