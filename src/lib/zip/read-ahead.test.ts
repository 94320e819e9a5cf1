import { describe, expect, it } from 'vitest';
import { BlobReadAhead } from './read-ahead.ts';

/** Blobs whose reads are counted while in flight and held until released. */
function watchedBlobs(sizes: number[]) {
  const state = { inFlight: 0, inFlightBytes: 0, maxInFlight: 0, maxInFlightBytes: 0, read: [] as string[] };
  const release: (() => void)[] = [];
  class WatchedBlob extends Blob {
    constructor(readonly label: string, parts: BlobPart[]) {
      super(parts);
    }
    override slice(start?: number, end?: number): Blob {
      return new WatchedBlob(`${this.label}[${start}:${end}]`, [super.slice(start, end)]);
    }
    override async arrayBuffer(): Promise<ArrayBuffer> {
      state.inFlight++;
      state.inFlightBytes += this.size;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      state.maxInFlightBytes = Math.max(state.maxInFlightBytes, state.inFlightBytes);
      state.read.push(this.label);
      await new Promise<void>((resolve) => release.push(resolve));
      state.inFlight--;
      state.inFlightBytes -= this.size;
      return super.arrayBuffer();
    }
  }
  const blobs = sizes.map((size, i) => new WatchedBlob(`b${i}`, [new Uint8Array(size).fill(i)]));
  // Release reads as they come, the way a disk answers.
  const timer = setInterval(() => release.splice(0).forEach((resolve) => resolve()), 1);
  return { blobs, state, stop: () => clearInterval(timer) };
}

describe('BlobReadAhead', () => {
  it('gives every piece in order, slicing a large file, with a bounded number of bytes and reads ahead', async () => {
    const { blobs, state, stop } = watchedBlobs([300, 300, 2500, 0, 300, 300, 300, 300]);
    try {
      const reader = new BlobReadAhead(blobs.map((blob) => ({ blob })), undefined, { aheadBytes: 1000, aheadReads: 3 });
      const pieces = [];
      for (let taken = 0; taken < 10; taken++) {
        const { blob, bytes, isLast } = await reader.next();
        pieces.push([blobs.indexOf(blob as (typeof blobs)[number]), bytes.length, bytes[0] ?? -1, isLast]);
      }
      expect(pieces).toEqual([
        [0, 300, 0, true], [1, 300, 1, true],
        [2, 1000, 2, false], [2, 1000, 2, false], [2, 500, 2, true],
        [3, 0, -1, true], [4, 300, 4, true], [5, 300, 5, true], [6, 300, 6, true], [7, 300, 7, true],
      ]);
      await expect(reader.next()).rejects.toThrow(/past the last/);
      expect(state.read.slice(0, 5)).toEqual(['b0', 'b1', 'b2[0:1000]', 'b2[1000:2000]', 'b2[2000:2500]']);
      // The piece being taken, and up to aheadReads queued behind it.
      expect(state.maxInFlight).toBe(4);
      // Reads are queued while under aheadBytes, so the queue passes it by one piece at most; plus the piece taken.
      expect(state.maxInFlightBytes).toBeLessThan(3 * 1000);
    } finally {
      stop();
    }
  });
});
