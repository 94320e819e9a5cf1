import { describe, expect, it } from 'vitest';
import { isTabMessage } from './messages.ts';
import { buildQueueSnapshot, SnapshotPublisher, type QueueView } from './snapshot.ts';

const progress = { done: 1, failed: 0, needsReview: 0, remaining: 2, perMinute: undefined, etaMs: undefined };

function view(text: string): QueueView {
  return {
    jobs: [
      { job: { key: 'k1', sha256: 'a' }, phase: 'streaming', text, error: '', waitReason: '', slotId: 's1' },
      { job: { key: 'k2', sha256: 'b' }, phase: 'paused', text: '', error: '', waitReason: 'Waiting for a model…', slotId: undefined },
    ],
    isPaused: false,
    progress,
    statsFor: () => ({ running: 1, done: 1, perMinute: undefined }),
  };
}

describe('queue snapshots', () => {
  it('carries what a follower shows, leaving out empty fields', () => {
    const snapshot = buildQueueSnapshot(view('Hello'), ['s1']);
    expect(snapshot.jobs).toEqual([
      { key: 'k1', sha256: 'a', phase: 'streaming', text: 'Hello', slotId: 's1' },
      { key: 'k2', sha256: 'b', phase: 'paused', waitReason: 'Waiting for a model…' },
    ]);
    expect(snapshot.slots).toEqual({ s1: { running: 1, done: 1, perMinute: undefined } });
    expect(isTabMessage({ type: 'queue-snapshot', snapshot })).toBe(true);
  });

  it('keeps the end of a very long streaming text', () => {
    const text = 'a'.repeat(30_000) + 'THE END';
    expect(buildQueueSnapshot(view(text), []).jobs[0]?.text?.endsWith('THE END')).toBe(true);
    expect(buildQueueSnapshot(view(text), []).jobs[0]?.text?.length).toBe(20_000);
  });

  it('posts only when the queue changed, unless asked again', () => {
    let text = 'Hel';
    const posted: string[] = [];
    const publisher = new SnapshotPublisher(() => buildQueueSnapshot(view(text), []), (s) => posted.push(s.jobs[0]?.text ?? ''));
    publisher.publish();
    publisher.publish();
    text = 'Hello';
    publisher.publish();
    publisher.republish();
    expect(posted).toEqual(['Hel', 'Hello', 'Hello']);
  });

  it('ignores messages of another kind', () => {
    expect(isTabMessage({ type: 'something-else' })).toBe(false);
    expect(isTabMessage('images-changed')).toBe(false);
  });
});
