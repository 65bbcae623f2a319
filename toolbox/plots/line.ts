/**
 * line: one or several curves, each optionally with a shaded band y ± err
 * (a standard deviation or error of the mean).
 */
import { DataArray } from '../arrays/dataarray.js';
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { COMMON_PLOT_OPTIONS, type CommonPlotOptions, quantitative, topLevel, warnIfMany } from './spec.js';
import { type PlotValues, axisOf, jsonNumber, labelOf, toNumbers } from './values.js';

/** One curve of line(). */
export interface LineSeries {
  /** The values (a 1-D DataArray brings its coordinate as x). */
  y: PlotValues;
  /** Default: the coordinate of a 1-D DataArray y, else positions 0..n-1. */
  x?: PlotValues;
  /** Half-width of the shaded band around y. */
  err?: PlotValues;
  /** Legend entry. */
  name?: string;
}

/** Options of line(). */
export interface LineOptions extends CommonPlotOptions {
  /** x for every series that has none. */
  x?: PlotValues;
  /** Band half-width for a single series. */
  err?: PlotValues;
  /** Dim of a 2-D DataArray whose entries become separate curves (default its first dim). */
  hue?: string;
  /** Logarithmic x axis. */
  xLog?: boolean;
  /** Logarithmic y axis. */
  yLog?: boolean;
  /** Draw a dot at each point too. */
  points?: boolean;
}
export const LINE_OPTIONS = mergeOptionNames<LineOptions>(COMMON_PLOT_OPTIONS, optionNames<Omit<LineOptions, keyof CommonPlotOptions>>({ x: true, err: true, hue: true, xLog: true, yLog: true, points: true }));

/** What line() draws: one curve, a list of curves, or curves by name. */
export type LineInput = PlotValues | LineSeries | (PlotValues | LineSeries)[] | Record<string, PlotValues | LineSeries>;

function isSeries(v: unknown): v is LineSeries {
  return typeof v === 'object' && v !== null && !(v instanceof DataArray) && 'y' in v && !ArrayBuffer.isView(v);
}

/** A 2-D DataArray → one series per entry along `hue`. */
function splitHue(da: DataArray, hue: string | undefined): LineSeries[] {
  const h = hue ?? da.dims[0];
  if (!da.dims.includes(h)) throw new ToolBoxValueError(`line: hue dim '${h}' is not one of (${da.dims.join(', ')})`);
  const labels = da.coords[h] ? Array.from(da.coords[h].values as ArrayLike<unknown>, String) : Array.from({ length: da.sizes[h] }, (_, i) => String(i));
  return labels.map((label, i) => ({ y: da.isel({ [h]: i }), name: `${h}=${label}` }));
}

function normalise(input: LineInput, options: LineOptions): LineSeries[] {
  if (input instanceof DataArray) {
    if (input.ndim === 2) return splitHue(input, options.hue);
    return [{ y: input, ...(options.err ? { err: options.err } : {}) }];
  }
  if (isSeries(input)) return [input];
  // A list of arrays or series is several curves; a list of numbers is one.
  if (Array.isArray(input) && input.some((v) => typeof v === 'object' && v !== null)) {
    return (input as (PlotValues | LineSeries)[]).map((v) => (isSeries(v) ? v : { y: v }));
  }
  if (ArrayBuffer.isView(input) || Array.isArray(input)) return [{ y: input as PlotValues, ...(options.err ? { err: options.err } : {}) }];
  return Object.entries(input as Record<string, PlotValues | LineSeries>).map(([name, v]) => (isSeries(v) ? { name, ...v } : { y: v, name }));
}

/**
 * Line plot of one curve (values, or a 1-D DataArray against its coordinate),
 * several curves (an array or a name → curve record), each optionally with a
 * shaded band y ± err.
 */
export function line(input: LineInput, options: LineOptions = {}): Plot {
  checkOptions('plot.line', options, LINE_OPTIONS);
  const series = normalise(input, options);
  if (series.length === 0) throw new ToolBoxValueError('line: no series to plot');
  const rows: Record<string, number | string | null>[] = [];
  let xLabel = options.xLabel, yLabel = options.yLabel;
  let withBand = false;
  const used = new Set<string>();
  series.forEach((s, k) => {
    let name = s.name ?? (s.y instanceof DataArray && s.y.name ? s.y.name : `series ${k}`);
    // Rows are grouped by name: equal names would merge two curves into one.
    if (used.has(name)) name = `${name} (${k})`;
    used.add(name);
    if (s.y instanceof DataArray && s.y.ndim !== 1) throw new ToolBoxValueError(`line: series ${name} must be 1-D, got dims (${s.y.dims.join(', ')})`);
    const y = toNumbers(s.y, `y of ${name}`);
    const xIn = s.x ?? options.x;
    const x = xIn !== undefined ? toNumbers(xIn, `x of ${name}`)
      : s.y instanceof DataArray && s.y.ndim === 1 ? axisOf(s.y, s.y.dims[0]).values : Float64Array.from(y, (_, i) => i);
    if (x.length !== y.length) throw new ToolBoxValueError(`line: series ${name} has ${y.length} y values but ${x.length} x values`);
    const err = s.err !== undefined ? toNumbers(s.err, `err of ${name}`) : undefined;
    if (err && err.length !== y.length) throw new ToolBoxValueError(`line: series ${name} has ${y.length} y values but ${err.length} err values`);
    withBand ||= err !== undefined;
    xLabel ??= xIn !== undefined ? labelOf(xIn, 'x') : s.y instanceof DataArray && s.y.ndim === 1 ? axisOf(s.y, s.y.dims[0]).label : 'index';
    yLabel ??= series.length === 1 ? labelOf(s.y, 'y') : undefined;
    for (let i = 0; i < y.length; i++) {
      rows.push({
        x: jsonNumber(x[i]), y: jsonNumber(y[i]), series: name,
        ...(err ? { lo: jsonNumber(y[i] - err[i]), hi: jsonNumber(y[i] + err[i]) } : {}),
      });
    }
  });
  warnIfMany(rows.length, 'line plot');
  const multi = series.length > 1;
  const colour = multi ? { color: { field: 'series', type: 'nominal', title: null } } : {};
  const x = quantitative('x', xLabel ?? 'x', options.xLog ? { type: 'log' } : { zero: false });
  const yScale = options.yLog ? { type: 'log' } : { zero: false };
  const curve = { mark: { type: 'line', ...(options.points ? { point: true } : {}) }, encoding: { x, y: quantitative('y', yLabel ?? 'value', yScale), ...colour } };
  const layers = withBand
    ? [{ mark: { type: 'area', opacity: 0.25 }, encoding: { x, y: quantitative('lo', yLabel ?? 'value', yScale), y2: { field: 'hi' }, ...colour } }, curve]
    : [curve];
  const spec = topLevel(options, { data: { values: rows }, layer: layers });
  const names = [...new Set(rows.map((r) => r.series))];
  const description = `line plot of ${names.join(', ')}${withBand ? ' with error band' : ''} (${rows.length} points)`;
  return new Plot({ description, spec: () => spec });
}
