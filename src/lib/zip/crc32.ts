// CRC-32 (IEEE 802.3, as zip uses it). fflate checks no CRC when unzipping, so import checks here;
// export checksums every stored image here too, so this is on the export's critical path.

// Slicing-by-16 (Intel's method, as zlib and Chromium's zlib use): 16 tables, 16 bytes per step,
// about 4× faster than a byte at a time in V8. Table k advances a byte's CRC by k more zero bytes.
const TABLES = /* @__PURE__ */ (() => {
  const tables = new Int32Array(256 * 16);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let k = 1; k < 16; k++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[k * 256 + n] = c;
    }
  }
  return tables;
})();

// Words are read through an Int32Array, which follows the platform's byte order; the CRC's
// arithmetic wants little-endian (every browser platform is), so big-endian goes byte by byte.
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The CRC-32 of `bytes` as an unsigned 32-bit number. */
export function computeCrc32(bytes: Uint8Array): number {
  return updateCrc32(0, bytes);
}

/** The CRC-32 of what `crc` covered followed by `bytes`: feed a stream piece by piece from 0. */
export function updateCrc32(crc: number, bytes: Uint8Array): number {
  const t = TABLES;
  let c = ~crc;
  let i = 0;
  // Bytes one at a time up to a 4-byte boundary, so the words below are aligned.
  const head = IS_LITTLE_ENDIAN ? Math.min(bytes.length, (4 - (bytes.byteOffset & 3)) & 3) : bytes.length;
  for (; i < head; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  const blocks = (bytes.length - i) >>> 4;
  if (blocks > 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, blocks * 4);
    for (let w = 0; w < words.length; w += 4) {
      const a = words[w]! ^ c;
      const b = words[w + 1]!;
      const d = words[w + 2]!;
      const e = words[w + 3]!;
      c = t[3840 + (a & 0xff)]! ^ t[3584 + ((a >>> 8) & 0xff)]! ^ t[3328 + ((a >>> 16) & 0xff)]! ^ t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^ t[2560 + ((b >>> 8) & 0xff)]! ^ t[2304 + ((b >>> 16) & 0xff)]! ^ t[2048 + (b >>> 24)]! ^
        t[1792 + (d & 0xff)]! ^ t[1536 + ((d >>> 8) & 0xff)]! ^ t[1280 + ((d >>> 16) & 0xff)]! ^ t[1024 + (d >>> 24)]! ^
        t[768 + (e & 0xff)]! ^ t[512 + ((e >>> 8) & 0xff)]! ^ t[256 + ((e >>> 16) & 0xff)]! ^ t[e >>> 24]!;
    }
    i += blocks * 16;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
