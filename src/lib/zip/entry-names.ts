// What a zip entry's name may be, and its length as the zip format counts it (UTF-8 bytes).

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Bytes `text` takes in UTF-8, without encoding it. */
export function measureUtf8(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A zip entry name that cannot escape the folder it is extracted into. */
export function isSafeEntryName(path: string): boolean {
  // ":" would be a drive ("C:x") or an NTFS stream ("a:b") on Windows; Lenscribe never writes one.
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes(':') || HAS_CONTROL.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
