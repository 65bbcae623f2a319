/**
 * Colour-mapped pixel grids as PNG (pngjs): the image inside large image
 * plots and their static fallback. Vega's own PNG export needs node-canvas,
 * which this environment cannot build.
 */
import { PNG } from 'pngjs';
import { colourAt, colourPosition } from './colour.js';

export interface PixelGrid {
  /** Row-major values, row 0 = top row of the picture. */
  values: Float64Array;
  width: number;
  height: number;
}

/** RGBA pixels of `grid`, each value drawn as a `scale` × `scale` block. */
export function colourPixels(grid: PixelGrid, lut: Uint8Array, limits: [number, number], log: boolean, scale = 1): { rgba: Uint8Array; width: number; height: number } {
  const width = grid.width * scale;
  const height = grid.height * scale;
  const rgba = new Uint8Array(width * height * 4);
  const rowColours = new Uint8Array(width * 4);
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const t = colourPosition(grid.values[r * grid.width + c], limits, log);
      for (let k = 0; k < scale; k++) colourAt(lut, t, rowColours, (c * scale + k) * 4);
    }
    for (let k = 0; k < scale; k++) rgba.set(rowColours, (r * scale + k) * width * 4);
  }
  return { rgba, width, height };
}

export function encodePng(pixels: { rgba: Uint8Array; width: number; height: number }): Buffer {
  const png = new PNG({ width: pixels.width, height: pixels.height });
  png.data = Buffer.from(pixels.rgba.buffer, pixels.rgba.byteOffset, pixels.rgba.byteLength);
  return PNG.sync.write(png);
}
