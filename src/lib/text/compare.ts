// Comparing two texts of one image (two versions, or two models' readings): which words differ,
// and how far the texts agree. jsdiff and fastest-levenshtein do the work: both are well kept,
// small, and faster and better tested than a hand-written diff.
import { diffWordsWithSpace } from 'diff';
import { distance } from 'fastest-levenshtein';

/** A stretch of text that both texts share, or that only one of them has. */
export interface DiffPart {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

/** The word-level differences from `before` to `after`, in reading order. */
export function diffTexts(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    text: change.value,
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
  }));
}

/** Whitespace runs folded to one space, ends trimmed: layout is not disagreement. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * How far two texts agree, from 0 (nothing alike) to 1 (the same): one minus the normalised
 * edit distance (Levenshtein distance over the longer text's length), whitespace folded first.
 */
export function agreement(a: string, b: string): number {
  const left = normalise(a);
  const right = normalise(b);
  const longest = Math.max(left.length, right.length);
  if (longest === 0) return 1;
  return 1 - distance(left, right) / longest;
}

/** The mean agreement over every pair of texts; undefined with fewer than two texts. */
export function meanAgreement(texts: readonly string[]): number | undefined {
  if (texts.length < 2) return undefined;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      total += agreement(texts[i]!, texts[j]!);
      pairs++;
    }
  }
  return total / pairs;
}
