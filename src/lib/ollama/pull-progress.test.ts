import { describe, expect, it } from 'vitest';
import { foldPullProgress } from './pull-progress.ts';

describe('foldPullProgress', () => {
  it('sums bytes over layers and keeps them through the steps without byte counts', () => {
    const layers = new Map<string, { completed: number; total: number }>();
    const fold = (line: Parameters<typeof foldPullProgress>[1]) => foldPullProgress(layers, line);
    expect(fold({ status: 'pulling manifest' })).toEqual({ status: 'pulling manifest', completed: 0, total: 0, percent: 0 });
    // The first line of a layer has no `completed` (omitempty).
    expect(fold({ status: 'pulling aaa', digest: 'sha256:aaa', total: 1000 })).toMatchObject({ completed: 0, total: 1000, percent: 0 });
    expect(fold({ status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 500 })).toMatchObject({ percent: 50 });
    expect(fold({ status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 1000 })).toMatchObject({ percent: 100 });
    // A second layer joins the total when it starts.
    expect(fold({ status: 'pulling bbb', digest: 'sha256:bbb', total: 1000 })).toMatchObject({ completed: 1000, total: 2000, percent: 50 });
    expect(fold({ status: 'pulling bbb', digest: 'sha256:bbb', total: 1000, completed: 1000 })).toMatchObject({ percent: 100 });
    expect(fold({ status: 'verifying sha256 digest' })).toEqual({ status: 'verifying sha256 digest', completed: 2000, total: 2000, percent: 100 });
    expect(fold({ status: 'writing manifest' })).toMatchObject({ status: 'writing manifest', percent: 100 });
  });

  it('does not round up to 100% before the last byte', () => {
    const layers = new Map<string, { completed: number; total: number }>();
    expect(foldPullProgress(layers, { status: 'pulling a', digest: 'a', total: 1000, completed: 996 }).percent).toBe(99);
  });
});
