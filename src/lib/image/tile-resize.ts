// A whole image, or one tile of a long image, cut from the decoded bitmap and scaled by exact area
// averaging over bands of source rows, so no full-size copy of the bitmap is made. Runs in the
// image worker.
import { OpaqueFrame, type QuarterTurn, readRowBands, toRGBA } from './bands.ts';
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
  const layout = await readRowBands(bitmap, top, rows, (pixels, count) => averager.addRows(pixels, count));
  const averaged = averager.finish();
  toRGBA(averaged, layout);
  const { canvas, context } = whiteCanvas(width, height);
  context.putImageData(new ImageData(averaged, width, height), 0, 0);
  return canvas;
}

/** Where stored pixel (x, y) of a width × height image lands once turned upright (canvas setTransform). */
function turnMatrix(rotation: QuarterTurn, width: number, height: number): [number, number, number, number, number, number] {
  if (rotation === 90) return [0, 1, -1, 0, height, 0];
  if (rotation === 180) return [-1, 0, 0, -1, width, height];
  if (rotation === 270) return [0, -1, 1, 0, 0, width];
  return [1, 0, 0, 1, 0, 0];
}

/**
 * The stored pixels averaged down as stored, then turned upright: a quarter turn only moves whole
 * pixels, so this is the same area average as of the upright image, with no upright full-size copy.
 */
async function resizeFrame(frame: OpaqueFrame, width: number, height: number): Promise<OffscreenCanvas | undefined> {
  const isSideways = frame.rotation === 90 || frame.rotation === 270;
  const storedWidth = isSideways ? height : width;
  const storedHeight = isSideways ? width : height;
  const averager = new AreaAverager(frame.width, frame.height, storedWidth, storedHeight);
  if (!(await frame.readRows(0, frame.height, (pixels, count) => averager.addRows(pixels, count)))) return undefined;
  const averaged = averager.finish();
  toRGBA(averaged, frame.layout);
  const { canvas: stored, context: storedContext } = whiteCanvas(storedWidth, storedHeight);
  storedContext.putImageData(new ImageData(averaged, storedWidth, storedHeight), 0, 0);
  if (frame.rotation === 0) return stored;
  const { canvas, context } = whiteCanvas(width, height);
  context.imageSmoothingEnabled = false;
  context.setTransform(...turnMatrix(frame.rotation, storedWidth, storedHeight));
  context.drawImage(stored, 0, 0);
  return canvas;
}

/** The whole upright bitmap scaled to width × height (never up). */
export async function resizeWhole(bitmap: ImageBitmap, width: number, height: number): Promise<OffscreenCanvas> {
  const frame = OpaqueFrame.open(bitmap);
  if (frame) {
    try {
      const canvas = await resizeFrame(frame, width, height);
      if (canvas) return canvas;
    } finally {
      frame.close();
    }
  }
  return resizeRows(bitmap, 0, bitmap.height, width, height);
}
