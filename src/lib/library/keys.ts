// How a result is found again: the same image asked the same model the same way.
import type { JobOptions } from './types.ts';

/** 64-bit FNV-1a as 16 hex digits: small, synchronous, stable across sessions. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Options in a fixed key order, so {a,b} and {b,a} give the same key. */
function canonical(options: JobOptions): string {
  const sorted = Object.keys(options)
    .sort()
    .filter((k) => options[k as keyof JobOptions] !== undefined)
    .map((k) => [k, options[k as keyof JobOptions]]);
  return JSON.stringify(sorted);
}

/** The identity of a result: image hash + model + prompt + options (+ the reply's JSON Schema, if any). */
export function jobKey(sha256: string, model: string, prompt: string, options: JobOptions, format?: Record<string, unknown>): string {
  // A schema only joins the hash when there is one, so every key made before schemas stays the same.
  const schema = format ? `\u0000${JSON.stringify(format)}` : '';
  return `${sha256}:${model}:${fnv1a64(`${prompt}\u0000${canonical(options)}${schema}`)}`;
}

/** A new version's own key: its ask's jobKey, a slash, its time and random digits (unique per run or edit). */
export function versionKey(jobKey: string, createdAt: number): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return `${jobKey}/${createdAt.toString(36)}-${random.toString(36)}`;
}

/** True when `key` is a version of the ask `jobKey` (or, on records from before versions, the ask itself). */
export function isVersionOf(key: string, jobKey: string): boolean {
  return key === jobKey || key.startsWith(`${jobKey}/`);
}

/** The key an imported version takes when its own key holds another text here: the same for the same text, so importing twice adds it once. */
export function importedVersionKey(version: { jobKey: string; author: string; createdAt: number; text: string }): string {
  return `${version.jobKey}/i${fnv1a64(`${version.author}\u0000${version.createdAt}\u0000${version.text}`)}`;
}
