// Whether a rendered page shows nothing worth reading: a blank page is not sent to a model.

/** A pixel this far (0–255) from the page's mean brightness is ink, not paper. */
const INK_DISTANCE = 40;
/** Below this share of ink pixels the page counts as blank (specks of dust on a scan included). */
const MAX_INK_SHARE = 0.0005;

/** True when almost every pixel of these RGBA bytes is the page's own background colour. */
export function isNearlyBlank(rgba: Uint8ClampedArray): boolean {
  const pixels = rgba.length / 4;
  if (pixels === 0) return true;
  const luminance = new Float32Array(pixels);
  let sum = 0;
  for (let i = 0; i < pixels; i++) {
    const value = 0.299 * (rgba[i * 4] ?? 0) + 0.587 * (rgba[i * 4 + 1] ?? 0) + 0.114 * (rgba[i * 4 + 2] ?? 0);
    luminance[i] = value;
    sum += value;
  }
  const mean = sum / pixels;
  let ink = 0;
  for (const value of luminance) if (Math.abs(value - mean) > INK_DISTANCE) ink++;
  return ink / pixels < MAX_INK_SHARE;
}
