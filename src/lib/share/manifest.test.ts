import { describe, expect, it } from 'vitest';
import { buildCaptions, buildResultsJson, pickPreferredResult } from './manifest.ts';
import { parseResultsJson } from './parse-manifest.ts';
import { fakeImageBytes, makeImage, makeResult } from './test-fixtures.ts';

describe('pickPreferredResult', () => {
  it("prefers a person's text, else the newest", async () => {
    const { sha256 } = await makeImage('a.jpg', fakeImageBytes(1));
    const old = makeResult(sha256, { createdAt: 1 });
    const newer = makeResult(sha256, { model: 'moondream', createdAt: 3 });
    const person = makeResult(sha256, { model: 'gemma3', author: 'person', createdAt: 2 });
    expect(pickPreferredResult([old, newer])).toBe(newer);
    expect(pickPreferredResult([old, newer, person])).toBe(person);
    expect(pickPreferredResult([])).toBeUndefined();
  });
});

describe('buildCaptions', () => {
  it("maps each model to its newest text and a person's text to \"person\"", async () => {
    const { sha256 } = await makeImage('a.jpg', fakeImageBytes(1));
    const captions = buildCaptions([
      makeResult(sha256, { model: 'model-a', text: 'old a', createdAt: 1 }),
      makeResult(sha256, { model: 'model-a', taskId: 'ocr', prompt: 'Read it', text: 'new a', createdAt: 5 }),
      makeResult(sha256, { model: 'model-b', text: 'b', createdAt: 2 }),
      makeResult(sha256, { model: 'model-b', author: 'person', text: 'mine', createdAt: 3 }),
    ]);
    expect(captions).toEqual({ 'model-a': 'new a', 'model-b': 'b', person: 'mine' });
  });
});

describe('buildResultsJson', () => {
  it('writes the documented shape, with every result and the captions map', async () => {
    const image = await makeImage('holiday/IMG_0042.jpg', fakeImageBytes(1));
    const other = await makeImage('other.png', fakeImageBytes(2), 'image/png');
    const a = makeResult(image.sha256, {
      model: 'model-a',
      text: 'From A',
      context: 'Location: Glencoe, Scotland',
      metrics: { total_duration: 5_000_000_000, eval_count: 42, done_reason: 'stop' },
      createdAt: Date.UTC(2024, 5, 2, 10),
    });
    const b = makeResult(image.sha256, { model: 'model-b', text: 'From B', createdAt: Date.UTC(2024, 5, 2, 11) });
    const orphan = makeResult('f'.repeat(64));
    const json = buildResultsJson([image, other], [a, b, orphan], {
      exportedAt: new Date(Date.UTC(2024, 5, 3)),
      paths: { images: new Map([[image.sha256, 'IMG_0042.jpg']]), texts: new Map([[b.key, 'IMG_0042.md']]) },
    });
    expect(json).toEqual({
      format: 'lenscribe-results',
      version: 1,
      exportedAt: '2024-06-03T00:00:00.000Z',
      items: [
        {
          image: 'IMG_0042.jpg',
          originalName: 'holiday/IMG_0042.jpg',
          sha256: image.sha256,
          type: 'image/jpeg',
          size: 2048,
          width: 640,
          height: 480,
          addedAt: '2024-06-01T00:00:00.000Z',
          results: [
            {
              key: b.key,
              preferred: true,
              model: 'model-b',
              task: 'caption',
              prompt: 'Describe this image.',
              text: 'From B',
              author: 'model',
              createdAt: '2024-06-02T11:00:00.000Z',
              options: { temperature: 0, maxSide: 1536 },
              file: 'IMG_0042.md',
            },
            {
              key: a.key,
              model: 'model-a',
              task: 'caption',
              prompt: 'Describe this image.',
              context: 'Location: Glencoe, Scotland',
              text: 'From A',
              author: 'model',
              createdAt: '2024-06-02T10:00:00.000Z',
              options: { temperature: 0, maxSide: 1536 },
              metrics: { total_duration: 5_000_000_000, eval_count: 42, done_reason: 'stop' },
            },
          ],
          tasks: [{ task: 'caption', text: 'From B', author: 'model', model: 'model-b', verified: false, preferred: b.key, versions: [b.key, a.key] }],
          captions: { 'model-a': 'From A', 'model-b': 'From B' },
        },
        expect.objectContaining({ image: 'other.png', originalName: 'other.png', results: [], tasks: [], captions: {} }),
      ],
    });
  });
});

describe('a reply cut by the token limit', () => {
  it('is marked truncated in results.json and read back so on import', async () => {
    const image = await makeImage('scan.png', fakeImageBytes(3), 'image/png');
    const cut = makeResult(image.sha256, { model: 'cut', text: 'Half a', isTruncated: true, metrics: { eval_count: 120, done_reason: 'length' } });
    const whole = makeResult(image.sha256, { model: 'whole', text: 'All of it', createdAt: 2 });
    // A person who edits a cut reply makes it their own, whole text.
    const edited = makeResult(image.sha256, { model: 'edited', text: 'Mine', author: 'person', isTruncated: true });
    const json = buildResultsJson([image], [cut, whole, edited]);
    const marks = Object.fromEntries(json.items[0]?.results.map((r) => [r.model, r.truncated]) ?? []);
    expect(marks).toEqual({ cut: true, whole: undefined, edited: undefined });
    const [item] = parseResultsJson(JSON.stringify(json));
    const read = Object.fromEntries(item?.results.map((r) => [r.model, r.isTruncated]) ?? []);
    expect(read).toEqual({ cut: true, whole: undefined, edited: undefined });
  });

  it('refuses a truncated mark that is not a boolean', async () => {
    const image = await makeImage('scan.png', fakeImageBytes(3), 'image/png');
    const json = buildResultsJson([image], [makeResult(image.sha256)]);
    (json.items[0]?.results[0] as unknown as Record<string, unknown>)['truncated'] = 'yes';
    expect(() => parseResultsJson(JSON.stringify(json))).toThrow(/truncated must be true or false/);
  });
});

describe('a reading with its confidence', () => {
  it('carries its confidence in results.json and back on import; a person edit does not', async () => {
    const image = await makeImage('shot.png', fakeImageBytes(4), 'image/png');
    const confidence = { source: 'ocr' as const, mean: 0.935, lowest: 0.88, weakSpans: [{ start: 5, end: 8, probability: 0.4 }] };
    const read = makeResult(image.sha256, { model: 'tesseract-eng', text: 'Line one\nLine two', confidence });
    const edited = makeResult(image.sha256, { model: 'mine', text: 'Line one', author: 'person', confidence, createdAt: 2 });
    const vision = makeResult(image.sha256, { model: 'gemma3:4b', text: 'A screenshot', createdAt: 3 });
    const json = buildResultsJson([image], [read, edited, vision]);
    const marks = Object.fromEntries(json.items[0]?.results.map((r) => [r.model, r.confidence]) ?? []);
    expect(marks).toEqual({ 'tesseract-eng': confidence, mine: undefined, 'gemma3:4b': undefined });
    const [item] = parseResultsJson(JSON.stringify(json));
    expect(item?.results.find((r) => r.model === 'tesseract-eng')?.confidence).toEqual(confidence);
  });

  it('reads the word confidence of earlier exports (0–100) as 0–1, and refuses figures out of range', async () => {
    const image = await makeImage('shot.png', fakeImageBytes(4), 'image/png');
    const json = buildResultsJson([image], [makeResult(image.sha256, {})]);
    const stored = json.items[0]?.results[0] as unknown as Record<string, unknown>;
    stored['confidence'] = { mean: 93.5, lowestLine: 88 };
    expect(parseResultsJson(JSON.stringify(json))[0]?.results[0]?.confidence).toEqual({ source: 'ocr', mean: 0.935, lowest: 0.88 });
    stored['confidence'] = { mean: 190, lowestLine: 80 };
    expect(() => parseResultsJson(JSON.stringify(json))).toThrow(/confidence must be \{ source, mean, lowest \}/);
  });
});

describe('a text that needs review', () => {
  it('carries needsReview and reviewReason in results.json and reads them back on import', async () => {
    const image = await makeImage('scan.png', fakeImageBytes(3), 'image/png');
    const reason = 'The model repeated itself; the text stops where the loop began.';
    const looped = makeResult(image.sha256, { model: 'looped', text: 'The cat sat.', needsReview: true, reviewReason: reason });
    const fine = makeResult(image.sha256, { model: 'fine', text: 'All of it', createdAt: 2 });
    // A person's text has been looked at by that person.
    const edited = makeResult(image.sha256, { model: 'edited', text: 'Mine', author: 'person', needsReview: true, reviewReason: reason });
    const json = buildResultsJson([image], [looped, fine, edited]);
    const marks = Object.fromEntries(json.items[0]?.results.map((r) => [r.model, [r.needsReview, r.reviewReason]]) ?? []);
    expect(marks).toEqual({ looped: [true, reason], fine: [undefined, undefined], edited: [undefined, undefined] });
    const [item] = parseResultsJson(JSON.stringify(json));
    const read = Object.fromEntries(item?.results.map((r) => [r.model, [r.needsReview, r.reviewReason]]) ?? []);
    expect(read).toEqual(marks);
  });

  it('refuses a needsReview mark that is not a boolean', async () => {
    const image = await makeImage('scan.png', fakeImageBytes(3), 'image/png');
    const json = buildResultsJson([image], [makeResult(image.sha256)]);
    (json.items[0]?.results[0] as unknown as Record<string, unknown>)['needsReview'] = 'yes';
    expect(() => parseResultsJson(JSON.stringify(json))).toThrow(/needsReview must be true or false/);
  });
});
