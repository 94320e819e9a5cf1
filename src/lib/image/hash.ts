// An image's identity: the SHA-256 of its original bytes, as lowercase hex.

/** Hex SHA-256 of some bytes (Web Crypto: in workers, pages and Node 20 alike). */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
