// Facts about a stored result that the UI and the export both need.
import type { ResultRecord } from './types.ts';

/** True for a model's text cut off by the token limit (a person's text is whole by definition). */
export function isTruncatedReply(result: ResultRecord): boolean {
  return result.author === 'model' && result.isTruncated === true;
}

/** Whether an imported result takes the place of the one stored under its key (none: it does). */
export function shouldReplaceResult(current: ResultRecord | undefined, incoming: ResultRecord): boolean {
  if (!current) return true;
  // A person's text replaces a model's and is never replaced by one.
  if (current.author !== incoming.author) return incoming.author === 'person';
  // Same author: the newer text wins; on a tie the one already there stays.
  return incoming.createdAt > current.createdAt;
}

/** True for a model's text a person should check (a repetition loop was cut off, for one). */
export function isReviewNeeded(result: ResultRecord): boolean {
  return result.author === 'model' && result.needsReview === true;
}

/** A list row's short status for such a result: "Needs review: the model repeated itself". */
export function describeReviewStatus(result: ResultRecord): string {
  // The first clause of the reason, lower-cased to follow the colon.
  const clause = result.reviewReason?.split(/[;.]/u)[0]?.trim();
  return clause ? `Needs review: ${clause.charAt(0).toLowerCase()}${clause.slice(1)}` : 'Needs review';
}
