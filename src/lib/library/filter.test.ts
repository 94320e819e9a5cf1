import { describe, expect, it } from 'vitest';
import { type FilterSource, type JobFacts, type LibraryFilter, NO_FILTER, filterImages } from './filter.ts';
import { SearchIndex } from './search.ts';
import type { ImageRecord, ResultRecord } from './types.ts';

const image = (sha256: string, name: string): ImageRecord => ({ sha256, name, type: 'image/png', size: 1, width: 1, height: 1, addedAt: 0 });
const result = (sha256: string, model: string, taskId: string, text: string, extra: Partial<ResultRecord> = {}): ResultRecord => ({
  key: `${sha256}:${model}:${taskId}`, sha256, model, taskId, prompt: 'p', options: { maxSide: 1 }, text, author: 'model', createdAt: 0, ...extra,
  jobKey: extra.jobKey ?? `${sha256}:${model}:${taskId}`,
});

const IMAGES = [image('a', 'IMG_0001.jpg'), image('b', 'receipt-Mürz.png'), image('c', 'scan.png'), image('d', 'new.png'), image('e', 'broken.png')];
const RESULTS = [
  result('a', 'gemma3:4b', 'extract-markdown', 'Invoice total 42'),
  result('a', 'qwen2.5vl:3b', 'describe', 'A sheet of paper'),
  result('b', 'gemma3:4b', 'extract-markdown', 'Café receipt', { isTruncated: true }),
  result('c', 'qwen2.5vl:3b', 'extract-markdown', 'Handwritten notes', { needsReview: true }),
];
const JOBS: [string, JobFacts[]][] = [
  ['d', [{ model: 'gemma3:4b', taskId: 'extract-markdown', isFailed: false }]],
  ['e', [{ model: 'gemma3:4b', taskId: 'describe', isFailed: true }]],
  ['c', [{ model: 'gemma3:4b', taskId: 'extract-markdown', isFailed: true }]],
];

function source(): FilterSource {
  const index = new SearchIndex();
  for (const r of RESULTS) index.put(r);
  const resultsByImage = new Map<string, ResultRecord[]>();
  for (const r of RESULTS) resultsByImage.set(r.sha256, [...(resultsByImage.get(r.sha256) ?? []), r]);
  return { images: IMAGES, resultsByImage, jobsByImage: new Map(JOBS), findText: (term) => index.findPrefix(term) };
}

const shown = (filter: Partial<LibraryFilter>) => filterImages(source(), { ...NO_FILTER, ...filter }).shown.map((i) => i.sha256);

describe('filterImages', () => {
  it('shows everything, in order, with no filter', () => {
    expect(shown({})).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('filters by status; failed includes queue failures and statuses overlap', () => {
    expect(shown({ status: 'done' })).toEqual(['a', 'b', 'c']);
    expect(shown({ status: 'failed' })).toEqual(['c', 'e']);
    expect(shown({ status: 'truncated' })).toEqual(['b']);
    expect(shown({ status: 'needs-review' })).toEqual(['c']);
    // Queued (d) counts as not run until its text is in; failed (e) does not.
    expect(shown({ status: 'not-run' })).toEqual(['d']);
  });

  it('counts every status under the other filters', () => {
    expect(filterImages(source(), NO_FILTER).counts).toEqual({ all: 5, done: 3, failed: 2, 'needs-review': 1, truncated: 1, 'not-run': 1 });
    expect(filterImages(source(), { ...NO_FILTER, model: 'qwen2.5vl:3b' }).counts).toEqual({ all: 2, done: 2, failed: 0, 'needs-review': 1, truncated: 0, 'not-run': 0 });
  });

  it('filters by model and task, together meaning one result (or run) of both', () => {
    expect(shown({ model: 'gemma3:4b' })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(shown({ model: 'qwen2.5vl:3b' })).toEqual(['a', 'c']);
    expect(shown({ taskId: 'describe' })).toEqual(['a', 'e']);
    expect(shown({ model: 'qwen2.5vl:3b', taskId: 'describe' })).toEqual(['a']);
    expect(shown({ model: 'gemma3:4b', status: 'failed' })).toEqual(['c', 'e']);
    // c's gemma run failed and it has no gemma result: under that model it is failed, not done.
    expect(shown({ model: 'gemma3:4b', status: 'done' })).toEqual(['a', 'b']);
  });

  it('searches result texts by word prefix and file names by substring, every term', () => {
    expect(shown({ query: 'invo' })).toEqual(['a']);
    expect(shown({ query: 'CAFE' })).toEqual(['b']);
    expect(shown({ query: 'murz' })).toEqual(['b']);
    expect(shown({ query: '0001' })).toEqual(['a']);
    // One term in the name, the other in the text.
    expect(shown({ query: 'img total' })).toEqual(['a']);
    expect(shown({ query: 'img notes' })).toEqual([]);
    expect(shown({ query: 'png', status: 'truncated' })).toEqual(['b']);
    expect(filterImages(source(), { ...NO_FILTER, query: 'png' }).counts.all).toBe(4);
  });
});
