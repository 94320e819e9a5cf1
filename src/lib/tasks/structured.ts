// Structured replies: a model asked for JSON held to a schema (Ollama `format`) is not bound to
// keep to it (older servers ignore the schema, a reply cut by the token limit is half an object),
// so every reply is parsed and validated here. @cfworker/json-schema interprets the schema (no
// eval or new Function, which the page's CSP forbids, unlike Ajv's compiled validators).
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { JsonSchema } from './presets.ts';

/** A reply read against its schema: the top-level fields, or why it does not match. */
export type StructuredReply = { fields: Record<string, unknown>; error?: undefined } | { fields?: undefined; error: string };

/** Why a schema cannot be used for structured output, or '' when it can. */
export function describeSchemaProblem(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'The schema must be a JSON object.';
  const record = schema as Record<string, unknown>;
  if (record['type'] !== 'object') return 'The schema\'s top level must be "type": "object", so each field can be shown and exported.';
  const properties = record['properties'];
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties) || Object.keys(properties).length === 0) {
    return 'The schema needs "properties" naming at least one field.';
  }
  try {
    new Validator(record as Schema, '2020-12').validate({});
  } catch (error) {
    return `The schema cannot be used: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  return '';
}

/** The JSON inside a reply: models sometimes wrap it in a Markdown code fence despite the schema. */
function unwrapJson(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return (fenced?.[1] ?? text).trim();
}

/** The most specific messages of a failed validation ("/is_decorative: Instance type "string" is invalid…"). */
function describeErrors(errors: readonly OutputUnit[]): string {
  // Parent keywords only say "a property did not match"; their children say which and why.
  const summaries = new Set(['properties', 'items', 'allOf', 'anyOf', 'oneOf', '$ref', 'prefixItems', 'additionalProperties']);
  const specific = errors.filter((e) => !summaries.has(e.keyword));
  const chosen = (specific.length > 0 ? specific : errors).slice(0, 3);
  return chosen.map((e) => `${e.instanceLocation.replace(/^#/, '') || '/'}: ${e.error}`).join('; ');
}

/** Parse a reply as JSON and check it against the schema; a mismatch says why in words. */
export function readStructuredReply(text: string, schema: JsonSchema): StructuredReply {
  let value: unknown;
  try {
    value = JSON.parse(unwrapJson(text));
  } catch {
    return { error: 'The reply is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The reply is JSON but not an object with fields.' };
  let result;
  try {
    result = new Validator(schema as Schema, '2020-12', false).validate(value);
  } catch (error) {
    return { error: `The schema cannot be checked: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if (!result.valid) return { error: `The reply does not match the schema: ${describeErrors(result.errors)}` };
  return { fields: value as Record<string, unknown> };
}
