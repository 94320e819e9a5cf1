// Joining the texts of a long image's overlapping tiles into one, with the overlap read once. The
// end of one tile's text is aligned with the start of the next the way sequence assembly joins
// overlapping reads (an overlap alignment: the first text's start and the second's end are free),
// lines counting as the same when they mostly agree, since each tile is read separately.
import { agreement } from './compare.ts';

/** Lines at least this alike (1 − normalised edit distance) may be one line read twice. */
const SAME_LINE = 0.8;
/** Score of a pair read identically; a pair that only just agrees scores far less. */
const MATCH = 2;
const MISS = -1;
/** The overlap may hold this many times its expected share of lines, plus a few (reading varies). */
const WINDOW_SLACK = 1.5;
const WINDOW_EXTRA = 3;

/**
 * What a pair of lines adds to an alignment. A line read twice is mostly read identically; lines
 * of a list can be nearly alike ("15. figs 45p", "19. figs 57p"), so a pair that only agrees
 * counts for at most half an identical one, and a list never lines up a few lines off.
 */
function pairScore(similarity: number): number {
  if (similarity === 1) return MATCH;
  return similarity >= SAME_LINE ? (MATCH / 2) * ((similarity - 0.7) / 0.3) : MISS;
}

/** Markdown emphasis and heading marks differ between readings of one line; they are not its words. */
function comparable(line: string): string {
  return line.replace(/[*_`#>]/g, '').toLowerCase();
}

/** When the caller does not say how much tiles overlap: generous, the alignment finds the rest. */
const DEFAULT_OVERLAP_SHARE = 0.3;

type Step = 'match' | 'mismatch' | 'only-a' | 'only-b';

/** The best overlap alignment of a's tail with b's head, as steps from its start; undefined if none. */
function alignSeam(a: readonly string[], b: readonly string[]): Step[] | undefined {
  const n = a.length;
  const m = b.length;
  const keyA = a.map(comparable);
  const keyB = b.map(comparable);
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const from: Step[][] = Array.from({ length: n + 1 }, () => new Array<Step>(m + 1).fill('only-a'));
  // Unmatched lines at b's start cost (the partial line a tile edge cut); a's start is free.
  for (let j = 1; j <= m; j++) {
    score[0]![j] = j * MISS;
    from[0]![j] = 'only-b';
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const similarity = agreement(keyA[i - 1]!, keyB[j - 1]!);
      const isSame = similarity >= SAME_LINE;
      const diagonal = score[i - 1]![j - 1]! + pairScore(similarity);
      const skipA = score[i - 1]![j]! + MISS;
      const skipB = score[i]![j - 1]! + MISS;
      const best = Math.max(diagonal, skipA, skipB);
      score[i]![j] = best;
      from[i]![j] = best === diagonal ? (isSame ? 'match' : 'mismatch') : best === skipA ? 'only-a' : 'only-b';
    }
  }
  // b's end is free: the seam ends wherever a ends.
  let endB = 0;
  for (let j = 1; j <= m; j++) if (score[n]![j]! > score[n]![endB]!) endB = j;
  if (score[n]![endB]! < MATCH) return undefined;
  const steps: Step[] = [];
  // a's lines before the seam are free; b's unmatched first lines are steps (from[0][j] is only-b).
  for (let i = n, j = endB; j > 0; ) {
    const step = from[i]![j]!;
    steps.push(step);
    if (step !== 'only-b') i--;
    if (step !== 'only-a') j--;
  }
  return steps.reverse();
}

/** What joinTwoTexts knows of the tiles. */
export interface SeamOptions {
  /** The share of a tile's height the next tile repeats (default 0.3). */
  overlapShare?: number;
  /** Non-empty lines of the tile `first` ends with, when `first` joins several already. */
  firstTileLines?: number;
  /** `second` is still streaming: until its lines reach past the overlap, only `first` is shown. */
  isSecondPartial?: boolean;
}

/**
 * Two consecutive tiles' texts as one. Lines the alignment pairs are kept once (the first tile's
 * reading); before the first pair, the second text's lines are a line the edge cut and are dropped,
 * as are the first text's lines after the last pair; lines only one side read between pairs are
 * kept. With no overlap found both texts are kept whole: a line read twice beats a line lost.
 */
export function joinTwoTexts(first: string, second: string, options: SeamOptions = {}): string {
  const { overlapShare = DEFAULT_OVERLAP_SHARE, isSecondPartial = false } = options;
  if (!first.trim()) return second;
  if (!second.trim()) return first;
  const a = first.split('\n');
  const b = second.split('\n');
  const nonEmptyB = b.flatMap((line, i) => (line.trim() ? [i] : []));
  // Only the lines where the tiles can overlap are compared: a list of near-alike lines (a
  // receipt's) would otherwise line up anywhere.
  const tileLines = Math.max(nonEmptyB.length, options.firstTileLines ?? 0);
  const window = Math.ceil(tileLines * overlapShare * WINDOW_SLACK) + WINDOW_EXTRA;
  const indexA = a.flatMap((line, i) => (line.trim() ? [i] : [])).slice(-window);
  const indexB = nonEmptyB.slice(0, window);
  const steps = alignSeam(indexA.map((i) => a[i]!), indexB.map((i) => b[i]!));
  if (!steps) return isSecondPartial ? first : `${first.replace(/\n+$/, '')}\n${second.replace(/^\n+/, '')}`;

  const firstMatch = steps.indexOf('match');
  const lastMatch = steps.lastIndexOf('match');
  // The alignment starts at a's (start + 1)th windowed line, and at b's first.
  const consumedA = steps.filter((s) => s !== 'only-b').length;
  let ia = indexA.length - consumedA;
  let ib = 0;
  const out = a.slice(0, indexA[ia]);
  steps.forEach((step, k) => {
    if (step === 'match') out.push(a[indexA[ia]!]!);
    else if (k < lastMatch) {
      // Before the first pair only a's lines are whole; between pairs each side's extra line is real.
      if (step !== 'only-b') out.push(a[indexA[ia]!]!);
      else if (k > firstMatch) out.push(b[indexB[ib]!]!);
    }
    if (step !== 'only-b') {
      // Blank lines (paragraph breaks) up to a's next line belong to a, until the seam.
      if (k < lastMatch) out.push(...a.slice(indexA[ia]! + 1, indexA[ia + 1] ?? indexA[ia]! + 1));
      ia++;
    }
    if (step !== 'only-a') ib++;
  });
  const resumeB = indexB[countB(steps, lastMatch)]! + 1;
  return [...out, ...b.slice(resumeB)].join('\n');
}

/** How many of b's windowed lines the steps up to and including `upTo` consumed, less one. */
function countB(steps: readonly Step[], upTo: number): number {
  return steps.slice(0, upTo + 1).filter((s) => s !== 'only-a').length - 1;
}

/**
 * The texts of a long image's tiles, top to bottom, as one text with each overlap read once;
 * overlapShare is the share of a tile's height the next tile repeats.
 */
export function joinTileTexts(texts: readonly string[], overlapShare = DEFAULT_OVERLAP_SHARE): string {
  let joined = '';
  texts.forEach((text, i) => {
    joined = joinTwoTexts(joined, text, { overlapShare, firstTileLines: i > 0 ? countLines(texts[i - 1]!) : 0 });
  });
  return joined;
}

/** Non-empty lines of a text. */
export function countLines(text: string): number {
  return text.split('\n').filter((line) => line.trim()).length;
}
