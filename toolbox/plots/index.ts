/** Plots as vega-lite specs that display themselves in notebooks (tb.plot.line, tb.plot.image, ...). */
export { Plot, vegaLite } from './plot.js';
export type { PlotParts } from './plot.js';
export type { CommonPlotOptions, VegaLiteSpec } from './spec.js';
export type { PlotValues } from './values.js';
export { line } from './line.js';
export type { LineInput, LineOptions, LineSeries } from './line.js';
export { scatter } from './scatter.js';
export type { ScatterOptions } from './scatter.js';
export { histogram, histogramCounts } from './histogram.js';
export type { HistogramCounts, HistogramOptions } from './histogram.js';
export { heatmap, image } from './image.js';
export type { ImageOptions } from './image.js';
export { colourLimits } from './colour.js';
export type { ColourOptions } from './colour.js';
export { peakParamsPlot } from './peak-params.js';
export type { PeakParamsPlotOptions } from './peak-params.js';
