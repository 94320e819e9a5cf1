import { describe, expect, it } from 'vitest';
import { mergeImported } from './merge.ts';
import { makeResult } from './test-fixtures.ts';

const sha = 'a'.repeat(64);

describe('mergeImported', () => {
  it('writes new versions and skips ones already here', () => {
    const existing = makeResult(sha, { createdAt: 1 });
    const fresh = makeResult(sha, { model: 'moondream' });
    expect(mergeImported([existing], [{ ...existing }, fresh])).toEqual({ toWrite: [fresh], skipped: 1 });
  });

  it("keeps a person's text and adds a model's text of the same ask beside it, under a key of its own", () => {
    const person = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    const model = makeResult(sha, { text: 'model', createdAt: 9 });
    const { toWrite } = mergeImported([person], [model]);
    expect(toWrite).toHaveLength(1);
    expect(toWrite[0]).toMatchObject({ text: 'model', author: 'model', jobKey: person.jobKey });
    expect(toWrite[0]?.key).not.toBe(person.key);
    expect(toWrite[0]?.key.startsWith(`${person.jobKey}/`)).toBe(true);
  });

  it('adds an old export’s text under the same key only once, however often it is imported', () => {
    const model = makeResult(sha, { text: 'model', createdAt: 9 });
    const person = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    const first = mergeImported([model], [person]);
    expect(first.toWrite.map((r) => r.text)).toEqual(['mine']);
    expect(mergeImported([model, ...first.toWrite], [person])).toEqual({ toWrite: [], skipped: 1 });
  });

  it('keeps every version among the incoming ones themselves', () => {
    const model = makeResult(sha, { createdAt: 5 });
    const person = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    expect(mergeImported([], [person, model]).toWrite.map((r) => r.text).sort()).toEqual(['A cat on a mat.', 'mine']);
  });

  it('adds a verification to the same version, and never takes one away', () => {
    const here = { ...makeResult(sha), key: 'k/1' };
    expect(mergeImported([here], [{ ...here, verifiedAt: 5 }]).toWrite).toEqual([{ ...here, verifiedAt: 5 }]);
    expect(mergeImported([{ ...here, verifiedAt: 5 }], [here])).toEqual({ toWrite: [], skipped: 1 });
  });

  it("keeps an imported choice of preferred version only for a task this library has no version of", () => {
    const here = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    const chosen = { ...makeResult(sha, { text: 'picked there', createdAt: 2 }), key: `${here.jobKey}/x`, preferredAt: 3 };
    expect(mergeImported([here], [chosen]).toWrite[0]?.preferredAt).toBeUndefined();
    expect(mergeImported([], [chosen]).toWrite[0]?.preferredAt).toBe(3);
  });
});
