// Token log-probabilities turned into a Confidence: the mean token probability, the weakest run of
// tokens, and the least likely words as character ranges of the text that was kept.
import type { TokenLogprob } from '../engines/types.ts';
import type { Confidence, WeakSpan } from './types.ts';

/** A token's log-probability placed in the text: [start, end) character offsets. */
export interface PlacedToken {
  start: number;
  end: number;
  logprob: number;
}

/** Tokens in a run whose mean probability is `lowest` (a misread word spans a few tokens). */
export const RUN_LENGTH = 5;
/** A token less likely than this marks its word as weak. */
export const WEAK_BELOW = 0.5;
/** At most this many weak spans are kept: the weakest, shown in text order. */
export const MAX_WEAK_SPANS = 5;

/**
 * Place one streamed chunk's tokens in the text, end to end from `offset` (where the chunk's text
 * begins). A token that runs past the chunk is cut at its end; the last one reaches it.
 */
export function placeTokens(chunkText: string, offset: number, tokens: readonly TokenLogprob[]): PlacedToken[] {
  const end = offset + chunkText.length;
  const placed: PlacedToken[] = [];
  let cursor = offset;
  tokens.forEach((token, i) => {
    if (!Number.isFinite(token.logprob)) return;
    const tokenEnd = i === tokens.length - 1 ? end : Math.min(end, cursor + token.token.length);
    placed.push({ start: Math.min(cursor, end), end: tokenEnd, logprob: token.logprob });
    cursor = tokenEnd;
  });
  return placed;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const probabilityOf = (token: PlacedToken) => Math.min(1, Math.exp(token.logprob));

/** The lowest mean probability over any `length` consecutive tokens (all of them when fewer). */
function lowestRun(probabilities: readonly number[], length: number): number {
  const size = Math.min(length, probabilities.length);
  let sum = probabilities.slice(0, size).reduce((total, p) => total + p, 0);
  let lowest = sum;
  for (let i = size; i < probabilities.length; i++) {
    sum += probabilities[i]! - probabilities[i - size]!;
    lowest = Math.min(lowest, sum);
  }
  return lowest / size;
}

/** [start, end) trimmed of white space, then widened to the whole word(s) it touches. */
function widenToWords(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  // A token is often a space plus a word piece: the span is the word, not the space before it.
  while (from < to && /\s/u.test(text[from]!)) from++;
  while (to > from && /\s/u.test(text[to - 1]!)) to--;
  if (to === from) return [from, to];
  while (from > 0 && !/\s/u.test(text[from - 1]!)) from--;
  while (to < text.length && !/\s/u.test(text[to]!)) to++;
  return [from, to];
}

/**
 * The words holding a token below `weakBelow`, overlapping ones merged, the `max` weakest kept
 * in text order. Also used for OCR words, whose places are known directly.
 */
export function findWeakSpans(text: string, scored: readonly { start: number; end: number; probability: number }[], weakBelow = WEAK_BELOW, max = MAX_WEAK_SPANS): WeakSpan[] {
  const merged: WeakSpan[] = [];
  for (const item of scored) {
    if (item.probability >= weakBelow || text.slice(item.start, item.end).trim() === '') continue;
    const [start, end] = widenToWords(text, item.start, item.end);
    if (end <= start) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last.end) {
      last.end = Math.max(last.end, end);
      last.probability = Math.min(last.probability, item.probability);
    } else {
      merged.push({ start, end, probability: item.probability });
    }
  }
  return merged
    .sort((a, b) => a.probability - b.probability)
    .slice(0, max)
    .sort((a, b) => a.start - b.start)
    .map((span) => ({ ...span, probability: round(span.probability) }));
}

/**
 * The confidence of `text` from its placed tokens; tokens past the text's end (a reply cut at a
 * loop) are left out. Undefined when no token falls inside the text.
 */
export function measureTokenConfidence(text: string, tokens: readonly PlacedToken[]): Confidence | undefined {
  const kept = tokens
    .filter((token) => token.start < text.length)
    .map((token) => ({ start: token.start, end: Math.min(token.end, text.length), probability: probabilityOf(token) }))
    .sort((a, b) => a.start - b.start);
  if (kept.length === 0) return undefined;
  const probabilities = kept.map((token) => token.probability);
  const mean = probabilities.reduce((total, p) => total + p, 0) / probabilities.length;
  return {
    source: 'logprobs',
    mean: round(mean),
    lowest: round(lowestRun(probabilities, RUN_LENGTH)),
    weakSpans: findWeakSpans(text, kept),
  };
}
