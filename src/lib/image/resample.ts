// Exact area-average downscaling: each output pixel is the mean of the source area it covers,
// partial pixels weighted by coverage. For text this keeps thin strokes that bilinear or bicubic
// sampling at a large factor drops (legibility.e2e.ts measures it). Runs in the image worker.
// The source arrives in horizontal bands, so a 100 MP photo never exists as one 400 MB ImageData.
//
// Coverage is counted in integers: along an axis of S source and T output pixels, a source pixel
// is T units long and an output pixel S units, so every overlap is a whole number of units. The
// sums are then exact (at most 255·S·S' < 2^53 in a Float64Array) and each output value is rounded
// once, from the true mean. Pixels wholly inside an output pixel (nearly all of them at a 4×
// reduction) are only added, never multiplied. Rows wholly inside an output row are first added
// column by column, two channels to an integer, so the horizontal pass runs once per output row
// for them rather than once per source row (a 24 MP photo fitted to 1,536 px: ~40 % less time).

/** Inner pixels a run may have for two 8-bit channels 16 bits apart to be summed in an int32. */
const PACKED_RUN_LIMIT = 127;
/** Most pixels a 16-bit lane may add up (rows stacked × columns in a run): 256 · 255 < 2^16. */
const STACKED_PIXEL_LIMIT = 256;

/** Where each output pixel's source run starts and ends, and the units of its two edge pixels. */
interface Axis {
  start: Int32Array;
  /** One past the last source pixel of the run. */
  end: Int32Array;
  firstUnits: Int32Array;
  lastUnits: Int32Array;
}

/** For each output index, the run of source pixels it covers, in units of 1/(source·target). */
function planAxis(sourceSize: number, targetSize: number): Axis {
  const start = new Int32Array(targetSize);
  const end = new Int32Array(targetSize);
  const firstUnits = new Int32Array(targetSize);
  const lastUnits = new Int32Array(targetSize);
  for (let i = 0; i < targetSize; i++) {
    const from = i * sourceSize;
    const to = (i + 1) * sourceSize;
    const first = Math.floor(from / targetSize);
    const last = Math.ceil(to / targetSize) - 1;
    start[i] = first;
    end[i] = last + 1;
    firstUnits[i] = Math.min((first + 1) * targetSize, to) - from;
    lastUnits[i] = to - Math.max(last * targetSize, from);
  }
  return { start, end, firstUnits, lastUnits };
}

/**
 * Downscales RGBA rows fed top to bottom in bands of any height. Each source row is summed
 * horizontally and added straight into the at most two output rows it covers, so memory is one
 * output image plus three rows of sums.
 */
export class AreaAverager {
  readonly #sourceWidth: number;
  readonly #sourceHeight: number;
  readonly #width: number;
  readonly #height: number;
  readonly #columns: Axis;
  readonly #rows: Axis;
  readonly #out: Uint8ClampedArray<ArrayBuffer>;
  readonly #line: Float64Array;
  /** Sums of the output row being filled and of the one after it. */
  #current: Float64Array;
  #next: Float64Array;
  #currentRow = 0;
  #nextSourceRow = 0;
  /** Whether a run's inner pixels can be summed two channels to a 32-bit integer (see #sumRowPacked). */
  readonly #isPackable: boolean;
  /** Whole rows of the current output row, added per source column: red and blue, green and alpha (see #stackRow). */
  readonly #stackRedBlue: Int32Array | undefined;
  readonly #stackGreenAlpha: Int32Array | undefined;
  #stacked = 0;

  constructor(sourceWidth: number, sourceHeight: number, width: number, height: number) {
    this.#sourceWidth = sourceWidth;
    this.#sourceHeight = sourceHeight;
    this.#width = width;
    this.#height = height;
    this.#columns = planAxis(sourceWidth, width);
    this.#rows = planAxis(sourceHeight, height);
    this.#out = new Uint8ClampedArray(width * height * 4);
    this.#line = new Float64Array(width * 4);
    this.#current = new Float64Array(width * 4);
    this.#next = new Float64Array(width * 4);
    this.#isPackable = Math.ceil(sourceWidth / width) < PACKED_RUN_LIMIT;
    const isStackable = this.#isPackable && Math.ceil(sourceWidth / width) * Math.ceil(sourceHeight / height) <= STACKED_PIXEL_LIMIT;
    // Int32, added with `| 0`: the sums stay in 32-bit integer arithmetic (a full high lane wraps
    // the sign, which `>>> 16` reads back correctly).
    this.#stackRedBlue = isStackable ? new Int32Array(sourceWidth) : undefined;
    this.#stackGreenAlpha = isStackable ? new Int32Array(sourceWidth) : undefined;
  }

  /** Add the next `rowCount` source rows, sourceWidth wide: RGBA, or any four-byte layout (every byte is averaged alike). */
  addRows(band: Uint8ClampedArray, rowCount = band.length / (this.#sourceWidth * 4)): void {
    const pixels = this.#isPackable && band.byteOffset % 4 === 0 ? new Uint32Array(band.buffer, band.byteOffset, band.length >> 2) : undefined;
    for (let r = 0; r < rowCount; r++) {
      if (pixels && this.#stackRedBlue && this.#isWholeRow()) {
        this.#stackRow(pixels, r * this.#sourceWidth);
        continue;
      }
      if (pixels) this.#sumRowPacked(pixels, r * this.#sourceWidth);
      else this.#sumRow(band, r * this.#sourceWidth * 4);
      this.#addLine();
    }
  }

  /** Whether the next source row lies wholly inside the output row being filled. */
  #isWholeRow(): boolean {
    const y = this.#nextSourceRow;
    const j = this.#currentRow;
    return y !== (this.#rows.end[j] as number) - 1 || this.#rows.lastUnits[j] === this.#height;
  }

  /** Add a whole row into the column stacks; the output row is closed after its last one. */
  #stackRow(pixels: Uint32Array, rowStart: number): void {
    const redBlue = this.#stackRedBlue as Int32Array;
    const greenAlpha = this.#stackGreenAlpha as Int32Array;
    const n = this.#sourceWidth;
    for (let x = 0; x < n; x++) {
      const v = pixels[rowStart + x] as number;
      redBlue[x] = ((redBlue[x] as number) + (v & 0xff00ff)) | 0;
      greenAlpha[x] = ((greenAlpha[x] as number) + ((v >>> 8) & 0xff00ff)) | 0;
    }
    this.#stacked++;
    const y = this.#nextSourceRow++;
    if (y === (this.#rows.end[this.#currentRow] as number) - 1) this.#closeRow();
  }

  /** The column stacks summed across each output pixel's run, like #sumRowPacked, added to the current row at full weight. */
  #addStack(): void {
    const redBlue = this.#stackRedBlue;
    const greenAlpha = this.#stackGreenAlpha;
    if (this.#stacked === 0 || !redBlue || !greenAlpha) return;
    const { start, end, firstUnits, lastUnits } = this.#columns;
    const inner = this.#width;
    const height = this.#height;
    const current = this.#current;
    const width = this.#width;
    for (let x = 0; x < width; x++) {
      let q = start[x] as number;
      const stop = (end[x] as number) - 1;
      const o = x * 4;
      let rb = redBlue[q] as number;
      let ga = greenAlpha[q] as number;
      let w = firstUnits[x] as number;
      let r = (rb & 0xffff) * w;
      let g = (ga & 0xffff) * w;
      let b = (rb >>> 16) * w;
      let a = (ga >>> 16) * w;
      if (q !== stop) {
        let innerRedBlue = 0;
        let innerGreenAlpha = 0;
        for (q++; q < stop; q++) {
          innerRedBlue = (innerRedBlue + (redBlue[q] as number)) | 0;
          innerGreenAlpha = (innerGreenAlpha + (greenAlpha[q] as number)) | 0;
        }
        rb = redBlue[stop] as number;
        ga = greenAlpha[stop] as number;
        w = lastUnits[x] as number;
        r += (innerRedBlue & 0xffff) * inner + (rb & 0xffff) * w;
        g += (innerGreenAlpha & 0xffff) * inner + (ga & 0xffff) * w;
        b += (innerRedBlue >>> 16) * inner + (rb >>> 16) * w;
        a += (innerGreenAlpha >>> 16) * inner + (ga >>> 16) * w;
      }
      current[o] = (current[o] as number) + r * height;
      current[o + 1] = (current[o + 1] as number) + g * height;
      current[o + 2] = (current[o + 2] as number) + b * height;
      current[o + 3] = (current[o + 3] as number) + a * height;
    }
    redBlue.fill(0);
    greenAlpha.fill(0);
    this.#stacked = 0;
  }

  /** The downscaled image, once every source row has been added. */
  finish(): Uint8ClampedArray<ArrayBuffer> {
    if (this.#nextSourceRow !== this.#sourceHeight) throw new Error(`Only ${this.#nextSourceRow} of ${this.#sourceHeight} rows were added.`);
    return this.#out;
  }

  /** Add the summed source row (#line) into the output rows it covers. */
  #addLine(): void {
    const y = this.#nextSourceRow++;
    const j = this.#currentRow;
    const rows = this.#rows;
    const line = this.#line;
    const current = this.#current;
    const n = line.length;
    const height = this.#height;
    const isLast = y === (rows.end[j] as number) - 1;
    // A row inside the output row weighs a whole pixel; only its last row may be shared with the
    // next output row (its first one, when shared, was added here as the previous row's last).
    const units = isLast ? (rows.lastUnits[j] as number) : height;
    if (units === height) {
      for (let c = 0; c < n; c++) current[c] = (current[c] as number) + (line[c] as number) * height;
    } else {
      const unitsNext = height - units;
      const next = this.#next;
      for (let c = 0; c < n; c++) {
        const v = line[c] as number;
        current[c] = (current[c] as number) + v * units;
        next[c] = (next[c] as number) + v * unitsNext;
      }
    }
    if (isLast) this.#closeRow();
  }

  /** The source row's horizontal sums, in units of 1/(sourceWidth·width) of a pixel's value. */
  #sumRow(source: Uint8ClampedArray, rowStart: number): void {
    const { start, end, firstUnits, lastUnits } = this.#columns;
    const inner = this.#width;
    const line = this.#line;
    const width = this.#width;
    for (let x = 0; x < width; x++) {
      const first = start[x] as number;
      const last = (end[x] as number) - 1;
      let p = rowStart + first * 4;
      let wf = firstUnits[x] as number;
      if (first === last) {
        const o = x * 4;
        line[o] = (source[p] as number) * wf;
        line[o + 1] = (source[p + 1] as number) * wf;
        line[o + 2] = (source[p + 2] as number) * wf;
        line[o + 3] = (source[p + 3] as number) * wf;
        continue;
      }
      const r = (source[p] as number) * wf;
      const g = (source[p + 1] as number) * wf;
      const b = (source[p + 2] as number) * wf;
      const a = (source[p + 3] as number) * wf;
      let ir = 0, ig = 0, ib = 0, ia = 0;
      const stop = rowStart + last * 4;
      for (p += 4; p < stop; p += 4) {
        ir += source[p] as number;
        ig += source[p + 1] as number;
        ib += source[p + 2] as number;
        ia += source[p + 3] as number;
      }
      wf = lastUnits[x] as number;
      const o = x * 4;
      line[o] = r + ir * inner + (source[stop] as number) * wf;
      line[o + 1] = g + ig * inner + (source[stop + 1] as number) * wf;
      line[o + 2] = b + ib * inner + (source[stop + 2] as number) * wf;
      line[o + 3] = a + ia * inner + (source[stop + 3] as number) * wf;
    }
  }

  /**
   * #sumRow on the row as 32-bit pixels (little-endian RGBA, as every browser lays out ImageData):
   * inner pixels are added two channels at a time, red and blue in one integer, green and alpha in
   * another, each 16 bits apart, which holds up to PACKED_RUN_LIMIT pixels without a carry.
   */
  #sumRowPacked(pixels: Uint32Array, rowStart: number): void {
    const { start, end, firstUnits, lastUnits } = this.#columns;
    const inner = this.#width;
    const line = this.#line;
    const width = this.#width;
    for (let x = 0; x < width; x++) {
      let q = rowStart + (start[x] as number);
      const stop = rowStart + (end[x] as number) - 1;
      const o = x * 4;
      let v = pixels[q] as number;
      let w = firstUnits[x] as number;
      if (q === stop) {
        line[o] = (v & 0xff) * w;
        line[o + 1] = ((v >>> 8) & 0xff) * w;
        line[o + 2] = ((v >>> 16) & 0xff) * w;
        line[o + 3] = (v >>> 24) * w;
        continue;
      }
      const r = (v & 0xff) * w;
      const g = ((v >>> 8) & 0xff) * w;
      const b = ((v >>> 16) & 0xff) * w;
      const a = (v >>> 24) * w;
      let redBlue = 0;
      let greenAlpha = 0;
      for (q++; q < stop; q++) {
        v = pixels[q] as number;
        redBlue += v & 0xff00ff;
        greenAlpha += (v >>> 8) & 0xff00ff;
      }
      v = pixels[stop] as number;
      w = lastUnits[x] as number;
      line[o] = r + (redBlue & 0xffff) * inner + (v & 0xff) * w;
      line[o + 1] = g + (greenAlpha & 0xffff) * inner + ((v >>> 8) & 0xff) * w;
      line[o + 2] = b + (redBlue >>> 16) * inner + ((v >>> 16) & 0xff) * w;
      line[o + 3] = a + (greenAlpha >>> 16) * inner + (v >>> 24) * w;
    }
  }

  #closeRow(): void {
    this.#addStack();
    const divisor = this.#sourceWidth * this.#sourceHeight;
    const current = this.#current;
    const out = this.#out;
    const offset = this.#currentRow * this.#width * 4;
    // The sums are exact, so one division gives the correctly rounded mean (Uint8ClampedArray
    // rounds to nearest on assignment).
    for (let c = 0; c < current.length; c++) out[offset + c] = (current[c] as number) / divisor;
    current.fill(0);
    this.#current = this.#next;
    this.#next = current;
    this.#currentRow++;
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
