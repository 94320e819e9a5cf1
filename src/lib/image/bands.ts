// A decoded bitmap's pixels, read a band of rows at a time, so no full-size RGBA copy of a large
// photo is ever made. Runs in the image worker.

/** Bytes of source pixels read per band: small enough to stay in cache, large enough to be few. */
const BAND_BYTES = 4 * 1024 * 1024;

/** Receives `rows` rows of four-byte pixels (the array may be longer and is reused for the next band). */
export type BandReader = (pixels: Uint8ClampedArray, rows: number) => void;

/**
 * How a band's four bytes per pixel are laid out: RGBA from a canvas, or an opaque frame's own
 * bytes, red or blue first, then a byte with no meaning. Area averaging treats every byte alike,
 * so only its result is put in RGBA order (toRGBA).
 */
export type PixelLayout = 'RGBA' | 'RGBX' | 'BGRX';

/** Averaged pixels of this layout put in RGBA order in place, opaque where the layout has no alpha. */
export function toRGBA(pixels: Uint8ClampedArray, layout: PixelLayout): void {
  if (layout === 'RGBA') return;
  const isBgr = layout === 'BGRX';
  for (let i = 0; i < pixels.length; i += 4) {
    if (isBgr) {
      const blue = pixels[i] as number;
      pixels[i] = pixels[i + 2] as number;
      pixels[i + 2] = blue;
    }
    pixels[i + 3] = 255;
  }
}

/** Clockwise turn from stored pixels to upright, as WebCodecs reports an EXIF orientation. */
export type QuarterTurn = 0 | 90 | 180 | 270;

function bandRowsOf(width: number, rows: number): number {
  return Math.max(1, Math.min(rows, Math.floor(BAND_BYTES / (width * 4))));
}

/**
 * An opaque bitmap's stored pixels through WebCodecs: one copy of the frame's own bytes, with no
 * canvas draw, no premultiplied round trip and no conversion to RGBA (at 24 MP about 6 ms, where
 * copyTo into RGBA took 25–45 ms and drawImage + getImageData twice that). A bitmap decoded with
 * imageOrientation keeps its EXIF turn as the frame's rotation, which copyTo does not apply: the
 * rows come as stored, and `rotation` says the turn.
 */
export class OpaqueFrame {
  readonly #frame: VideoFrame;
  readonly width: number;
  readonly height: number;
  readonly rotation: QuarterTurn;
  readonly layout: 'RGBX' | 'BGRX';

  private constructor(frame: VideoFrame, rotation: QuarterTurn, layout: 'RGBX' | 'BGRX') {
    this.#frame = frame;
    this.width = frame.codedWidth;
    this.height = frame.codedHeight;
    this.rotation = rotation;
    this.layout = layout;
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
    return new OpaqueFrame(frame, rotation, frame.format === 'BGRX' ? 'BGRX' : 'RGBX');
  }

  /** Stored rows [top, top + rows) to onBand, in `layout`; false, having read nothing, if the browser cannot copy them. */
  async readRows(top: number, rows: number, onBand: BandReader): Promise<boolean> {
    const width = this.width;
    const bandRows = bandRowsOf(width, rows);
    const pixels = new Uint8ClampedArray(width * bandRows * 4);
    for (let done = 0; done < rows; done += bandRows) {
      const count = Math.min(bandRows, rows - done);
      try {
        await this.#frame.copyTo(pixels, { rect: { x: 0, y: top + done, width, height: count } });
      } catch (error) {
        // A browser that cannot copy a rectangle fails on the first band; later failures are real.
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

/** Upright rows [top, top + rows) of the bitmap, full width, on white, handed to onBand a band at a time, top first; returns their layout. */
export async function readRowBands(bitmap: ImageBitmap, top: number, rows: number, onBand: BandReader): Promise<PixelLayout> {
  const frame = OpaqueFrame.open(bitmap);
  try {
    if (frame?.rotation === 0 && (await frame.readRows(top, rows, onBand))) return frame.layout;
  } finally {
    frame?.close();
  }
  readCanvasBands(bitmap, top, rows, onBand);
  return 'RGBA';
}
