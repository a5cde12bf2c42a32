/** Raster tiles for figures: spin configurations and weight maps as small PNG data URLs (fast-png, no DOM). */
import { encode } from 'fast-png';
import type { ImageTile } from './spec';

function dataUrl(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}

/**
 * Small lattices are magnified by an integer factor in the PNG itself (each site a block of pixels),
 * so every renderer shows square sites instead of smoothing them.
 */
const MIN_SIDE = 64;

function pixelTile(
  width: number,
  height: number,
  channels: 1 | 3,
  colour: (i: number) => number[],
  label?: string,
): ImageTile {
  const factor = Math.max(1, Math.ceil(MIN_SIDE / Math.max(width, height)));
  const [w, h] = [width * factor, height * factor];
  const pixels = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      pixels.set(colour(Math.floor(y / factor) * width + Math.floor(x / factor)), (y * w + x) * channels);
  }
  const png = encode({ width: w, height: h, data: pixels, channels, depth: 8 });
  return { width, height, png: dataUrl(png), ...(label ? { label } : {}) };
}

const BLACK = [0];
const WHITE = [255];

/** One spin configuration (±1, row-major) as a black (+1) and white (−1) image. */
export function spinsTile(spins: Int8Array, width: number, height: number, label?: string): ImageTile {
  return pixelTile(width, height, 1, (i) => (spins[i] > 0 ? BLACK : WHITE), label);
}

/** Red–white–blue: negative red, zero white, positive blue, over [-vmax, vmax]. */
function diverging(value: number, vmax: number): [number, number, number] {
  const t = vmax > 0 ? Math.max(-1, Math.min(1, value / vmax)) : 0;
  if (t >= 0) return [Math.round(255 - 222 * t), Math.round(255 - 153 * t), Math.round(255 - 83 * t)]; // towards #2166ac
  const s = -t;
  return [Math.round(255 - 77 * s), Math.round(255 - 231 * s), Math.round(255 - 212 * s)]; // towards #b2182b
}

/** Values (row-major) in a diverging colour map with a shared scale ±vmax. */
export function divergingTile(
  values: ArrayLike<number>,
  width: number,
  height: number,
  vmax: number,
  label?: string,
): ImageTile {
  const colours = Array.from({ length: width * height }, (_, i) => diverging(values[i], vmax));
  return pixelTile(width, height, 3, (i) => colours[i], label);
}
