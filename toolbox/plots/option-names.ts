/**
 * Run-time option names of the plot builders reached from `da.plot()`, for
 * `checkOptions` (toolbox/options.ts).
 */
import { mergeOptionNames, optionNames } from '../options.js';
import type { ColourOptions } from './colour.js';
import type { HistogramOptions } from './histogram.js';
import type { ImageOptions } from './image.js';
import type { LineOptions } from './line.js';
import type { CommonPlotOptions } from './spec.js';

export const COMMON = optionNames<CommonPlotOptions>({ title: true, width: true, height: true, xLabel: true, yLabel: true });
export const LINE_OPTIONS = mergeOptionNames<LineOptions>(COMMON, optionNames<Omit<LineOptions, keyof CommonPlotOptions>>({
  x: true, err: true, hue: true, xLog: true, yLog: true, points: true,
}));
export const COLOUR = optionNames<ColourOptions>({ scheme: true, log: true, vmin: true, vmax: true, percentiles: true });
export const IMAGE_OPTIONS = mergeOptionNames<ImageOptions>(COMMON, COLOUR, optionNames<Omit<ImageOptions, keyof CommonPlotOptions | keyof ColourOptions>>({
  x: true, origin: true, colourLabel: true, maxRectPixels: true,
}));
export const HISTOGRAM_OPTIONS = mergeOptionNames<HistogramOptions>(COMMON, optionNames<Omit<HistogramOptions, keyof CommonPlotOptions>>({
  bins: true, range: true, log: true,
}));

