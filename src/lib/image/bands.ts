// A decoded bitmap's pixels, read a band of rows at a time, so no full-size RGBA copy of a large
// photo is ever made. Runs in the image worker.

/** Bytes of source pixels read per band: small enough to stay in cache, large enough to be few. */
const BAND_BYTES = 4 * 1024 * 1024;

/** Receives `rows` rows of RGBA pixels (the array may be longer and is reused for the next band). */
export type BandReader = (pixels: Uint8ClampedArray, rows: number) => void;

/** Clockwise turn from stored pixels to upright, as WebCodecs reports an EXIF orientation. */
export type QuarterTurn = 0 | 90 | 180 | 270;

function bandRowsOf(width: number, rows: number): number {
  return Math.max(1, Math.min(rows, Math.floor(BAND_BYTES / (width * 4))));
}

/**
 * An opaque bitmap's stored pixels through WebCodecs: one copy straight into RGBA, with no canvas
 * draw and no premultiplied round trip (about half the time of drawImage + getImageData at 24 MP,
 * the same bytes). A bitmap decoded with imageOrientation keeps its EXIF turn as the frame's
 * rotation, which copyTo does not apply: the rows come as stored, and `rotation` says the turn.
 */
export class OpaqueFrame {
  readonly #frame: VideoFrame;
  readonly width: number;
  readonly height: number;
  readonly rotation: QuarterTurn;

  private constructor(frame: VideoFrame, rotation: QuarterTurn) {
    this.#frame = frame;
    this.width = frame.codedWidth;
    this.height = frame.codedHeight;
    this.rotation = rotation;
  }

  /** The frame, or undefined where the bitmap has alpha (it must be flattened onto white, which a canvas does), is mirrored, or the browser does not say. */
  static open(bitmap: ImageBitmap): OpaqueFrame | undefined {
    if (typeof VideoFrame === 'undefined') return undefined;
    let frame: VideoFrame;
    try {
      frame = new VideoFrame(bitmap, { timestamp: 0 });
    } catch {
      return undefined;
    }
    const { rotation, flip } = frame as VideoFrame & { rotation?: number; flip?: boolean };
    const isTurn = rotation === 0 || rotation === 90 || rotation === 180 || rotation === 270;
    const isOpaque = frame.format === 'BGRX' || frame.format === 'RGBX';
    const turned = rotation === 90 || rotation === 270;
    const isWhole = (turned ? frame.codedHeight : frame.codedWidth) === bitmap.width && (turned ? frame.codedWidth : frame.codedHeight) === bitmap.height;
    if (!isTurn || flip !== false || !isOpaque || !isWhole) {
      frame.close();
      return undefined;
    }
    return new OpaqueFrame(frame, rotation);
  }

  /** Stored rows [top, top + rows) to onBand; false, having read nothing, if the browser cannot give RGBA. */
  async readRows(top: number, rows: number, onBand: BandReader): Promise<boolean> {
    const width = this.width;
    const bandRows = bandRowsOf(width, rows);
    const pixels = new Uint8ClampedArray(width * bandRows * 4);
    for (let done = 0; done < rows; done += bandRows) {
      const count = Math.min(bandRows, rows - done);
      try {
        await this.#frame.copyTo(pixels, { rect: { x: 0, y: top + done, width, height: count }, format: 'RGBA' });
      } catch (error) {
        // A browser without RGBA conversion fails on the first band; later failures are real.
        if (done === 0) return false;
        throw error;
      }
      onBand(pixels, count);
    }
    return true;
  }

  close(): void {
    this.#frame.close();
  }
}

/** Rows through a canvas, drawn onto white (transparent pixels would turn black in JPEG). */
function readCanvasBands(bitmap: ImageBitmap, top: number, rows: number, onBand: BandReader): void {
  const width = bitmap.width;
  const bandRows = bandRowsOf(width, rows);
  const band = new OffscreenCanvas(width, bandRows);
  const context = band.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  context.fillStyle = '#fff';
  for (let done = 0; done < rows; done += bandRows) {
    const count = Math.min(bandRows, rows - done);
    context.fillRect(0, 0, width, count);
    context.drawImage(bitmap, 0, top + done, width, count, 0, 0, width, count);
    onBand(context.getImageData(0, 0, width, count).data, count);
  }
  band.width = 0;
  band.height = 0;
}

/** Upright rows [top, top + rows) of the bitmap, full width, on white, handed to onBand a band at a time, top first. */
export async function readRowBands(bitmap: ImageBitmap, top: number, rows: number, onBand: BandReader): Promise<void> {
  const frame = OpaqueFrame.open(bitmap);
  try {
    if (frame?.rotation === 0 && (await frame.readRows(top, rows, onBand))) return;
  } finally {
    frame?.close();
  }
  readCanvasBands(bitmap, top, rows, onBand);
}
