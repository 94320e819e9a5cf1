// Which imported results to write: never a duplicate, never a model's text over a person's.
import { shouldReplaceResult } from '../library/results.ts';
import type { ResultRecord } from '../library/types.ts';

/** What to write after an import, and how many incoming results were not needed. */
export interface MergePlan {
  toWrite: ResultRecord[];
  skipped: number;
}

/** Merge by key (image + model + prompt + options), a person's text always winning over a model's. */
export function mergeImported(existing: readonly ResultRecord[], incoming: readonly ResultRecord[]): MergePlan {
  const current = new Map(existing.map((result) => [result.key, result]));
  const winners = new Map<string, ResultRecord>();
  for (const result of incoming) {
    const rival = winners.get(result.key) ?? current.get(result.key);
    if (shouldReplaceResult(rival, result)) winners.set(result.key, result);
  }
  const toWrite = [...winners.values()];
  return { toWrite, skipped: incoming.length - toWrite.length };
}
