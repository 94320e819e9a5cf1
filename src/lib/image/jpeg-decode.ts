// A JPEG decoded at n/8 of its size through WebCodecs (lib/image/jpeg-scale.ts), so the full
// frame is never held. Runs in the image worker.
import { desiredSizeFor } from './jpeg-scale.ts';
import type { PixelSize } from './pixel-size.ts';

/** A scaled decode, upright. */
export interface ScaledJpeg {
  bitmap: ImageBitmap;
  /** EXIF turned it a quarter, so the upright image is the stored one on its side. */
  isTurned: boolean;
}

/** Which way the upright bitmap lies against the stored size, for a frame that does not say. */
function isTurnedByShape(bitmap: ImageBitmap, stored: PixelSize): boolean {
  return Math.abs(bitmap.width * stored.width - bitmap.height * stored.height) < Math.abs(bitmap.width * stored.height - bitmap.height * stored.width);
}

/** The JPEG decoded at about numerator / 8 and turned upright; undefined where the browser has no ImageDecoder. */
export async function decodeScaledJpeg(blob: Blob, stored: PixelSize, numerator: number): Promise<ScaledJpeg | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined;
  const desired = desiredSizeFor(stored, numerator);
  const decoder = new ImageDecoder({ data: blob.stream(), type: 'image/jpeg', desiredWidth: desired.width, desiredHeight: desired.height });
  try {
    const { image } = await decoder.decode();
    try {
      // The frame carries the EXIF turn and mirror (rotation, flip); createImageBitmap applies them.
      const bitmap = await createImageBitmap(image);
      const { rotation } = image as VideoFrame & { rotation?: number };
      const isTurned = rotation === undefined ? isTurnedByShape(bitmap, stored) : rotation === 90 || rotation === 270;
      return { bitmap, isTurned };
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}
