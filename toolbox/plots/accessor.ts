/**
 * `da.plot()` as in xarray: a line for 1-D data, a pcolormesh-like image for
 * 2-D (y increasing upwards, x along the second dim), and a histogram of all
 * values otherwise; `da.plot.line()`, `.imshow()` (row 0 on top),
 * `.pcolormesh()` and `.hist()` choose explicitly. The builders are those of
 * `tb.plot`.
 */
import type { DataArray } from '../arrays/dataarray.js';
import { ToolBoxTypeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { HISTOGRAM_OPTIONS, type HistogramOptions, histogram } from './histogram.js';
import { IMAGE_OPTIONS, type ImageOptions, image } from './image.js';
import { LINE_OPTIONS, type LineOptions, line } from './line.js';
import type { Plot } from './plot.js';

/** What `da.plot` is: call it for xarray's default plot, or pick one. */
export interface DataArrayPlot {
  /** Line for 1-D, image for 2-D (pcolormesh: y upwards), histogram otherwise, as xarray's `da.plot()`. */
  (options?: LineOptions | ImageOptions | HistogramOptions): Plot;
  /** A line (1-D) or one line per entry of `hue` (2-D). */
  line(options?: LineOptions): Plot;
  /** 2-D image with row 0 on top (xarray's imshow). */
  imshow(options?: ImageOptions): Plot;
  /** 2-D image with y increasing upwards (xarray's pcolormesh, the 2-D default). */
  pcolormesh(options?: ImageOptions): Plot;
  /** Histogram of all values, whatever the dims. */
  hist(options?: HistogramOptions): Plot;
}

function requireData(da: DataArray, fn: string): void {
  if (da.size === 0 || da.dtype === 'string') throw new ToolBoxTypeError(`${fn}: no numeric data to plot (${da.size === 0 ? 'the array is empty' : 'it holds strings'})`, { dtype: da.dtype });
}

/** The `plot` of a DataArray (see DataArrayPlot). */
export function plotAccessor(da: DataArray): DataArrayPlot {
  const lineOf = (fn: string, o?: LineOptions) => { requireData(da, fn); return line(da, checkOptions(fn, o, LINE_OPTIONS)); };
  const imageOf = (fn: string, origin: 'upper' | 'lower', o?: ImageOptions) => {
    requireData(da, fn);
    return image(da, { origin, ...checkOptions(fn, o, IMAGE_OPTIONS) });
  };
  const histOf = (fn: string, o?: HistogramOptions) => { requireData(da, fn); return histogram(da, checkOptions(fn, o, HISTOGRAM_OPTIONS)); };
  const plot = (options?: LineOptions | ImageOptions | HistogramOptions): Plot => {
    if (da.ndim === 1) return lineOf('DataArray.plot', options as LineOptions);
    if (da.ndim === 2) return imageOf('DataArray.plot', 'lower', options as ImageOptions);
    return histOf('DataArray.plot', options as HistogramOptions);
  };
  return Object.assign(plot, {
    line: (o?: LineOptions) => lineOf('DataArray.plot.line', o),
    imshow: (o?: ImageOptions) => imageOf('DataArray.plot.imshow', 'upper', o),
    pcolormesh: (o?: ImageOptions) => imageOf('DataArray.plot.pcolormesh', 'lower', o),
    hist: (o?: HistogramOptions) => histOf('DataArray.plot.hist', o),
  });
}
