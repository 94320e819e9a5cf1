// Results as one Markdown text for the clipboard.

/** One result alone is just its text; several get "## name" headings, separated by blank lines. */
export function formatForClipboard(items: readonly { name: string; text: string }[]): string {
  const [only] = items;
  if (items.length === 1 && only) return only.text;
  // A newline in a name would end the heading and turn the rest into body text.
  return items.map(({ name, text }) => `## ${name.replace(/\s+/g, ' ').trim()}\n\n${text.trim()}`).join('\n\n');
}
