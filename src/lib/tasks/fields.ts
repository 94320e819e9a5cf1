// How a structured reply's fields read as text, in the detail view and in results.csv.

/** A field's value as one line of text: strings as they are, anything else as JSON. */
export function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** A field name as people read it: "is_decorative" → "Is decorative". */
export function formatFieldName(name: string): string {
  const spaced = name.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : name;
}
