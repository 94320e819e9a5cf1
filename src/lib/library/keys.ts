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
