// Exact area-average downscaling: each output pixel is the mean of the source area it covers,
// partial pixels weighted by coverage. For text this keeps thin strokes that bilinear or bicubic
// sampling at a large factor drops (legibility.e2e.ts measures it). Runs in the image worker.

interface Span {
  start: number;
  weights: Float32Array;
}

/** For each output index, the source indices it covers and how much of each. */
function spans(sourceSize: number, targetSize: number): Span[] {
  const scale = sourceSize / targetSize;
  const out: Span[] = [];
  for (let i = 0; i < targetSize; i++) {
    const from = i * scale;
    const to = Math.min(sourceSize, (i + 1) * scale);
    const start = Math.floor(from);
    const end = Math.ceil(to);
    const weights = new Float32Array(end - start);
    for (let s = start; s < end; s++) weights[s - start] = (Math.min(s + 1, to) - Math.max(s, from)) / scale;
    out.push({ start, weights });
  }
  return out;
}

/** Downscale RGBA pixels to width×height by area averaging (never call it to upscale). */
export function areaAverage(
  source: Uint8ClampedArray,
  sourceWidth: number,
  sourceHeight: number,
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> {
  const columns = spans(sourceWidth, width);
  const rows = spans(sourceHeight, height);
  // Horizontal pass into floats, one source row at a time.
  const middle = new Float32Array(width * sourceHeight * 4);
  for (let y = 0; y < sourceHeight; y++) {
    const rowStart = y * sourceWidth * 4;
    for (let x = 0; x < width; x++) {
      const { start, weights } = columns[x] as Span;
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k] as number;
        const p = rowStart + (start + k) * 4;
        r += (source[p] as number) * w;
        g += (source[p + 1] as number) * w;
        b += (source[p + 2] as number) * w;
        a += (source[p + 3] as number) * w;
      }
      const o = (y * width + x) * 4;
      middle[o] = r;
      middle[o + 1] = g;
      middle[o + 2] = b;
      middle[o + 3] = a;
    }
  }
  // Vertical pass.
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const { start, weights } = rows[y] as Span;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k] as number;
        const p = ((start + k) * width + x) * 4;
        r += (middle[p] as number) * w;
        g += (middle[p + 1] as number) * w;
        b += (middle[p + 2] as number) * w;
        a += (middle[p + 3] as number) * w;
      }
      const o = (y * width + x) * 4;
      out[o] = r; // Uint8ClampedArray rounds to nearest on assignment
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return out;
}
