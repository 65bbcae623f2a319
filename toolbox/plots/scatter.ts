/** scatter: y against x, optionally coloured by a third quantity. */
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { COMMON_PLOT_OPTIONS, type CommonPlotOptions, quantitative, topLevel, warnIfMany } from './spec.js';
import { type PlotValues, jsonNumber, labelOf, toNumbers } from './values.js';

/** Options of scatter(). */
export interface ScatterOptions extends CommonPlotOptions {
  /** A value per point, shown as colour. */
  color?: PlotValues;
  /** Legend title of the colour (default: from `color`'s name and units). */
  colorLabel?: string;
  /** vega colour scheme for `color` (default "viridis"). */
  scheme?: string;
  /** Logarithmic x axis. */
  xLog?: boolean;
  /** Logarithmic y axis. */
  yLog?: boolean;
  /** Point area in square pixels (default 20). */
  size?: number;
}

/** Scatter plot of y against x, optionally coloured by `options.color`. */
const SCATTER_OPTIONS = mergeOptionNames<ScatterOptions>(COMMON_PLOT_OPTIONS, optionNames<Omit<ScatterOptions, keyof CommonPlotOptions>>({ color: true, colorLabel: true, scheme: true, xLog: true, yLog: true, size: true }));

export function scatter(x: PlotValues, y: PlotValues, options: ScatterOptions = {}): Plot {
  checkOptions('plot.scatter', options, SCATTER_OPTIONS);
  const xs = toNumbers(x, 'scatter x'), ys = toNumbers(y, 'scatter y');
  if (xs.length !== ys.length) throw new ToolBoxValueError(`scatter: x has ${xs.length} values but y has ${ys.length}`);
  const cs = options.color !== undefined ? toNumbers(options.color, 'scatter color') : undefined;
  if (cs && cs.length !== xs.length) throw new ToolBoxValueError(`scatter: color has ${cs.length} values but x has ${xs.length}`);
  const rows = Array.from(xs, (xv, i) => ({ x: jsonNumber(xv), y: jsonNumber(ys[i]), ...(cs ? { c: jsonNumber(cs[i]) } : {}) }));
  warnIfMany(rows.length, 'scatter plot');
  const xLabel = options.xLabel ?? labelOf(x, 'x'), yLabel = options.yLabel ?? labelOf(y, 'y');
  const spec = topLevel(options, {
    data: { values: rows },
    mark: { type: 'point', filled: true, size: options.size ?? 20 },
    encoding: {
      x: quantitative('x', xLabel, options.xLog ? { type: 'log' } : { zero: false }),
      y: quantitative('y', yLabel, options.yLog ? { type: 'log' } : { zero: false }),
      ...(cs ? { color: { field: 'c', type: 'quantitative', title: options.colorLabel ?? labelOf(options.color, 'color'), scale: { scheme: options.scheme ?? 'viridis' } } } : {}),
    },
  });
  return new Plot({ description: `scatter plot of ${yLabel} against ${xLabel} (${rows.length} points)`, spec: () => spec });
}
