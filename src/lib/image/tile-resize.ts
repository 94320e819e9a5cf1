// One tile of a long image, cut from the decoded bitmap and scaled like a whole image is: exact
// area averaging over bands of source rows, so no full-size copy of the bitmap is made. Runs in
// the image worker.
import { AreaAverager } from './resample.ts';

/** Bytes of source pixels read per band, as the whole-image resize reads them. */
const BAND_BYTES = 16 * 1024 * 1024;

function whiteCanvas(width: number, height: number): { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D } {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  // Transparent pixels would turn black in JPEG and in many runners.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  return { canvas, context };
}

/** Source rows [top, top + rows) of the bitmap, full width, scaled to width × height (never up). */
export function resizeRows(bitmap: ImageBitmap, top: number, rows: number, width: number, height: number): OffscreenCanvas {
  const sourceWidth = bitmap.width;
  if (width === sourceWidth && height === rows) {
    const { canvas, context } = whiteCanvas(width, height);
    context.drawImage(bitmap, 0, top, sourceWidth, rows, 0, 0, width, height);
    return canvas;
  }
  const averager = new AreaAverager(sourceWidth, rows, width, height);
  const bandRows = Math.max(1, Math.min(rows, Math.floor(BAND_BYTES / (sourceWidth * 4))));
  const band = whiteCanvas(sourceWidth, bandRows);
  for (let done = 0; done < rows; done += bandRows) {
    const count = Math.min(bandRows, rows - done);
    band.context.fillRect(0, 0, sourceWidth, count);
    band.context.drawImage(bitmap, 0, top + done, sourceWidth, count, 0, 0, sourceWidth, count);
    averager.addRows(band.context.getImageData(0, 0, sourceWidth, count).data, count);
  }
  band.canvas.width = 0;
  band.canvas.height = 0;
  const { canvas, context } = whiteCanvas(width, height);
  context.putImageData(new ImageData(averager.finish(), width, height), 0, 0);
  return canvas;
}
