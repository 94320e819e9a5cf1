// What the image worker hands back. Shared by the worker and the page.

/** First look at a dropped file: its identity, size and a thumbnail. */
export interface InspectedImage {
  sha256: string;
  type: string;
  width: number;
  height: number;
  thumbnail: Blob;
  /** A 1600 px JPEG for the detail view; absent when the original is no larger. */
  preview?: Blob;
}

/** The image as sent to the model: standard base64 (no data: prefix) as ASCII bytes. */
export interface EncodedImage {
  /** The encoded JPEG/PNG itself (what the built-in OCR reads). */
  blob: Blob;
  base64: Uint8Array;
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/** An image the browser cannot read, with a message the user can act on. */
export class UnreadableImageError extends Error {
  override readonly name = 'UnreadableImageError';
}
