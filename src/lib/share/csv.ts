// results.csv: one row per result, for spreadsheets. results.json is the exact, lossless copy.
import { formatFieldValue } from '../tasks/fields.ts';
import type { ResultsJson } from './manifest.ts';

/** The header row of results.csv. */
export const CSV_HEADER = ['file', 'task', 'text', 'model', 'author', 'verified', 'preferred', 'confidence', 'truncated'] as const;

// Excel and LibreOffice run a cell starting with these as a formula (OWASP "CSV injection"), and
// a formula can fetch URLs or run commands. A leading apostrophe makes the cell plain text.
// The cost: a text that starts with "-" (a Markdown list) or "=" shows the apostrophe in the sheet.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, defused against formula injection and quoted per RFC 4180 where needed. */
export function escapeCsvCell(value: string): string {
  const defused = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/** A CSV file: UTF-8 BOM (so Excel reads it as UTF-8), CRLF line ends (RFC 4180). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(escapeCsvCell).join(',')).join('\r\n')}\r\n`;
}

const yes = (flag: boolean | undefined) => (flag ? 'yes' : '');

/** Every top-level field name of the structured results, in order of first appearance: one column each. */
function collectFieldNames(json: ResultsJson): string[] {
  const names = new Set<string>();
  for (const item of json.items) for (const result of item.results) for (const name of Object.keys(result.fields ?? {})) names.add(name);
  return [...names];
}

/**
 * results.csv for a results.json: a header, then every version of each image, each task's preferred
 * one first. `author` is "model" or "person"; `verified`, `preferred` and `truncated` (a reply cut
 * by the token limit) are "yes" or empty; `confidence` is the engine's number, empty when it gave
 * none; then one column per structured field (named as in the schema, "field:" in front if it
 * would clash with a fixed column).
 */
export function buildResultsCsv(json: ResultsJson): string {
  const fieldNames = collectFieldNames(json);
  const header = [...CSV_HEADER, ...fieldNames.map((n) => ((CSV_HEADER as readonly string[]).includes(n) ? `field:${n}` : n))];
  const rows = json.items.flatMap((item) =>
    item.results.map((r) => [
      item.image, r.task, r.text, r.model, r.author, yes(r.verified), yes(r.preferred),
      r.confidence === undefined ? '' : String(r.confidence.mean), yes(r.truncated),
      ...fieldNames.map((n) => formatFieldValue(r.fields?.[n])),
    ]),
  );
  return formatCsv([header, ...rows]);
}
