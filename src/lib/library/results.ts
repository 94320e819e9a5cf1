// Facts about a stored result that the UI and the export both need.
import type { ResultRecord } from './types.ts';

/** True for a model's text cut off by the token limit (a person's text is whole by definition). */
export function isTruncatedReply(result: ResultRecord): boolean {
  return result.author === 'model' && result.isTruncated === true;
}
