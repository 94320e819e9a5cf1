// One tile of a long image, cut from the decoded bitmap and scaled like a whole image is: exact
// area averaging over bands of source rows, so no full-size copy of the bitmap is made. Runs in
// the image worker.
import { readRowBands } from './bands.ts';
import { AreaAverager } from './resample.ts';

function whiteCanvas(width: number, height: number): { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D } {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  // Transparent pixels would turn black in JPEG and in many runners.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  return { canvas, context };
}

/** Source rows [top, top + rows) of the bitmap, full width, scaled to width × height (never up). */
export async function resizeRows(bitmap: ImageBitmap, top: number, rows: number, width: number, height: number): Promise<OffscreenCanvas> {
  const sourceWidth = bitmap.width;
  if (width === sourceWidth && height === rows) {
    const { canvas, context } = whiteCanvas(width, height);
    context.drawImage(bitmap, 0, top, sourceWidth, rows, 0, 0, width, height);
    return canvas;
  }
  const averager = new AreaAverager(sourceWidth, rows, width, height);
  await readRowBands(bitmap, top, rows, (pixels, count) => averager.addRows(pixels, count));
  const { canvas, context } = whiteCanvas(width, height);
  context.putImageData(new ImageData(averager.finish(), width, height), 0, 0);
  return canvas;
}
