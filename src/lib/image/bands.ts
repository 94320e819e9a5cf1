// A decoded bitmap's pixels, read a band of rows at a time, so no full-size RGBA copy of a large
// photo is ever made. Runs in the image worker.

/** Bytes of source pixels read per band: small enough to stay in cache, large enough to be few. */
const BAND_BYTES = 4 * 1024 * 1024;

/** Receives `rows` rows of RGBA pixels (the array may be longer and is reused for the next band). */
export type BandReader = (pixels: Uint8ClampedArray, rows: number) => void;

function bandRowsOf(width: number, rows: number): number {
  return Math.max(1, Math.min(rows, Math.floor(BAND_BYTES / (width * 4))));
}

/**
 * An opaque bitmap's rows through WebCodecs: one copy straight into RGBA, with no canvas draw and
 * no premultiplied round trip (about half the time of drawImage + getImageData at 24 MP, the same
 * bytes). Returns false, having read nothing, where the bitmap has alpha or the browser cannot.
 */
async function readOpaqueBands(bitmap: ImageBitmap, top: number, rows: number, onBand: BandReader): Promise<boolean> {
  if (typeof VideoFrame === 'undefined') return false;
  let frame: VideoFrame;
  try {
    frame = new VideoFrame(bitmap, { timestamp: 0 });
  } catch {
    return false;
  }
  try {
    // Only formats without alpha: transparent pixels must be flattened onto white, which the canvas does.
    if (frame.format !== 'BGRX' && frame.format !== 'RGBX') return false;
    const width = bitmap.width;
    const bandRows = bandRowsOf(width, rows);
    const pixels = new Uint8ClampedArray(width * bandRows * 4);
    for (let done = 0; done < rows; done += bandRows) {
      const count = Math.min(bandRows, rows - done);
      const rect = { x: 0, y: top + done, width, height: count };
      try {
        await frame.copyTo(pixels, { rect, format: 'RGBA' });
      } catch (error) {
        // A browser without RGBA conversion fails on the first band; later failures are real.
        if (done === 0) return false;
        throw error;
      }
      onBand(pixels, count);
    }
    return true;
  } finally {
    frame.close();
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

/** Source rows [top, top + rows) of the bitmap, full width, handed to onBand a band at a time, top first. */
export async function readRowBands(bitmap: ImageBitmap, top: number, rows: number, onBand: BandReader): Promise<void> {
  if (await readOpaqueBands(bitmap, top, rows, onBand)) return;
  readCanvasBands(bitmap, top, rows, onBand);
}
