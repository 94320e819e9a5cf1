import { launchBrowser } from '../e2e/harness.ts';
import { makeImages } from './images.ts';
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto('about:blank'); await page.evaluate('globalThis.__name = (f) => f');
const w = Number(process.argv[2] ?? 6000), h = Number(process.argv[3] ?? 4000);
await makeImages(page, [{ name: 'a.jpg', width: w, height: h, kind: 'photo', type: 'image/jpeg', seed: 3 }]);
for (let rep = 0; rep < 3; rep++) {
const out = await page.evaluate(async () => {
  const file = (globalThis as any).__benchFiles[0] as File;
  const t: Record<string, number> = {};
  let s = performance.now();
  const lap = (k: string) => { const n = performance.now(); t[k] = Math.round(n - s); s = n; };
  const buf = await file.arrayBuffer(); lap('arrayBuffer');
  const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' }); lap('decodeFull');
  const W = bmp.width, H = bmp.height;
  const scale = 1536 / Math.max(W, H); const tw = Math.round(W * scale), th = Math.round(H * scale);
  // banded read
  const bandRows = Math.floor(16 * 1024 * 1024 / (W * 4));
  const band = new OffscreenCanvas(W, bandRows); const c = band.getContext('2d', { willReadFrequently: true })!;
  let sum = 0;
  for (let top = 0; top < H; top += bandRows) { const rows = Math.min(bandRows, H - top); c.drawImage(bmp, 0, top, W, rows, 0, 0, W, rows); sum += c.getImageData(0, 0, W, rows).data[0]; }
  lap('bandedDrawGetImageData');
  const small = await createImageBitmap(bmp, { resizeWidth: tw, resizeHeight: th, resizeQuality: 'high' }); lap('resizeFromBitmapHigh');
  const thumb = await createImageBitmap(bmp, { resizeWidth: 320, resizeHeight: Math.round(320*H/W), resizeQuality: 'high' }); lap('thumbFromBitmap');
  bmp.close();
  const dsmall = await createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth: tw, resizeHeight: th, resizeQuality: 'high' }); lap('decodeResizedHigh');
  const dsmallm = await createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth: tw, resizeHeight: th, resizeQuality: 'medium' }); lap('decodeResizedMedium');
  const dsmallp = await createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth: tw, resizeHeight: th, resizeQuality: 'pixelated' }); lap('decodeResizedPixelated');
  const dhalf = await createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth: Math.round(W/2), resizeHeight: Math.round(H/2), resizeQuality: 'pixelated' }); lap('decodeHalfPixelated');
  const cv = new OffscreenCanvas(tw, th); cv.getContext('2d')!.drawImage(small, 0, 0); lap('draw small');
  const jpg = await cv.convertToBlob({ type: 'image/jpeg', quality: 0.92 }); lap('convertToBlob jpeg');
  const dataUrl = await new Promise<string>((r) => { const fr = new FileReader(); fr.onload = () => r(fr.result as string); fr.readAsDataURL(jpg); }); lap('readAsDataURL');
  const bytes = new TextEncoder().encode(dataUrl.slice(dataUrl.indexOf(',') + 1)); lap('textEncode');
  const ab = new Uint8Array(await jpg.arrayBuffer()); lap('jpg arrayBuffer');
  const b64 = (ab as any).toBase64 ? (ab as any).toBase64() : 'n/a'; lap('toBase64');
  return { t, sum, hasToBase64: typeof (ab as any).toBase64, len: bytes.length, ok: b64.length };
});
console.log(JSON.stringify(out));
}
await browser.close();
