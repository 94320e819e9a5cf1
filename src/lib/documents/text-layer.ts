// A PDF page's own text (its text layer), as pdf.js's getTextContent gives it, turned into lines.

/** The part of a pdf.js text item this needs: marked-content markers have no `str`. */
export interface TextLayerItem {
  str?: string;
  hasEOL?: boolean;
}

/** The items' strings in content order, a line break where pdf.js marks one, tidy whitespace. */
export function joinTextItems(items: readonly TextLayerItem[]): string {
  let text = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    // Paragraphs keep one blank line between them, never more.
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
