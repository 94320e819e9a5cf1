import { describe, expect, it } from 'vitest';
import { ALT_TEXT_SCHEMA } from './presets.ts';
import { describeSchemaProblem, readStructuredReply } from './structured.ts';

describe('structured replies', () => {
  it('parses a reply that matches the schema into its fields', () => {
    expect(readStructuredReply('{"alt":"A red kite over a field","is_decorative":false}', ALT_TEXT_SCHEMA)).toEqual({
      fields: { alt: 'A red kite over a field', is_decorative: false },
    });
  });
  it('reads JSON a model wrapped in a code fence', () => {
    expect(readStructuredReply('```json\n{"alt":"","is_decorative":true}\n```', ALT_TEXT_SCHEMA).fields).toEqual({ alt: '', is_decorative: true });
  });
  it('flags a reply whose field has the wrong type, naming the field', () => {
    const read = readStructuredReply('{"alt":"A kite","is_decorative":"no"}', ALT_TEXT_SCHEMA);
    expect(read.fields).toBeUndefined();
    expect(read.error).toMatch(/does not match the schema: \/is_decorative: .*boolean/);
  });
  it('flags a missing required field', () => {
    expect(readStructuredReply('{"alt":"A kite"}', ALT_TEXT_SCHEMA).error).toContain('is_decorative');
  });
  it('flags text that is not JSON, and JSON that is not an object', () => {
    expect(readStructuredReply('A red kite over a field.', ALT_TEXT_SCHEMA).error).toBe('The reply is not valid JSON.');
    expect(readStructuredReply('["a"]', ALT_TEXT_SCHEMA).error).toContain('not an object');
    expect(readStructuredReply('{"alt":"A ki', ALT_TEXT_SCHEMA).error).toBe('The reply is not valid JSON.');
  });
  it('accepts only object schemas with fields', () => {
    expect(describeSchemaProblem(ALT_TEXT_SCHEMA)).toBe('');
    expect(describeSchemaProblem('json')).toContain('JSON object');
    expect(describeSchemaProblem({ type: 'string' })).toContain('"type": "object"');
    expect(describeSchemaProblem({ type: 'object', properties: {} })).toContain('at least one field');
  });
});
