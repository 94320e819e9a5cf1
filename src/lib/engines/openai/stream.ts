// Turns the `data:` payloads of a chat completion stream into text chunks and an outcome, reading
// every server's variations (docs/openai-compatible.md §2, §9).
import type { ReadChunk, ReadMetrics, ReadOutcome, TokenLogprob } from '../types.ts';
import { OpenAiStreamError, OpenAiTruncatedError, readErrorDetails } from './errors.ts';
import type { WireChoice, WireChunk } from './wire.ts';

const DONE = '[DONE]';

/** The first choice, found by index: usage chunks have `choices: []`, so never index blindly. */
function firstChoice(chunk: WireChunk): WireChoice | undefined {
  if (!Array.isArray(chunk.choices)) return undefined;
  return chunk.choices.find((c) => (c?.index ?? 0) === 0) ?? undefined;
}

function readLogprobs(choice: WireChoice): TokenLogprob[] | undefined {
  const content = choice.logprobs?.content;
  if (!Array.isArray(content)) return undefined;
  const tokens = content.filter((t) => typeof t?.token === 'string' && typeof t.logprob === 'number');
  return tokens.length > 0 ? tokens.map((t) => ({ token: t.token!, logprob: t.logprob! })) : undefined;
}

/** Fold usage (and llama-server's timings, ms → ns) into metrics. */
function readMetrics(chunk: WireChunk, metrics: ReadMetrics): void {
  const { usage, timings } = chunk;
  if (typeof usage?.prompt_tokens === 'number') metrics.prompt_eval_count = usage.prompt_tokens;
  if (typeof usage?.completion_tokens === 'number') metrics.eval_count = usage.completion_tokens;
  if (typeof timings?.prompt_ms === 'number') metrics.prompt_eval_duration = Math.round(timings.prompt_ms * 1e6);
  if (typeof timings?.predicted_ms === 'number') metrics.eval_duration = Math.round(timings.predicted_ms * 1e6);
  if (metrics.prompt_eval_count === undefined && typeof timings?.prompt_n === 'number') metrics.prompt_eval_count = timings.prompt_n;
  if (metrics.eval_count === undefined && typeof timings?.predicted_n === 'number') metrics.eval_count = timings.predicted_n;
}

/**
 * Yield the reply text from each chunk's `choices[0].delta.content` (reasoning deltas are not the
 * reply), return how it ended at `data: [DONE]`. An error object in the stream, or an end without
 * `[DONE]` (Ollama /v1 loses its error that way), throws.
 */
export async function* readChatStream(events: AsyncIterable<string>): AsyncGenerator<ReadChunk, ReadOutcome> {
  const metrics: ReadMetrics = {};
  let doneReason: string | undefined;
  for await (const data of events) {
    if (data.trim() === DONE) return { doneReason: doneReason ?? 'stop', metrics };
    let chunk: WireChunk;
    try {
      chunk = JSON.parse(data) as WireChunk;
    } catch (error) {
      throw new OpenAiStreamError(`The server sent an unreadable event: ${data.slice(0, 120)}`, undefined, { cause: error });
    }
    if (!chunk || typeof chunk !== 'object') continue;
    if (chunk.error !== undefined && chunk.error !== null) {
      const details = readErrorDetails({ error: chunk.error }) ?? { message: 'The server reported an error' };
      throw new OpenAiStreamError(details.message, details.code);
    }
    readMetrics(chunk, metrics);
    const choice = firstChoice(chunk);
    if (!choice) continue;
    // finish_reason comes on the last content chunk (vLLM) or on its own `delta: {}` chunk (llama.cpp, Ollama).
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) doneReason = choice.finish_reason;
    const text = choice.delta?.content;
    const logprobs = readLogprobs(choice);
    if (typeof text === 'string' && text !== '') yield logprobs ? { text, logprobs } : { text };
  }
  throw new OpenAiTruncatedError();
}
