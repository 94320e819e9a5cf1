// A long image read in tiles (lib/image/tiling.ts): each tile is its own request, in order, under
// the same guards as a whole image (stall watchdog, loop detector), and the texts are joined with
// each overlap read once. Separate requests work with every engine and model: several images in
// one request are refused by some (llama3.2-vision) and blur the reading order in others.
import { measureTokenConfidence } from '../confidence/logprobs.ts';
import type { Confidence } from '../confidence/types.ts';
import type { Engine, ReadMetrics, ReadOutcome, ReadRequest } from '../engines/types.ts';
import type { EncodedTile } from '../image/types.ts';
import type { TileText } from '../library/types.ts';
import { countLines, joinTileTexts, joinTwoTexts } from '../text/join-tiles.ts';
import { type ReadReplyOptions, type Reply, readReply } from './read-reply.ts';

/** The joined text, how the reading ended, and each tile's own text. */
export type TiledReply = Reply & { tiles: TileText[] };

/** The share of a tile's height the next tile repeats. */
function overlapShareOf(tiles: readonly EncodedTile[]): number {
  const [first, second] = tiles;
  if (!first || !second) return 0;
  return Math.max(0, first.bottom - second.top) / (first.bottom - first.top);
}

/** Counts and durations added up over the tiles; a metric no tile reported stays out. */
function addMetrics(total: ReadMetrics, more: ReadMetrics): ReadMetrics {
  const sum: ReadMetrics = { ...total };
  for (const [key, value] of Object.entries(more) as [keyof ReadMetrics, number | undefined][]) {
    if (value !== undefined) sum[key] = (sum[key] ?? 0) + value;
  }
  return sum;
}

/**
 * One outcome for the whole image: cut off if any tile was; confidence over every tile (each
 * tile's own, or its tokens'), without weak spans, whose offsets were into the tile's text.
 */
function combineOutcomes(outcomes: readonly ReadOutcome[], confidences: readonly (Confidence | undefined)[]): ReadOutcome {
  const metrics = outcomes.reduce<ReadMetrics>((sum, outcome) => addMetrics(sum, outcome.metrics), {});
  const cutOff = outcomes.find((outcome) => outcome.doneReason === 'length');
  const combined: ReadOutcome = { doneReason: (cutOff ?? outcomes.at(-1))?.doneReason ?? 'stop', metrics };
  const known = confidences.filter((c): c is Confidence => c !== undefined);
  if (known.length === outcomes.length && known.length > 0) {
    combined.confidence = {
      source: known[0]!.source,
      mean: known.reduce((sum, c) => sum + c.mean, 0) / known.length,
      lowest: Math.min(...known.map((c) => c.lowest)),
    };
  }
  return combined;
}

/**
 * Read every tile in order and join their texts; onText gets the joined text so far, a whole line
 * at a time while a tile streams. A tile caught in a repetition loop keeps its text up to the loop,
 * the rest are still read, and the reply carries the first loop.
 */
export async function readTiles(engine: Engine, request: ReadRequest, tiles: readonly EncodedTile[], options: ReadReplyOptions): Promise<TiledReply> {
  const share = overlapShareOf(tiles);
  const texts: string[] = [];
  const outcomes: ReadOutcome[] = [];
  const confidences: (Confidence | undefined)[] = [];
  let loop: Reply['loop'];
  for (const tile of tiles) {
    const joined = joinTileTexts(texts, share);
    const firstTileLines = countLines(texts.at(-1) ?? '');
    let shownLines = -1;
    const reply = await readReply(engine, { ...request, images: [tile] }, {
      ...options,
      onStart: texts.length === 0 ? options.onStart : undefined,
      // A later tile's wait in the server's line is part of a job already being written.
      onInLine: texts.length === 0 ? options.onInLine : undefined,
      onText: (text) => {
        // Joining per streamed piece would redo the alignment dozens of times a line.
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        const lines = complete.split('\n').length;
        if (lines === shownLines) return;
        shownLines = lines;
        options.onText?.(joinTwoTexts(joined, complete, { overlapShare: share, firstTileLines, isSecondPartial: true }));
      },
    });
    texts.push(reply.text);
    if (reply.outcome) {
      outcomes.push(reply.outcome);
      confidences.push(reply.outcome.confidence ?? measureTokenConfidence(reply.text, reply.tokens));
    }
    loop ??= reply.loop;
  }
  const text = joinTileTexts(texts, share);
  options.onText?.(text);
  const tileTexts = tiles.map(({ top, bottom }, i) => ({ top, bottom, text: texts[i] ?? '' }));
  // A loop's tile has no outcome: its request was stopped before the engine said how it ended.
  // Tokens were placed in each tile's own text: the joined text's confidence is in the outcome.
  if (loop) return { text, tokens: [], loop, tiles: tileTexts };
  return { text, tokens: [], outcome: combineOutcomes(outcomes, confidences), tiles: tileTexts };
}
