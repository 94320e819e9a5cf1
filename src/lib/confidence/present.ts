// How confidence, weak spans and model comparisons read on screen: pure helpers for components.
// Everything returned is plain text; components render it as text, never as HTML.
import type { ResultRecord } from '../library/types.ts';
import { groupVersionsByTask, newestByModel } from '../library/versions.ts';
import { agreement, diffTexts, meanAgreement, type DiffPart } from '../text/compare.ts';
import { formatPercent } from './review.ts';
import type { Confidence, WeakSpan } from './types.ts';

export { formatPercent } from './review.ts';

/** What the UI says when an engine gave no confidence, instead of a number. */
export const NO_CONFIDENCE = 'No confidence: this engine does not report it';

/** "Confidence 87% (weakest run 41%)", "Word confidence 94% (weakest line 89%)", or NO_CONFIDENCE. */
export function describeConfidence(confidence: Confidence | undefined): string {
  if (!confidence) return NO_CONFIDENCE;
  const [label, weakest] = confidence.source === 'ocr' ? ['Word confidence', 'weakest line'] : ['Confidence', 'weakest run'];
  return `${label} ${formatPercent(confidence.mean)} (${weakest} ${formatPercent(confidence.lowest)})`;
}

/** A piece of text, weak (with its probability) or not. */
export interface TextSegment {
  text: string;
  probability?: number;
}

/** The text cut at its weak spans, in order; spans out of range or overlapping are skipped. */
export function splitAtSpans(text: string, spans: readonly WeakSpan[] | undefined): TextSegment[] {
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const span of [...(spans ?? [])].sort((a, b) => a.start - b.start)) {
    if (span.start < cursor || span.end > text.length || span.end <= span.start) continue;
    if (span.start > cursor) segments.push({ text: text.slice(cursor, span.start) });
    segments.push({ text: text.slice(span.start, span.end), probability: span.probability });
    cursor = span.end;
  }
  if (cursor < text.length || segments.length === 0) segments.push({ text: text.slice(cursor) });
  return segments;
}

/** A weak span's words, shortened to `max` characters, for a list a screen reader can read. */
export function quoteSpan(text: string, span: WeakSpan, max = 40): string {
  const words = text.slice(span.start, span.end).replace(/\s+/gu, ' ');
  return words.length > max ? `${words.slice(0, max - 1)}…` : words;
}

/** Another model's text beside the first one's: its differences from it, and how far they agree. */
export interface ComparedText {
  /** Parts of this text: 'same', or 'added' where it differs from the reference. */
  parts: DiffPart[];
  /** Agreement with the reference text, 0–1. */
  agreement: number;
}

/** Texts compared with the first (the reference); its own parts show what the others lack as 'removed'. */
export function compareWithFirst(texts: readonly string[]): { reference: DiffPart[]; others: ComparedText[]; mean: number | undefined } {
  const [first = '', ...rest] = texts;
  const others = rest.map((text) => ({
    parts: diffTexts(first, text).filter((part) => part.kind !== 'removed'),
    agreement: agreement(first, text),
  }));
  // The reference marks what the second text lacks; with more texts, each column speaks for itself.
  const reference = rest.length === 1 ? diffTexts(first, rest[0]!).filter((part) => part.kind !== 'added') : [{ text: first, kind: 'same' as const }];
  return { reference, others, mean: meanAgreement(texts) };
}

/** One task's texts of an image by two or more models: each model's newest text, oldest model first. */
export interface ModelComparison {
  taskId: string;
  results: ResultRecord[];
}

/** The image's texts grouped for side-by-side comparison: tasks that two or more models have read. */
export function groupForComparison(results: readonly ResultRecord[]): ModelComparison[] {
  const byTask = groupVersionsByTask(results.filter((result) => result.author === 'model'));
  return [...byTask]
    .map(([taskId, versions]) => ({ taskId, results: [...newestByModel(versions).values()].sort((a, b) => a.createdAt - b.createdAt) }))
    .filter(({ results: newest }) => newest.length >= 2);
}
