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
