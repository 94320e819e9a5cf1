import { afterEach, describe, expect, it, vi } from 'vitest';
import { OllamaHttpError } from '../ollama/errors.ts';
import { classifyFailure } from './failures.ts';
import { EmptyReplyError, LOOP_REVIEW_REASON, MissingImageError, type JobDeps, type RunPhase, runJob } from './run-job.ts';
import { StallError } from './stall-watchdog.ts';
import { FakeEngine, fakeEncoder, makeJob } from './test-fakes.ts';

function setup(engine = new FakeEngine()) {
  const encoder = fakeEncoder();
  const deps: JobDeps = { readImage: async () => new Blob(['original']), encoder, engine, now: () => 42 };
  const phases: RunPhase[] = [];
  const texts: string[] = [];
  const controller = new AbortController();
  const options = { signal: controller.signal, onPhase: (p: RunPhase) => phases.push(p), onText: (t: string) => texts.push(t) };
  return { engine, encoder, deps, phases, texts, controller, options };
}

describe('runJob', () => {
  it('reads, encodes at the job’s size, streams and returns the result record', async () => {
    const { engine, encoder, deps, phases, texts, options } = setup(
      new FakeEngine([{ pieces: ['# Title', '\n\nBody'], outcome: { metrics: { eval_count: 2, total_duration: 9 } } }]),
    );
    const job = makeJob('aa', { context: 'Location: Glencoe', options: { temperature: 0.2, num_predict: 120, maxSide: 1024 } });
    const result = await runJob(job, deps, options);
    // Each run is a new version of the ask, under a key of its own that starts with the ask's.
    expect(result.key.startsWith(`${job.key}/`)).toBe(true);
    expect(result).toEqual({
      key: result.key, jobKey: job.key, sha256: 'aa', model: 'gemma3:4b', taskId: 'extract-markdown', prompt: 'Extract all text',
      context: 'Location: Glencoe', options: job.options, text: '# Title\n\nBody', author: 'model',
      metrics: { eval_count: 2, total_duration: 9, done_reason: 'stop' }, engine: 'Fake engine', createdAt: 42,
    });
    expect(encoder.sides).toEqual([1024]);
    expect(phases).toEqual(['encoding', 'waiting', 'streaming']);
    expect(texts).toEqual(['# Title', '# Title\n\nBody']);
    const [request] = engine.requests;
    expect(request).toMatchObject({ model: 'gemma3:4b', prompt: 'Extract all text', options: { temperature: 0.2, maxTokens: 120 } });
    expect('seed' in (request?.options ?? {})).toBe(false);
    // The engine gets the encoded image, bytes and Blob both.
    expect(request?.images[0]).toMatchObject({ type: 'image/png', width: 1, height: 1 });
    expect(await request?.images[0]?.blob.text()).toBe('original');
  });

  it('keeps a reply cut by the token limit, marked truncated', async () => {
    const { deps, options } = setup(new FakeEngine([{ pieces: ['Half a sen'], outcome: { doneReason: 'length' } }]));
    const result = await runJob(makeJob(), deps, options);
    expect(result.text).toBe('Half a sen');
    expect(result.isTruncated).toBe(true);
    expect(result.metrics?.done_reason).toBe('length');
  });

  it('does not mark a finished reply', async () => {
    const { deps, options } = setup();
    expect('isTruncated' in (await runJob(makeJob(), deps, options))).toBe(false);
  });

  it('fails clearly on an empty or blank reply', async () => {
    const { deps, options } = setup(new FakeEngine([{ pieces: [' ', '\n'] }]));
    await expect(runJob(makeJob(), deps, options)).rejects.toThrow(new EmptyReplyError('The model answered with no text. Try another model or task.'));
    const cut = setup(new FakeEngine([{ pieces: [], outcome: { doneReason: 'length' } }]));
    await expect(runJob(makeJob(), cut.deps, cut.options)).rejects.toThrow(/token limit before writing any text/);
  });

  it('says so when the image is gone', async () => {
    const { deps, options, engine } = setup();
    deps.readImage = async () => undefined;
    await expect(runJob(makeJob(), deps, options)).rejects.toBeInstanceOf(MissingImageError);
    expect(engine.requests).toHaveLength(0);
  });

  it('stops mid-stream when aborted, passing the signal to the engine', async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { engine, deps, controller, options } = setup(new FakeEngine([{ pieces: ['never'], hold }]));
    const running = runJob(makeJob(), deps, options);
    await expect.poll(() => engine.requests.length).toBe(1);
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect(classifyFailure(error)).toBe('stopped');
    expect(engine.signals[0]?.aborted).toBe(true);
    release();
  });

  it('does not ask the engine when aborted while encoding', async () => {
    const { engine, deps, controller, options } = setup();
    controller.abort();
    await expect(runJob(makeJob(), deps, options)).rejects.toThrow();
    expect(engine.requests).toHaveLength(0);
  });

  it("lets the engine's errors through unchanged for the queue to judge", async () => {
    const busy = new OllamaHttpError(503, 'server busy, please try again.  maximum pending requests exceeded');
    const { deps, options } = setup(new FakeEngine([{ error: busy }]));
    const error = await runJob(makeJob(), deps, options).catch((e: unknown) => e);
    expect(error).toBe(busy);
    expect(classifyFailure(error)).toBe('retry-later');
  });
});

describe('runJob: confidence', () => {
  it('asks for log-probabilities and turns the streamed ones into the result’s confidence', async () => {
    const { engine, deps, options } = setup(new FakeEngine([{ pieces: ['Total', ' 4', '2', ' euros'], probabilities: [0.99, 0.1, 0.3, 0.95] }]));
    const result = await runJob(makeJob(), deps, options);
    expect(engine.requests[0]?.logprobs).toBe(true);
    expect(result.confidence).toMatchObject({ source: 'logprobs', mean: 0.585, lowest: 0.585 });
    const [span] = result.confidence?.weakSpans ?? [];
    expect(result.text.slice(span?.start, span?.end)).toBe('42');
    expect(span?.probability).toBe(0.1);
  });

  it('keeps an engine’s own confidence (the built-in OCR’s), and has none when the engine sent none', async () => {
    const ocr = { source: 'ocr' as const, mean: 0.9, lowest: 0.7 };
    const { deps, options } = setup(new FakeEngine([{ pieces: ['Line'], outcome: { confidence: ocr } }]));
    expect((await runJob(makeJob(), deps, options)).confidence).toEqual(ocr);
    const plain = setup(new FakeEngine([{ pieces: ['Line'] }]));
    expect('confidence' in (await runJob(makeJob(), plain.deps, plain.options))).toBe(false);
  });

  it('judges a reply cut at a loop by the text kept', async () => {
    const pieces = ['Intro line.\n', ...Array.from({ length: 200 }, () => 'The cat sat.\n')];
    const probabilities = [0.9, ...pieces.slice(1).map(() => 0.01)];
    const { deps, options } = setup(new FakeEngine([{ pieces, probabilities }]));
    const result = await runJob(makeJob(), deps, options);
    expect(result.text).toBe('Intro line.\nThe cat sat.');
    // The kept text holds the intro and one copy of the loop's line, nothing after.
    expect(result.confidence?.mean).toBeCloseTo((0.9 + 0.01) / 2, 3);
  });
});

describe('runJob: stalls and loops', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const limits = { firstTextMs: 300_000, idleMs: 60_000 };

  it('aborts a reply that never starts once the first-text limit passes', async () => {
    vi.useFakeTimers();
    const { engine, deps, options } = setup(new FakeEngine([{ pieces: ['late'], stallAfter: 0 }]));
    const running = runJob(makeJob(), deps, { ...options, limits }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(299_000);
    expect(engine.signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await running;
    expect(error).toBeInstanceOf(StallError);
    expect((error as StallError).message).toBe('No reply within 5 minutes');
    expect(engine.signals[0]?.aborted).toBe(true);
    expect(classifyFailure(error)).toBe('retry-once');
  });

  it('aborts a reply that stops mid-way, even when the engine ignores the abort', async () => {
    vi.useFakeTimers();
    const { engine, deps, options, texts } = setup(new FakeEngine([{ pieces: ['Half', ' a', ' page'], stallAfter: 2, ignoresAbort: true }]));
    const running = runJob(makeJob(), deps, { ...options, limits }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await running;
    expect((error as StallError).message).toBe('The model stopped sending text for 1 minute');
    expect(texts.at(-1)).toBe('Half a');
    expect(engine.signals[0]?.aborted).toBe(true);
  });

  it('does not stall a slow but steady reply', async () => {
    vi.useFakeTimers();
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { deps, options } = setup(new FakeEngine([{ pieces: ['Slow', ' start'], hold }]));
    const running = runJob(makeJob(), deps, { ...options, limits });
    await vi.advanceTimersByTimeAsync(290_000);
    release();
    expect((await running).text).toBe('Slow start');
  });

  it('stops a repetition loop early, keeps the text before it and flags the result', async () => {
    const pieces = ['# Notes\n', 'Intro line.\n', ...Array.from({ length: 500 }, () => 'The cat sat.\n')];
    const { engine, deps, options } = setup(new FakeEngine([{ pieces }]));
    const result = await runJob(makeJob(), deps, options);
    expect(result.text).toBe('# Notes\nIntro line.\nThe cat sat.');
    expect(result).toMatchObject({ needsReview: true, reviewReason: LOOP_REVIEW_REASON, author: 'model' });
    expect(engine.signals[0]?.aborted).toBe(true);
    expect(engine.piecesSent).toBeLessThan(50);
  });

  it('leaves repeated lines from the built-in OCR alone', async () => {
    const engine = new FakeEngine([{ pieces: Array.from({ length: 60 }, () => 'Jane Doe, 12 High Street\n') }]);
    Object.assign(engine, { kind: 'builtin-ocr' });
    const { deps, options } = setup(engine);
    const result = await runJob(makeJob(), deps, options);
    expect(result.needsReview).toBeUndefined();
    expect(engine.piecesSent).toBe(60);
  });
});
