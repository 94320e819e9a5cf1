// Geometry of the image we send: models resample anyway, so a longest side of about 1536 px keeps
// every detail they can use (docs/ollama-api.md, "Images").

/** Images smaller than this on a side are padded: Qwen-VL runners crash below 28 px. */
export const MIN_SIDE = 56;

/** Longest side of the detail view's preview: a 100 MP photo would decode to 400 MB there. */
export const PREVIEW_SIDE = 1600;

/** Size after fitting the longest side within maxSide; never upscales. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Canvas size once a small image is padded up to MIN_SIDE on each side. */
export function padToMinimum(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(width, MIN_SIDE), height: Math.max(height, MIN_SIDE) };
}
