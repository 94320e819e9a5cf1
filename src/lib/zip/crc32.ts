// CRC-32 (IEEE 802.3, as zip uses it). fflate checks no CRC when unzipping, so import checks here.

const TABLE = /* @__PURE__ */ (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The CRC-32 of `bytes` as an unsigned 32-bit number. */
export function computeCrc32(bytes: Uint8Array): number {
  return updateCrc32(0, bytes);
}

/** The CRC-32 of what `crc` covered followed by `bytes`: feed a stream piece by piece from 0. */
export function updateCrc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
