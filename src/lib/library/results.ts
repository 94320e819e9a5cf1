// Facts about a stored result that the UI and the export both need.
import type { ResultRecord } from './types.ts';

/** True for a model's text cut off by the token limit (a person's text is whole by definition). */
export function isTruncatedReply(result: ResultRecord): boolean {
  return result.author === 'model' && result.isTruncated === true;
}

/** Who wrote a version, in words: "gemma3:4b on Ollama at localhost:11434", "Edited by you from gemma3:4b". */
export function describeAuthor(version: ResultRecord, versions: readonly ResultRecord[], labelOf: (model: string) => string = (m) => m): string {
  if (version.author === 'model') return version.engine ? `${labelOf(version.model)} on ${version.engine}` : labelOf(version.model);
  const from = version.editedFrom === undefined ? undefined : versions.find((v) => v.key === version.editedFrom);
  if (!from) return version.editedFrom === undefined ? 'Written by you' : 'Edited by you';
  const when = new Date(from.createdAt).toLocaleString();
  return from.author === 'person' ? `Edited by you from your text of ${when}` : `Edited by you from ${labelOf(from.model)}'s text of ${when}`;
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
