// Exact area-average downscaling: each output pixel is the mean of the source area it covers,
// partial pixels weighted by coverage. For text this keeps thin strokes that bilinear or bicubic
// sampling at a large factor drops (legibility.e2e.ts measures it). Runs in the image worker.
// The source arrives in horizontal bands, so a 100 MP photo never exists as one 400 MB ImageData.

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

/**
 * Downscales RGBA rows fed top to bottom in bands of any height. Each source row is averaged
 * horizontally (into Float32, as a whole-image pass would keep it) and added straight into the at
 * most two output rows it covers, so memory is one output image plus two rows of sums.
 */
export class AreaAverager {
  readonly #sourceWidth: number;
  readonly #sourceHeight: number;
  readonly #width: number;
  readonly #columns: Span[];
  readonly #rows: Span[];
  readonly #out: Uint8ClampedArray<ArrayBuffer>;
  readonly #line: Float32Array;
  /** Sums of the output rows still open, by output row index. */
  readonly #open = new Map<number, Float64Array>();
  #nextSourceRow = 0;
  #firstOpenRow = 0;

  constructor(sourceWidth: number, sourceHeight: number, width: number, height: number) {
    this.#sourceWidth = sourceWidth;
    this.#sourceHeight = sourceHeight;
    this.#width = width;
    this.#columns = spans(sourceWidth, width);
    this.#rows = spans(sourceHeight, height);
    this.#out = new Uint8ClampedArray(width * height * 4);
    this.#line = new Float32Array(width * 4);
  }

  /** Add the next `rowCount` source rows (RGBA, sourceWidth wide). */
  addRows(band: Uint8ClampedArray, rowCount = band.length / (this.#sourceWidth * 4)): void {
    for (let r = 0; r < rowCount; r++) this.#addRow(band, r * this.#sourceWidth * 4);
  }

  /** The downscaled image, once every source row has been added. */
  finish(): Uint8ClampedArray<ArrayBuffer> {
    if (this.#nextSourceRow !== this.#sourceHeight) throw new Error(`Only ${this.#nextSourceRow} of ${this.#sourceHeight} rows were added.`);
    return this.#out;
  }

  #addRow(source: Uint8ClampedArray, rowStart: number): void {
    const y = this.#nextSourceRow++;
    const width = this.#width;
    const line = this.#line;
    for (let x = 0; x < width; x++) {
      const { start, weights } = this.#columns[x] as Span;
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k] as number;
        const p = rowStart + (start + k) * 4;
        r += (source[p] as number) * w;
        g += (source[p + 1] as number) * w;
        b += (source[p + 2] as number) * w;
        a += (source[p + 3] as number) * w;
      }
      const o = x * 4;
      line[o] = r;
      line[o + 1] = g;
      line[o + 2] = b;
      line[o + 3] = a;
    }
    // A source row covers at most two output rows when downscaling.
    for (let i = this.#firstOpenRow; i < this.#rows.length; i++) {
      const { start, weights } = this.#rows[i] as Span;
      if (start > y) break;
      const w = weights[y - start] as number;
      let sums = this.#open.get(i);
      if (!sums) this.#open.set(i, (sums = new Float64Array(width * 4)));
      for (let c = 0; c < sums.length; c++) sums[c] = (sums[c] as number) + (line[c] as number) * w;
      if (y === start + weights.length - 1) this.#closeRow(i, sums);
    }
  }

  #closeRow(i: number, sums: Float64Array): void {
    // Uint8ClampedArray rounds to nearest on assignment.
    this.#out.set(sums, i * this.#width * 4);
    this.#open.delete(i);
    this.#firstOpenRow = i + 1;
  }
}

/** Downscale RGBA pixels to width×height by area averaging (never call it to upscale). */
export function areaAverage(
  source: Uint8ClampedArray,
  sourceWidth: number,
  sourceHeight: number,
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> {
  const averager = new AreaAverager(sourceWidth, sourceHeight, width, height);
  averager.addRows(source, sourceHeight);
  return averager.finish();
}
