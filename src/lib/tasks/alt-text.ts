// Alt-text hygiene: what screen-reader users and accessibility guides ask of alt text, checked on a
// model's (or a person's) text so a person can fix it before it ships.

/** Past this many characters alt text is hard to follow when read aloud (the usual guideline). */
export const ALT_TEXT_MAX_LENGTH = 125;

/** One thing to fix in an alt text. */
export interface AltTextNote {
  kind: 'too-long' | 'redundant-opening' | 'empty';
  message: string;
}

// A screen reader already says "image": openings that repeat it waste the listener's time.
const REDUNDANT_OPENING = /^\s*["“']?\s*(?:(?:an?|the|this)\s+)?(?:image|picture|photo|photograph|graphic|illustration|screenshot|drawing)\s+(?:of|showing|shows|depicting|with)\b/i;

/** What to fix in an alt text; none when it is fine. */
export function checkAltText(text: string): AltTextNote[] {
  const trimmed = text.trim();
  if (!trimmed) return [{ kind: 'empty', message: 'The alt text is empty: mark the image as decorative if it adds no information.' }];
  const notes: AltTextNote[] = [];
  const length = [...trimmed].length;
  if (length > ALT_TEXT_MAX_LENGTH) {
    notes.push({ kind: 'too-long', message: `${length} characters: alt text over about ${ALT_TEXT_MAX_LENGTH} is hard to follow when read aloud; shorten it.` });
  }
  const opening = REDUNDANT_OPENING.exec(trimmed);
  if (opening) {
    notes.push({ kind: 'redundant-opening', message: `Starts with "${opening[0].trim()}": screen readers already say it is an image; start with what it shows.` });
  }
  return notes;
}

/** The alt text of a result: the `alt` field of a structured reply, else its text. */
export function altTextOf(result: { text: string; fields?: Record<string, unknown> }): string {
  const alt = result.fields?.['alt'];
  return typeof alt === 'string' ? alt : result.text;
}

/** What to fix in a result's alt text; nothing for an image marked decorative (its alt text is exported empty) or one the model called decorative. */
export function checkAltTextResult(result: { text: string; fields?: Record<string, unknown> }, isDecorative: boolean): AltTextNote[] {
  if (isDecorative || result.fields?.['is_decorative'] === true) return [];
  return checkAltText(altTextOf(result));
}

/**
 * Results as exported: the alt text of an image a person marked decorative is empty (alt=""), in
 * its text and in a structured reply's `alt` field, so a page built from the export hides it from
 * screen readers. Other results are returned as they are.
 */
export function blankDecorativeAltTexts<R extends { sha256: string; taskId: string; text: string; fields?: Record<string, unknown> }>(
  results: readonly R[],
  decorative: ReadonlySet<string>,
  isAltTextTask: (taskId: string) => boolean,
): R[] {
  return results.map((result) => {
    if (!decorative.has(result.sha256) || !isAltTextTask(result.taskId)) return result;
    const blanked: R = { ...result, text: '' };
    if (result.fields && 'alt' in result.fields) blanked.fields = { ...result.fields, alt: '' };
    return blanked;
  });
}
