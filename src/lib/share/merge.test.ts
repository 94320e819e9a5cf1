import { describe, expect, it } from 'vitest';
import { mergeImported } from './merge.ts';
import { makeResult } from './test-fixtures.ts';

const sha = 'a'.repeat(64);

describe('mergeImported', () => {
  it('writes new results and skips exact duplicates', () => {
    const existing = makeResult(sha, { createdAt: 1 });
    const fresh = makeResult(sha, { model: 'moondream' });
    expect(mergeImported([existing], [{ ...existing }, fresh])).toEqual({ toWrite: [fresh], skipped: 1 });
  });

  it("never replaces a person's text with a model's, even a newer one", () => {
    const person = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    const model = makeResult(sha, { text: 'model', createdAt: 9 });
    expect(mergeImported([person], [model])).toEqual({ toWrite: [], skipped: 1 });
  });

  it("lets a person's text replace a model's, even an older one", () => {
    const model = makeResult(sha, { text: 'model', createdAt: 9 });
    const person = makeResult(sha, { author: 'person', text: 'mine', createdAt: 1 });
    expect(mergeImported([model], [person])).toEqual({ toWrite: [person], skipped: 0 });
  });

  it('keeps the newer of two person texts', () => {
    const older = makeResult(sha, { author: 'person', text: 'old', createdAt: 1 });
    const newer = makeResult(sha, { author: 'person', text: 'new', createdAt: 2 });
    expect(mergeImported([older], [newer])).toEqual({ toWrite: [newer], skipped: 0 });
    expect(mergeImported([newer], [older])).toEqual({ toWrite: [], skipped: 1 });
  });

  it('applies the same rules among the incoming results themselves', () => {
    const model = makeResult(sha, { createdAt: 5 });
    const person = makeResult(sha, { author: 'person', createdAt: 1 });
    expect(mergeImported([], [person, model])).toEqual({ toWrite: [person], skipped: 1 });
    expect(mergeImported([], [model, person])).toEqual({ toWrite: [person], skipped: 1 });
  });
});
