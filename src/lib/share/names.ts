// File names that Windows, macOS and Linux all accept, unique even where case is ignored.
import { measureUtf8 } from '../zip/entry-names.ts';

/** Longest name we write, in UTF-8 bytes: under every filesystem's 255 with room for a suffix. */
export const MAX_NAME_BYTES = 120;

// Windows refuses these in names; `/` and `\` would also make a name a path.
const FORBIDDEN = /[<>:"/\\|?*]/g;
// C0 and C1 control characters confuse terminals, zip tools and Windows alike.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi controls can disguise an extension ("photo\u202Egnp.exe" displays as "photoexe.png").
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Windows reserves device names even with an extension ("aux.txt") and before trailing spaces.
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const EDGE_DOTS_SPACES = /^[.\s]+|[.\s]+$/g;
const MAX_EXTENSION_LENGTH = 10;

/** Split "photo.jpeg" into ["photo", ".jpeg"]; a name without a plausible extension keeps it all. */
export function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  if (!extension || extension.length > MAX_EXTENSION_LENGTH + 1 || /\s/.test(extension)) return [name, ''];
  return [name.slice(0, dot), extension];
}

/** Shorten `stem` (whole graphemes, so accents and emoji stay intact) until stem + tail fits. */
export function fitName(stem: string, tail: string, maxBytes = MAX_NAME_BYTES): string {
  const budget = maxBytes - measureUtf8(tail);
  let kept = stem;
  if (measureUtf8(stem) > budget) {
    kept = '';
    let used = 0;
    for (const piece of splitGraphemes(stem)) {
      const size = measureUtf8(piece);
      if (used + size > budget) break;
      kept += piece;
      used += size;
    }
  }
  // Windows drops trailing dots and spaces, so "a." and "a" would collide there.
  return kept.replace(/[.\s]+$/, '') + tail;
}

function splitGraphemes(text: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return Array.from(text);
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
}

/** A name every filesystem accepts, from any name or path ("../../etc/passwd" → "passwd"). */
export function sanitizeFileName(name: string, fallback = 'image', maxBytes = MAX_NAME_BYTES): string {
  // Only the last segment: a zip of flat names cannot be extracted outside its folder.
  const segments = name.normalize('NFC').split(/[/\\]/);
  let safe = (segments.findLast((s) => s.trim() !== '') ?? '')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    // "_" rather than nothing, so "12:30" stays readable as "12_30".
    .replace(FORBIDDEN, '_')
    .replace(EDGE_DOTS_SPACES, '');
  const firstDot = safe.indexOf('.');
  const device = firstDot === -1 ? safe : safe.slice(0, firstDot);
  if (RESERVED.test(device.trimEnd())) safe = `${device.trimEnd()}_${firstDot === -1 ? '' : safe.slice(firstDot)}`;
  if (!safe) return fallback;
  const [stem, extension] = splitExtension(safe);
  const fitted = fitName(stem, extension, maxBytes);
  return fitted === extension ? fitName(fallback, extension, maxBytes) : fitted;
}

/** A short ASCII tag for a model or task name in a file name: "qwen2.5vl:7b" → "qwen2.5vl-7b". */
export function slugify(text: string, fallback: string, maxLength = 30): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .slice(0, maxLength)
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug || fallback;
}

/** Hands out names once each, comparing case-insensitively as Windows and macOS do. */
export class NameRegistry {
  readonly #taken = new Set<string>();

  /** `name` if free, else "stem (2).ext", "stem (3).ext"… shortened to fit MAX_NAME_BYTES. */
  claim(name: string): string {
    const [stem, extension] = splitExtension(name);
    return this.claimParts(stem, extension);
  }

  /** Like claim, with the extension given (so a stem containing dots is never split). */
  claimParts(stem: string, extension: string): string {
    for (let n = 1; ; n++) {
      const candidate = fitName(stem, `${n === 1 ? '' : ` (${n})`}${extension}`);
      const key = candidate.normalize('NFC').toLowerCase();
      if (!this.#taken.has(key)) {
        this.#taken.add(key);
        return candidate;
      }
    }
  }
}
