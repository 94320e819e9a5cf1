import { describe, expect, it } from 'vitest';
import { findTransferables } from './protocol.ts';

describe('findTransferables', () => {
  it("finds an image's bytes and those of each of its tiles, once each", () => {
    const first = new Uint8Array(8);
    const second = new Uint8Array(8);
    const found = findTransferables({ base64: first, width: 1, tiles: [{ base64: first, top: 0 }, { base64: second, top: 4 }] });
    expect(found).toEqual([first.buffer, second.buffer]);
  });
});
