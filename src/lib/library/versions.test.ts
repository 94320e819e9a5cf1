import { describe, expect, it } from 'vitest';
import { describeAuthor } from './results.ts';
import type { ResultRecord } from './types.ts';
import { listPreferredVersions, listShownVersions, migrateResult, mergeVersion, newestFirst, nextChoiceTime, pickPreferredVersion, withVersion } from './versions.ts';

const version = (key: string, over: Partial<ResultRecord> = {}): ResultRecord => ({
  key, jobKey: 'ask', sha256: 'aa', model: 'gemma3:4b', taskId: 'alt-text', prompt: 'p', options: { maxSide: 1 },
  text: key, author: 'model', createdAt: 1, ...over,
});

describe('pickPreferredVersion', () => {
  it('takes the newest model text when nobody chose, wrote or verified one', () => {
    expect(pickPreferredVersion([version('old', { createdAt: 1 }), version('new', { createdAt: 2 })])?.key).toBe('new');
    expect(pickPreferredVersion([])).toBeUndefined();
  });

  it("keeps a person's text over any later model run", () => {
    const person = version('mine', { author: 'person', createdAt: 2 });
    expect(pickPreferredVersion([version('m1'), person, version('rerun', { createdAt: 99, model: 'qwen2.5vl:3b' })])).toBe(person);
  });

  it("keeps a verified text over a person's text and over a later model run", () => {
    const verified = version('checked', { verifiedAt: 3 });
    expect(pickPreferredVersion([verified, version('mine', { author: 'person', createdAt: 4 }), version('rerun', { createdAt: 9 })])).toBe(verified);
  });

  it("lets a person's own latest choice win over everything, a model's text included", () => {
    const picked = version('picked', { preferredAt: 10 });
    const group = [version('mine', { author: 'person', preferredAt: 5, createdAt: 5 }), version('checked', { verifiedAt: 7, preferredAt: 7 }), picked];
    expect(pickPreferredVersion(group)).toBe(picked);
    // A later edit is a later choice.
    const edit = version('edited', { author: 'person', editedFrom: 'picked', preferredAt: 11, createdAt: 11 });
    expect(pickPreferredVersion([...group, edit])).toBe(edit);
  });

  it('records each new choice after every earlier one, even within the same millisecond', () => {
    expect(nextChoiceTime([version('a', { preferredAt: 50 })], 50)).toBe(51);
    expect(nextChoiceTime([version('a')], 50)).toBe(50);
  });
});

describe('withVersion', () => {
  it('puts a version where a sort would, replacing the one of its key, without changing the list it was given', () => {
    const list = [version('c', { createdAt: 5 }), version('b', { createdAt: 3 }), version('a', { createdAt: 3 })];
    const keys = (l: readonly ResultRecord[]) => l.map((v) => v.key);
    expect(keys(withVersion(list, version('d', { createdAt: 4 })))).toEqual(['c', 'd', 'b', 'a']);
    expect(keys(withVersion(list, version('z', { createdAt: 9 })))).toEqual(['z', 'c', 'b', 'a']);
    expect(keys(withVersion(list, version('0', { createdAt: 1 })))).toEqual(['c', 'b', 'a', '0']);
    // Same millisecond: ordered by key, as newestFirst does.
    expect(keys(withVersion(list, version('ab', { createdAt: 3 })))).toEqual(['c', 'b', 'ab', 'a']);
    const moved = withVersion(list, version('c', { createdAt: 2, text: 'again' }));
    expect(moved.map((v) => `${v.key}${v.text}`)).toEqual(['bb', 'aa', 'cagain']);
    expect(moved).toEqual([...moved].sort(newestFirst));
    expect(keys(list)).toEqual(['c', 'b', 'a']);
  });
});

describe('listPreferredVersions', () => {
  it('gives one preferred version per task, the task worked on last first', () => {
    const alt = version('alt', { createdAt: 1 });
    const ocr = version('ocr', { taskId: 'extract-markdown', createdAt: 5 });
    const altPerson = version('alt-mine', { author: 'person', createdAt: 3 });
    expect(listPreferredVersions([alt, ocr, altPerson]).map((v) => v.key)).toEqual(['ocr', 'alt-mine']);
  });
});

describe('listShownVersions', () => {
  it("shows the preferred version, then each other model's newest text that no person edited", () => {
    const m1 = version('m1', { createdAt: 1 });
    const mine = version('mine', { author: 'person', editedFrom: 'm1', createdAt: 2, preferredAt: 2 });
    expect(listShownVersions([m1, mine]).map((v) => v.key)).toEqual(['mine']);
    const rerun = version('rerun', { createdAt: 3 });
    const other = version('qwen', { model: 'qwen2.5vl:3b', createdAt: 4 });
    expect(listShownVersions([m1, mine, rerun, other]).map((v) => v.key)).toEqual(['mine', 'qwen', 'rerun']);
  });
});

describe('migrateResult', () => {
  it('reads a record from before versions as a version of its ask, keeping every field', () => {
    const { jobKey: _ask, ...old } = version('sha:model:hash', { author: 'person', text: 'kept' });
    expect(migrateResult(old as ResultRecord)).toEqual({ ...old, jobKey: 'sha:model:hash' });
    const current = version('ask/1');
    expect(migrateResult(current)).toBe(current);
  });
});

describe('mergeVersion', () => {
  it('adds a new version, adds a verification to the same one, and never replaces another text', () => {
    const here = version('ask/1');
    expect(mergeVersion(undefined, here)).toBe(here);
    expect(mergeVersion(here, { ...here, verifiedAt: 4 })).toEqual({ ...here, verifiedAt: 4 });
    expect(mergeVersion({ ...here, verifiedAt: 4 }, here)).toBeUndefined();
    expect(mergeVersion(here, { ...here, text: 'other' })).toBeUndefined();
  });
});

describe('describeAuthor', () => {
  it('says which model and engine wrote a text, and which version a person edited', () => {
    const model = version('m1', { engine: 'Ollama at localhost:11434', createdAt: Date.UTC(2024, 0, 1) });
    expect(describeAuthor(model, [model])).toBe('gemma3:4b on Ollama at localhost:11434');
    const mine = version('mine', { author: 'person', editedFrom: 'm1' });
    expect(describeAuthor(mine, [model, mine])).toMatch(/^Edited by you from gemma3:4b's text of /);
    expect(describeAuthor(version('typed', { author: 'person' }), [])).toBe('Written by you');
  });
});
