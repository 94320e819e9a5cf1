// Draws the app icons (public/icons/*.png) from the same shapes as public/favicon.svg, so the PNGs
// the manifest needs are reproducible without an image editor: `npm run icons`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [0x1f, 0x4e, 0x79];
const WHITE: Rgb = [0xff, 0xff, 0xff];
/** Samples per pixel side: 4×4 gives smooth edges without a vector library. */
const SAMPLES = 4;

const capsule = (x: number, y: number, ax: number, ay: number, bx: number, by: number) => {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
};

/** The favicon's white glyph, in its 64×64 viewBox: a lens over two lines of text. */
function isGlyph(x: number, y: number): boolean {
  return (
    Math.abs(Math.hypot(x - 28, y - 28) - 14) <= 3 ||
    capsule(x, y, 38, 38, 52, 52) <= 3.5 ||
    capsule(x, y, 22, 25, 34, 25) <= 1.5 ||
    capsule(x, y, 22, 31, 31, 31) <= 1.5
  );
}

/** Inside the favicon's rounded square (rx 14). */
function isTile(x: number, y: number): boolean {
  const cx = Math.max(14, Math.min(50, x));
  const cy = Math.max(14, Math.min(50, y));
  return x >= 0 && x <= 64 && y >= 0 && y <= 64 && Math.hypot(x - cx, y - cy) <= 14;
}

/**
 * `fullBleed` icons (maskable, Apple touch) fill the square with blue and shrink the glyph into the
 * middle 80%, the safe zone a platform mask never cuts (w3.org/TR/appmanifest/#icon-masks).
 */
function drawIcon(size: number, fullBleed: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let glyph = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          let x = ((px + (sx + 0.5) / SAMPLES) / size) * 64;
          let y = ((py + (sy + 0.5) / SAMPLES) / size) * 64;
          if (fullBleed) [x, y] = [(x - 32) / 0.8 + 34.75, (y - 32) / 0.8 + 34.75];
          if (fullBleed || isTile(x, y)) {
            tile++;
            if (isGlyph(x, y)) glyph++;
          }
        }
      }
      const n = SAMPLES * SAMPLES;
      const mix = tile === 0 ? 0 : glyph / tile;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(BLUE[c]! * (1 - mix) + WHITE[c]! * mix);
      png.data[i + 3] = Math.round((tile / n) * 255);
    }
  }
  return PNG.sync.write(png, { colorType: fullBleed ? 2 : 6 });
}

const ICONS = [
  { file: 'icon-192.png', size: 192, fullBleed: false },
  { file: 'icon-512.png', size: 512, fullBleed: false },
  { file: 'icon-maskable-512.png', size: 512, fullBleed: true },
  { file: 'apple-touch-icon.png', size: 180, fullBleed: true },
] as const;

mkdirSync('public/icons', { recursive: true });
for (const { file, size, fullBleed } of ICONS) {
  writeFileSync(`public/icons/${file}`, drawIcon(size, fullBleed));
  console.log(`public/icons/${file} ${size}×${size}`);
}
