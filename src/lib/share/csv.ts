// results.csv: one row per result, for spreadsheets. results.json is the exact, lossless copy.
import type { ResultsJson } from './manifest.ts';

/** The header row of results.csv. */
export const CSV_HEADER = ['file', 'text', 'model', 'author', 'truncated'] as const;

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

/** results.csv for a results.json: a header, then each image's results, the preferred one first; `truncated` is "yes" for a reply cut by the token limit. */
export function buildResultsCsv(json: ResultsJson): string {
  const rows = json.items.flatMap((item) => item.results.map((r) => [item.image, r.text, r.model, r.author, r.truncated ? 'yes' : '']));
  return formatCsv([CSV_HEADER, ...rows]);
}
