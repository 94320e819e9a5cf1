// Builds a request body without copying image bytes through a JS string: base64 images given as
// bytes are spliced into the JSON as Blob parts, so a 3 MB image never becomes a 3 MB string here.

const MARK = '\u0000lenscribe-image-';

/** JSON-encode a value whose `images` entries may be Uint8Array (ASCII base64) into a Blob. */
export function toJsonBody(value: unknown): Blob {
  const parts: Uint8Array[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) {
      parts.push(v);
      return `${MARK}${parts.length - 1}`;
    }
    return v;
  });
  if (parts.length === 0) return new Blob([json]);
  const pieces: BlobPart[] = [];
  // JSON.stringify escapes U+0000 as \u0000, so the marker appears in its escaped form.
  const escaped = JSON.stringify(MARK).slice(1, -1);
  const pattern = new RegExp(`"${escaped.replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  let last = 0;
  for (const match of json.matchAll(pattern)) {
    pieces.push(json.slice(last, match.index), '"', parts[Number(match[1])] as BlobPart, '"');
    last = match.index + match[0].length;
  }
  pieces.push(json.slice(last));
  return new Blob(pieces);
}
