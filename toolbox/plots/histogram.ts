/**
 * histogram: counts are computed here, so the notebook stores one row per
 * bin instead of every value, and the counts are exactly numpy's
 * (equal-width bins, the last one closed).
 */
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { COMMON_PLOT_OPTIONS, type CommonPlotOptions, quantitative, topLevel } from './spec.js';
import { type PlotValues, labelOf, toNumbers } from './values.js';

/** Options of histogram(). */
export interface HistogramOptions extends CommonPlotOptions {
  /** Number of equal bins (default 50) or the bin edges (increasing). */
  bins?: number | ArrayLike<number>;
  /** [lo, hi] of the equal bins (default the data's finite min and max). */
  range?: [number, number];
  /** Logarithmic count axis (empty bins are left out). */
  log?: boolean;
}
export const HISTOGRAM_OPTIONS = mergeOptionNames<HistogramOptions>(COMMON_PLOT_OPTIONS, optionNames<Omit<HistogramOptions, keyof CommonPlotOptions>>({ bins: true, range: true, log: true }));

/** Result of histogramCounts. */
export interface HistogramCounts {
  /** Bin edges (one more than counts). */
  edges: Float64Array;
  /** Values per bin. */
  counts: Float64Array;
}

/** numpy.histogram: values outside the edges and NaN are not counted. */
export function histogramCounts(values: ArrayLike<number>, bins: number | ArrayLike<number> = 50, range?: [number, number]): HistogramCounts {
  let edges: Float64Array;
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new ToolBoxValueError(`histogram bins must be a positive integer or edges, got ${bins}`);
    let [lo, hi] = range ?? [Infinity, -Infinity];
    if (!range) for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
    if (!(lo <= hi)) { lo = 0; hi = 1; }
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    edges = Float64Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  } else {
    edges = Float64Array.from(bins);
    for (let i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) throw new ToolBoxValueError(`histogram bin edges must increase, got ${edges[i - 1]} then ${edges[i]}`);
    if (edges.length < 2) throw new ToolBoxValueError('histogram needs at least two bin edges');
  }
  const n = edges.length - 1;
  const counts = new Float64Array(n);
  const lo = edges[0], hi = edges[n];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    // Binary search: edges need not be equal.
    let a = 0, b = n;
    while (b - a > 1) { const m = (a + b) >> 1; if (v >= edges[m]) a = m; else b = m; }
    counts[a]++;
  }
  return { edges, counts };
}

/** Histogram of `values` (counts as numpy.histogram computes them). */
export function histogram(values: PlotValues, options: HistogramOptions = {}): Plot {
  checkOptions('plot.histogram', options, HISTOGRAM_OPTIONS);
  const { edges, counts } = histogramCounts(toNumbers(values, 'histogram values'), options.bins, options.range);
  // Bars start at 0, or at half a count on a log axis (which has no 0).
  const base = options.log ? 0.5 : 0;
  const rows: { left: number; right: number; count: number; base: number }[] = [];
  counts.forEach((count, i) => { if (!options.log || count > 0) rows.push({ left: edges[i], right: edges[i + 1], count, base }); });
  const label = options.xLabel ?? labelOf(values, 'value');
  const spec = topLevel(options, {
    data: { values: rows },
    mark: { type: 'rect' },
    encoding: {
      x: quantitative('left', label, { zero: false }),
      x2: { field: 'right' },
      y: quantitative('count', options.yLabel ?? 'count', options.log ? { type: 'log', domainMin: base } : {}),
      y2: { field: 'base' },
      tooltip: [{ field: 'left', type: 'quantitative' }, { field: 'right', type: 'quantitative' }, { field: 'count', type: 'quantitative' }],
    },
  });
  return new Plot({ description: `histogram of ${label} (${counts.length} bins, ${counts.reduce((a, b) => a + b, 0)} values${options.log ? ', log counts' : ''})`, spec: () => spec });
}
