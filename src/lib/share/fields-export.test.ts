import { describe, expect, it } from 'vitest';
import type { ImageRecord, ResultRecord } from '../library/types.ts';
import { ALT_TEXT_SCHEMA } from '../tasks/presets.ts';
import { buildResultsCsv } from './csv.ts';
import { buildResultsJson } from './manifest.ts';

const image: ImageRecord = { sha256: 'a'.repeat(64), name: 'kite.png', type: 'image/png', size: 1, width: 1, height: 1, addedAt: 0, isDecorative: true };
const base: ResultRecord = {
  key: 'k1', jobKey: 'k1', sha256: image.sha256, model: 'gemma3:4b', taskId: 'alt-text-structured', prompt: 'p', options: { maxSide: 1024 },
  text: '{"alt":"A kite","is_decorative":false}', author: 'model', createdAt: 2, format: ALT_TEXT_SCHEMA, fields: { alt: 'A kite', is_decorative: false },
};
const other: ResultRecord = { ...base, key: 'k2', model: 'moondream', createdAt: 1, text: 'oops', fields: undefined, schemaError: 'The reply is not valid JSON.', needsReview: true, reviewReason: 'The reply is not valid JSON.' };

describe('structured results in the export', () => {
  it('writes the fields, the schema and a mismatch in results.json, and the decorative mark', () => {
    const json = buildResultsJson([image], [base, other]);
    expect(json.items[0]?.decorative).toBe(true);
    expect(json.items[0]?.results[0]).toMatchObject({ fields: { alt: 'A kite', is_decorative: false }, format: ALT_TEXT_SCHEMA });
    expect(json.items[0]?.results[1]).toMatchObject({ schemaError: 'The reply is not valid JSON.', needsReview: true });
    expect(json.items[0]?.results[1]?.fields).toBeUndefined();
  });
  it('gives results.csv one column per top-level field, empty where a result has none', () => {
    const lines = buildResultsCsv(buildResultsJson([image], [base, other])).replace('\uFEFF', '').split('\r\n');
    expect(lines[0]).toBe('file,task,text,model,author,verified,preferred,confidence,truncated,alt,is_decorative');
    expect(lines[1]).toBe('kite.png,alt-text-structured,"{""alt"":""A kite"",""is_decorative"":false}",gemma3:4b,model,,yes,,,A kite,false');
    expect(lines[2]).toBe('kite.png,alt-text-structured,oops,moondream,model,,,,,,');
  });
  it('keeps the plain header when no result is structured', () => {
    const csv = buildResultsCsv(buildResultsJson([image], [{ ...base, fields: undefined }]));
    expect(csv.replace('\uFEFF', '').split('\r\n')[0]).toBe('file,task,text,model,author,verified,preferred,confidence,truncated');
  });
});
