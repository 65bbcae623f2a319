/**
 * image / heatmap: a 2-D DataArray as a colour-mapped picture with its
 * coordinates on the axes (xarray's imshow: the first dim down the side, the
 * second along the bottom, row 0 on top). Small images are one rect per pixel
 * (vector SVG, tooltips); large ones are one embedded PNG, which keeps the
 * notebook small and the front end fast.
 */
import type { DataArray } from '../arrays/dataarray.js';
import { ToolBoxValueError } from '../errors.js';
import { COLOUR_OPTIONS, type ColourOptions, colourTable, colourable, limitsOf } from './colour.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { colourPixels, encodePng, type PixelGrid } from './raster.js';
import { COMMON_PLOT_OPTIONS, type CommonPlotOptions, type VegaLiteSpec, quantitative, topLevel } from './spec.js';
import { axisOf, labelOf, requireNdim, toNumbers } from './values.js';

export interface ImageOptions extends CommonPlotOptions, ColourOptions {
  /** Dim along the horizontal axis (default the second dim). */
  x?: string;
  /** Where row 0 goes: 'upper' (default, like a camera image) or 'lower' (like a graph). */
  origin?: 'upper' | 'lower';
  /** Colour bar title (default the array's name and units). */
  colourLabel?: string;
  /** Images with more pixels become one PNG instead of one rect per pixel (default 2500). */
  maxRectPixels?: number;
}
export const IMAGE_OPTIONS = mergeOptionNames<ImageOptions>(COMMON_PLOT_OPTIONS, COLOUR_OPTIONS, optionNames<Omit<ImageOptions, keyof CommonPlotOptions | keyof ColourOptions>>({ x: true, origin: true, colourLabel: true, maxRectPixels: true }));

/** Pixel edges from pixel centres (midpoints; the outer edges extrapolated). */
export function edgesOf(centres: Float64Array): Float64Array {
  const n = centres.length;
  const e = new Float64Array(n + 1);
  if (n === 1) { e[0] = centres[0] - 0.5; e[1] = centres[0] + 0.5; return e; }
  for (let i = 1; i < n; i++) e[i] = (centres[i - 1] + centres[i]) / 2;
  e[0] = centres[0] - (e[1] - centres[0]);
  e[n] = centres[n - 1] + (centres[n - 1] - e[n - 1]);
  return e;
}

/** Nearest-neighbour upscaling so a small PNG fallback is not a postage stamp. */
const PNG_TARGET_SIZE = 400;

/** A 2-D DataArray as a colour-mapped image with its coordinates on the axes (xarray's imshow). */
export function image(da: DataArray, options: ImageOptions = {}): Plot {
  checkOptions('plot.image', options, IMAGE_OPTIONS);
  requireNdim(da, 2, 'image');
  const xDim = options.x ?? da.dims[1];
  if (!da.dims.includes(xDim)) throw new ToolBoxValueError(`image: x dim '${xDim}' is not one of (${da.dims.join(', ')})`);
  const yDim = da.dims.find((d) => d !== xDim)!;
  const arr = da.dims[0] === yDim ? da : da.transpose(yDim, xDim);
  const values = toNumbers(arr, 'image values');
  const [height, width] = arr.shape;
  const xs = axisOf(arr, xDim), ys = axisOf(arr, yDim);
  const xe = edgesOf(xs.values), ye = edgesOf(ys.values);
  const log = options.log ?? false;
  const scheme = options.scheme ?? 'viridis';
  const limits = limitsOf(values, options);
  const upper = (options.origin ?? 'upper') === 'upper';
  const colour = {
    type: log ? 'log' : 'linear', scheme, domain: limits, clamp: true,
  };
  const colourTitle = options.colourLabel ?? labelOf(da, 'value');
  const x = quantitative('x0', options.xLabel ?? xs.label, { domain: [Math.min(xe[0], xe[width]), Math.max(xe[0], xe[width])], nice: false, zero: false });
  const y = quantitative('y0', options.yLabel ?? ys.label, { domain: [Math.min(ye[0], ye[height]), Math.max(ye[0], ye[height])], nice: false, zero: false, reverse: upper });
  const description = `image of ${da.name ?? 'DataArray'} (${yDim}: ${height}, ${xDim}: ${width}), colour ${scheme}${log ? ' log' : ''} ${limits[0]}..${limits[1]}`;

  if (width * height <= (options.maxRectPixels ?? 2500)) {
    const rows: Record<string, number>[] = [];
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const v = values[r * width + c];
        if (colourable(v, log)) rows.push({ x0: xe[c], x1: xe[c + 1], y0: ye[r], y1: ye[r + 1], value: v });
      }
    }
    const spec = topLevel(options, {
      data: { values: rows },
      mark: { type: 'rect' },
      encoding: {
        x, x2: { field: 'x1' }, y, y2: { field: 'y1' },
        color: { field: 'value', type: 'quantitative', title: colourTitle, scale: colour },
        tooltip: [{ field: 'value', type: 'quantitative', title: colourTitle }],
      },
    });
    return new Plot({ description, spec: () => spec });
  }

  // The picture as drawn: PNG row 0 is the top, so flip when the scales put row 0 (or column 0) elsewhere.
  const rowZeroOnTop = upper === (ye[height] >= ye[0]);
  const colZeroLeft = xe[width] >= xe[0];
  const grid: PixelGrid = { values: new Float64Array(width * height), width, height };
  for (let r = 0; r < height; r++) {
    const rr = rowZeroOnTop ? r : height - 1 - r;
    for (let c = 0; c < width; c++) grid.values[r * width + c] = values[rr * width + (colZeroLeft ? c : width - 1 - c)];
  }
  let table: Promise<Uint8Array> | undefined;
  const png = async (scale: number) => encodePng(colourPixels(grid, await (table ??= colourTable(scheme)), limits, log, scale));
  const spec = async (): Promise<VegaLiteSpec> => topLevel(options, {
    layer: [
      {
        data: { values: [{ x0: xe[0], x1: xe[width], y0: ye[0], y1: ye[height], url: `data:image/png;base64,${(await png(1)).toString('base64')}` }] },
        mark: { type: 'image', aspect: false, smooth: false },
        encoding: { x, x2: { field: 'x1' }, y, y2: { field: 'y1' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        // Invisible marks at the colour limits: they make the colour bar for the picture.
        data: { values: [{ value: limits[0] }, { value: limits[1] }] },
        mark: { type: 'point', opacity: 0 },
        encoding: { color: { field: 'value', type: 'quantitative', title: colourTitle, scale: colour } },
      },
    ],
  });
  const scale = Math.max(1, Math.floor(PNG_TARGET_SIZE / Math.max(width, height)));
  return new Plot({ description, spec, png: () => png(scale) });
}

/** Same as image(): the name matplotlib and seaborn users look for. */
export const heatmap = image;
