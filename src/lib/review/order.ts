// Which results a person checks, in which order, and how far they have got: least certain first,
// or in the order the library's list shows them.
import type { FilterScope } from '../library/filter.ts';
import type { ImageRecord, ResultRecord } from '../library/types.ts';

/** How the review queue is ordered. */
export const REVIEW_ORDERS = ['least-certain', 'least-certain-unknown-first', 'list'] as const;
export type ReviewOrder = (typeof REVIEW_ORDERS)[number];

/**
 * How sure the engine was of this text, 0 (not at all) to 1, or undefined when it did not say:
 * the mean token probability or word confidence. A person's text has none: the engine's figure
 * was about the text the person replaced.
 */
export function confidenceOf(result: ResultRecord): number | undefined {
  if (result.author === 'person') return undefined;
  const mean = result.confidence?.mean;
  if (mean === undefined || !Number.isFinite(mean)) return undefined;
  return Math.min(1, Math.max(0, mean));
}

/** True when a person has checked this text: accepted it, or written it themselves. */
export function isReviewed(result: ResultRecord): boolean {
  return result.verifiedAt !== undefined || result.author === 'person';
}

/** Sort rank: flagged texts, then texts with a confidence, then without; reviewed texts last. */
function rankOf(result: ResultRecord, confidence: number | undefined, isUnknownFirst: boolean): number {
  if (isReviewed(result)) return 3;
  if (result.needsReview === true) return 0;
  const hasConfidence = confidence !== undefined;
  return hasConfidence !== isUnknownFirst ? 1 : 2;
}

/**
 * Result keys, least certain first: texts flagged for review, then by rising confidence, texts
 * with no confidence after those with one (before them with `isUnknownFirst`), already reviewed
 * texts at the end. Ties keep the oldest text first, so the order is the same every time.
 */
export function orderByCertainty(results: readonly ResultRecord[], isUnknownFirst = false): string[] {
  // Each result's sort facts are worked out once, not in every comparison.
  const facts = results.map((result) => {
    const confidence = confidenceOf(result);
    return { key: result.key, rank: rankOf(result, confidence, isUnknownFirst), confidence: confidence ?? 2, createdAt: result.createdAt };
  });
  facts.sort((a, b) => a.rank - b.rank || a.confidence - b.confidence || a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return facts.map((f) => f.key);
}

/** Result keys in the list's order: each shown image's results (newest first) of the filter's model and task. */
export function orderByList(shown: readonly ImageRecord[], resultsByImage: ReadonlyMap<string, readonly ResultRecord[]>, scope: FilterScope): string[] {
  const keys: string[] = [];
  for (const image of shown) {
    for (const result of resultsByImage.get(image.sha256) ?? []) {
      if ((!scope.model || result.model === scope.model) && (!scope.taskId || result.taskId === scope.taskId)) keys.push(result.key);
    }
  }
  return keys;
}

/** How many of these keys name a result a person has reviewed. */
export function countReviewed(keys: readonly string[], byKey: ReadonlyMap<string, ResultRecord>): number {
  let count = 0;
  for (const key of keys) {
    const result = byKey.get(key);
    if (result && isReviewed(result)) count++;
  }
  return count;
}

/** The first position at or after `from` whose result is not reviewed yet, or `from` when there is none. */
export function firstUnreviewed(keys: readonly string[], byKey: ReadonlyMap<string, ResultRecord>, from = 0): number {
  for (let i = from; i < keys.length; i++) {
    const result = byKey.get(keys[i] ?? '');
    if (result && !isReviewed(result)) return i;
  }
  return Math.min(from, Math.max(0, keys.length - 1));
}

/** "312 of 9,000 reviewed". */
export function describeProgress(reviewed: number, total: number): string {
  return `${reviewed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} reviewed`;
}
