import { describe, expect, it } from 'vitest';
import { ALT_TEXT_SCHEMA } from '../tasks/presets.ts';
import { type JobDeps, runJob } from './run-job.ts';
import { FakeEngine, fakeEncoder, makeJob } from './test-fakes.ts';

function run(reply: string) {
  const engine = new FakeEngine([{ pieces: [reply] }]);
  const deps: JobDeps = { readImage: async () => new Blob(['original']), encoder: fakeEncoder(), engine, now: () => 42 };
  const job = makeJob('aa', { taskId: 'alt-text-structured', format: ALT_TEXT_SCHEMA });
  return { engine, result: runJob(job, deps, { signal: new AbortController().signal }) };
}

describe('runJob with a JSON Schema', () => {
  it('sends the schema as the request format and keeps the parsed fields', async () => {
    const { engine, result } = run('{"alt":"A red kite over a field","is_decorative":false}');
    const record = await result;
    expect(engine.requests[0]?.format).toEqual(ALT_TEXT_SCHEMA);
    expect(record).toMatchObject({ fields: { alt: 'A red kite over a field', is_decorative: false }, format: ALT_TEXT_SCHEMA });
    expect(record.needsReview).toBeUndefined();
    expect(record.schemaError).toBeUndefined();
  });

  it('keeps a reply that does not match, flagged for review with the reason', async () => {
    const record = await run('{"alt":"A red kite","is_decorative":"maybe"}').result;
    expect(record.text).toBe('{"alt":"A red kite","is_decorative":"maybe"}');
    expect(record.fields).toBeUndefined();
    expect(record.needsReview).toBe(true);
    expect(record.schemaError).toMatch(/\/is_decorative/);
    expect(record.reviewReason).toBe(record.schemaError);
  });

  it('sends no format for a free-text job', async () => {
    const engine = new FakeEngine([{ pieces: ['Hello'] }]);
    const deps: JobDeps = { readImage: async () => new Blob(['x']), encoder: fakeEncoder(), engine };
    const record = await runJob(makeJob(), deps, { signal: new AbortController().signal });
    expect(engine.requests[0]?.format).toBeUndefined();
    expect('fields' in record).toBe(false);
  });
});
