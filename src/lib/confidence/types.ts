// How sure an engine was of a text: one shape for token log-probabilities and OCR word confidence.

/** A stretch of the text the engine was least sure of: [start, end) character offsets. */
export interface WeakSpan {
  start: number;
  end: number;
  /** 0–1: the lowest token probability (or word confidence) inside it. */
  probability: number;
}

/** An engine's confidence in one text; every figure is 0–1. */
export interface Confidence {
  /** Token log-probabilities (Ollama, OpenAI-compatible servers) or OCR word confidence. */
  source: 'logprobs' | 'ocr';
  /** The mean token probability, or the mean word confidence. */
  mean: number;
  /** The weakest stretch: the lowest mean over a run of tokens, or the weakest line's mean. */
  lowest: number;
  /** The weakest stretches in text order, at most a handful, for highlighting. */
  weakSpans?: WeakSpan[];
}

type Fields = Record<string, unknown>;

const isFraction = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;
const isPercent = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 100;

function readSpans(value: unknown): WeakSpan[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const spans: WeakSpan[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { start, end, probability } = item as Fields;
    if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (end as number) <= (start as number)) return undefined;
    if (!isFraction(probability)) return undefined;
    spans.push({ start: start as number, end: end as number, probability });
  }
  return spans;
}

/**
 * A stored or imported confidence as a Confidence: the current shape, or the built-in OCR's first
 * one ({ mean, lowestLine }, 0–100, kept by earlier versions). Undefined when it is neither.
 */
export function readConfidence(value: unknown): Confidence | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Fields;
  if (fields['source'] === undefined && isPercent(fields['mean']) && isPercent(fields['lowestLine'])) {
    return { source: 'ocr', mean: fields['mean'] / 100, lowest: fields['lowestLine'] / 100 };
  }
  const { source, mean, lowest } = fields;
  if ((source !== 'logprobs' && source !== 'ocr') || !isFraction(mean) || !isFraction(lowest)) return undefined;
  const confidence: Confidence = { source, mean, lowest };
  if (fields['weakSpans'] !== undefined) {
    const spans = readSpans(fields['weakSpans']);
    if (!spans) return undefined;
    confidence.weakSpans = spans;
  }
  return confidence;
}
