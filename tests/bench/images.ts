// Test images drawn in the page with OffscreenCanvas (native encoders: a 100 MP JPEG in seconds,
// not the minutes jpeg-js would take in Node), kept in the page, and dropped onto the app as a
// person drops files. Their bytes never cross the DevTools protocol.
import type { Page } from 'playwright-core';

export interface ImageSpec {
  name: string;
  width: number;
  height: number;
  /** A photo: gradients, shapes and sensor-like noise; a scan: lines of text on off-white paper. */
  kind: 'photo' | 'scan';
  type: 'image/jpeg' | 'image/png';
  /** Varies the picture, so every image of a batch has its own bytes (and hash). */
  seed: number;
}

/** Draw the images and keep them in the page for dropImages; returns each file's size in bytes. */
export function makeImages(page: Page, specs: ImageSpec[]): Promise<number[]> {
  return page.evaluate(makeImagesInPage, specs);
}

/** Drop the images made so far onto the page; returns the epoch ms just before the drop. */
export function dropImages(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as { __benchFiles?: File[] };
    const data = new DataTransfer();
    for (const file of scope.__benchFiles ?? []) data.items.add(file);
    scope.__benchFiles = [];
    const at = Date.now();
    document.querySelector('main')?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    return at;
  });
}

/** Runs inside the page. */
async function makeImagesInPage(specs: ImageSpec[]): Promise<number[]> {
  const scope = globalThis as unknown as { __benchFiles?: File[] };
  scope.__benchFiles ??= [];
  // Noise tiles, drawn faintly over the picture: JPEG then costs about what a real photo does.
  const noise = (side: number, seed: number) => {
    const tile = new OffscreenCanvas(side, side);
    const g = tile.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const pixels = g.createImageData(side, side);
    let x = seed * 2654435761 + 1;
    for (let i = 0; i < pixels.data.length; i += 4) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const v = x & 0xff;
      pixels.data[i] = v;
      pixels.data[i + 1] = (v * 7) & 0xff;
      pixels.data[i + 2] = (v * 13) & 0xff;
      pixels.data[i + 3] = 255;
    }
    g.putImageData(pixels, 0, 0);
    return tile;
  };
  const sizes: number[] = [];
  for (const spec of specs) {
    const canvas = new OffscreenCanvas(spec.width, spec.height);
    const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const { width: w, height: h } = spec;
    let rand = spec.seed * 48271 + 11;
    const random = () => ((rand = (rand * 48271) % 2147483647) / 2147483647);
    if (spec.kind === 'photo') {
      const sky = g.createLinearGradient(0, 0, w * 0.3, h);
      sky.addColorStop(0, `hsl(${(spec.seed * 37) % 360} 55% 70%)`);
      sky.addColorStop(1, `hsl(${(spec.seed * 37 + 140) % 360} 45% 25%)`);
      g.fillStyle = sky;
      g.fillRect(0, 0, w, h);
      for (let i = 0; i < 60; i++) {
        g.fillStyle = `hsla(${random() * 360} 50% ${30 + random() * 50}% / 0.6)`;
        g.beginPath();
        g.ellipse(random() * w, random() * h, (0.02 + random() * 0.2) * w, (0.02 + random() * 0.2) * h, random() * 3, 0, Math.PI * 2);
        g.fill();
      }
      g.globalAlpha = 0.12;
      g.fillStyle = g.createPattern(noise(509, spec.seed), 'repeat') as CanvasPattern;
      g.fillRect(0, 0, w, h);
      g.globalAlpha = 1;
    } else {
      g.fillStyle = '#f7f5ef';
      g.fillRect(0, 0, w, h);
      g.globalAlpha = 0.05;
      g.fillStyle = g.createPattern(noise(257, spec.seed), 'repeat') as CanvasPattern;
      g.fillRect(0, 0, w, h);
      g.globalAlpha = 1;
      // 11 pt text at 300 dpi is about 46 px tall; a page holds some 55 lines.
      g.fillStyle = '#1a1a1a';
      g.font = '38px serif';
      const words = 'Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua invoice total 1,284.50 EUR'.split(' ');
      for (let y = 300, line = 0; y < h - 300; y += 52, line++) {
        let text = '';
        for (let k = 0; text.length < 95; k++) text += `${words[(line * 5 + k * 3) % words.length]} `;
        g.fillText(text, 250, y);
      }
    }
    const blob = await canvas.convertToBlob({ type: spec.type, quality: 0.9 });
    // Free the canvas's pixels before drawing the next one.
    canvas.width = 1;
    canvas.height = 1;
    scope.__benchFiles.push(new File([blob], spec.name, { type: spec.type }));
    sizes.push(blob.size);
  }
  return sizes;
}
