// Spots a model stuck in a repetition loop while its reply streams in: the end of the text is the
// same unit (a line, a phrase, a block of lines) over and over. Small models reading a page do
// this until the token limit, wasting minutes; stopping early keeps the text before the loop.
//
// The test is exact periodicity of the tail: text[i] === text[i - p] for every i in the last
// stretch, for the smallest unit length p that qualifies. Normal text is never periodic for long:
// table rows, list items and receipt lines differ in their content even where their prefixes
// ("| ", "- ", "1 x ") repeat, and a poem's refrain has verses between its repeats.

/** Where a loop began and what to keep. */
export interface RepetitionLoop {
  /** The text before the loop plus one occurrence of the repeated unit, cut at a line or word end. */
  kept: string;
  /** The repeated unit, as it ends where the kept text is cut. */
  unit: string;
  /** How many times the unit appears in a row (at least). */
  repeats: number;
}

/** The longest unit looked for, in characters; a longer loop ends at the token limit instead. */
const MAX_UNIT = 400;
/** A loop must span at least this many characters, so short runs ("na na na na") never count. */
const MIN_SPAN = 240;
/** ...and repeat its unit at least this often, so a few identical blocks (labels, forms) never count. */
const MIN_REPEATS = 5;

/** How many characters at the end are punctuation or space (no letter or digit). */
function countTrailingLayout(text: string): number {
  let count = 0;
  while (count < text.length && !/[\p{L}\p{N}]/u.test(text[text.length - 1 - count] ?? '')) count++;
  return count;
}

/** How many characters back from the end the text repeats with period p (at most `enough`). */
function periodicRun(text: string, p: number, enough: number): number {
  const end = text.length;
  let run = 0;
  while (run < enough && end - 1 - run - p >= 0 && text[end - 1 - run] === text[end - 1 - run - p]) run++;
  return run;
}

/** Where the cut goes: after one whole unit, at the next line end (or word end) within the second one. */
function cutAfterOneUnit(text: string, start: number, p: number): number {
  const isBoundary = text.slice(start, start + p).includes('\n') ? (c: string) => c === '\n' : (c: string) => /\s/u.test(c);
  for (let end = start + p; end < start + 2 * p && end <= text.length; end++) if (isBoundary(text[end - 1] ?? '')) return end;
  return start + p;
}

/** The repetition loop the text ends in, if any; undefined for normal text. */
export function findRepetitionLoop(text: string): RepetitionLoop | undefined {
  const maxUnit = Math.min(MAX_UNIT, Math.floor(text.length / MIN_REPEATS));
  // A unit of punctuation and spaces alone (rules, dot leaders, empty table cells) is layout, not
  // a loop: every unit must reach back past the trailing layout to a letter or digit.
  for (let p = countTrailingLayout(text) + 1; p <= maxUnit; p++) {
    const needed = Math.max(MIN_SPAN, MIN_REPEATS * p) - p;
    if (periodicRun(text, p, needed) < needed) continue;
    const span = periodicRun(text, p, text.length) + p;
    const start = text.length - span;
    const end = cutAfterOneUnit(text, start, p);
    return { kept: text.slice(0, end).trimEnd(), unit: text.slice(end - p, end), repeats: Math.floor(span / p) };
  }
  return undefined;
}

/**
 * Checks a streaming reply as it grows; a full check costs little, but it runs at most once per
 * `every` new characters so a long reply stays cheap.
 */
export class LoopWatcher {
  readonly #every: number;
  #checkedAt = 0;

  constructor(every = 16) {
    this.#every = every;
  }

  /** The loop the reply so far ends in, if any. */
  check(text: string): RepetitionLoop | undefined {
    if (text.length - this.#checkedAt < this.#every) return undefined;
    this.#checkedAt = text.length;
    return findRepetitionLoop(text);
  }
}
