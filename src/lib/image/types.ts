// What the image worker hands back. Shared by the worker and the page.
import type { DocumentKind } from '../documents/types.ts';

/** A dropped file as intake knows it before any decode: identity and the size its header gives. */
export interface IdentifiedImage {
  sha256: string;
  type: string;
  /** From the header, before EXIF orientation; 0 when the header does not say (some AVIF). */
  width: number;
  height: number;
}

/** What one identify call says of one file: the image, or why it is refused, or the document it is. */
export type IdentifyOutcome =
  | { isImage: true; image: IdentifiedImage }
  | { isImage: false; reason: string; isNotImage: boolean; document?: DocumentKind };

/** What only a full decode gives: the upright size, a thumbnail and the detail view's preview. */
export interface DecodedViews {
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
  /**
   * The thumbnail, preview and upright size from the same decode, when they were asked for: still
   * being made when the image is handed over, so the request need not wait for them.
   */
  views?: Promise<DecodedViews>;
  /**
   * A long image read in tiles (lib/image/tiling.ts): every tile top to bottom, each read on its
   * own; the image itself is then the first tile.
   */
  tiles?: EncodedTile[];
}

/** One tile of a long image: source rows [top, bottom) of the upright original, as sent. */
export interface EncodedTile {
  blob: Blob;
  base64: Uint8Array;
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  top: number;
  bottom: number;
}

/** What the worker's encode returns: the views are fetched with takeViews(viewsToken). */
export type WorkerEncodedImage = Omit<EncodedImage, 'views'> & { viewsToken?: number };

/** An image the browser cannot read, with a message the user can act on. */
export class UnreadableImageError extends Error {
  override readonly name: string = 'UnreadableImageError';
}
