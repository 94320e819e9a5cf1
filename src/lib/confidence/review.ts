// When a model's text should go to a person: its engine was unsure of it, or other models read the
// same image differently.
import type { ResultRecord } from '../library/types.ts';
import { newestByModel } from '../library/versions.ts';
import { agreement } from '../text/compare.ts';

/** The default "flag for review below" figure, as a percentage. */
export const DEFAULT_REVIEW_BELOW_PERCENT = 60;

/** A 0–1 figure as people read it: "41%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/**
 * The agreement of `result`'s text with the other models' texts of the same image and task (the
 * mean of its agreement with each); undefined when no other model read it.
 */
export function agreementWithOthers(result: ResultRecord, others: readonly ResultRecord[]): number | undefined {
  const byModel = newestByModel(others.filter((other) => other.key !== result.key && other.taskId === result.taskId));
  byModel.delete(result.model);
  if (byModel.size === 0) return undefined;
  return [...byModel.values()].reduce((total, peer) => total + agreement(result.text, peer.text), 0) / byModel.size;
}

/**
 * `result` flagged for review when its confidence (the mean) or its agreement with other models
 * is below `threshold` (0–1), the reason added to any it has. A text with neither is left alone.
 */
export function flagForReview(result: ResultRecord, threshold: number, agreement?: number): ResultRecord {
  const reasons: string[] = [];
  if (result.confidence && result.confidence.mean < threshold) reasons.push(`Low confidence: ${formatPercent(result.confidence.mean)}.`);
  if (agreement !== undefined && agreement < threshold) reasons.push(`Models disagree: ${formatPercent(agreement)} agreement.`);
  if (reasons.length === 0 || result.author !== 'model') return result;
  const reviewReason = [result.needsReview ? result.reviewReason : undefined, ...reasons].filter(Boolean).join(' ');
  return { ...result, needsReview: true, reviewReason };
}
