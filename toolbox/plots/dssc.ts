/**
 * The DSSC binning plots of the Python toolbox: what a binner assigns
 * (plotBinner), how many trains or frames each bin gets (plotBinnerHist),
 * the pixel values of a binned result (plotHistProcessed) and the XGM
 * threshold of the pulse mask (plotXgmThreshold). They take the DataArrays
 * the binner produces, so the plot layer does not depend on the binner.
 */
import { DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { ToolBoxValueError } from '../errors.js';
import { histogramCounts } from './histogram.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { COMMON_PLOT_OPTIONS, type CommonPlotOptions, type VegaLiteSpec, quantitative, topLevel, warnIfMany } from './spec.js';
import { axisOf, jsonNumber, labelOf } from './values.js';

type Label = number | string;

/** A binner: a 1-D DataArray of labels (numbers or strings) over 'trainId', 'pulse', 'x' or 'y'. */
function binnerLabels(binner: DataArray, what: string): { dim: string; labels: (Label | null)[]; strings: boolean } {
  if (!(binner instanceof DataArray) || binner.ndim !== 1) {
    throw new ToolBoxValueError(`${what} needs a 1-D binner DataArray (over trainId or pulse), got ${binner instanceof DataArray ? `dims (${binner.dims.join(', ')})` : typeof binner}`);
  }
  const strings = binner.dtype === 'string';
  const labels = Array.from(binner.values as ArrayLike<unknown>, (v): Label | null => {
    if (strings) return String(v);
    const x = Number(v);
    return Number.isFinite(x) ? x : null;
  });
  return { dim: binner.dims[0], labels, strings };
}

/** Labels in order of first appearance (strings) or ascending (numbers), missing ones left out. */
function distinct(labels: (Label | null)[], strings: boolean): Label[] {
  const seen = [...new Set(labels.filter((l): l is Label => l !== null))];
  return strings ? seen : (seen as number[]).sort((a, b) => a - b);
}

/** The binner's name and units, unless it is just named after its dim (then x would say the same). */
function binTitle(binner: DataArray, dim: string): string {
  return binner.name && binner.name !== dim ? labelOf(binner, 'bin') : 'bin';
}

function labelAxis(field: string, title: string, strings: boolean, order: Label[]): VegaLiteSpec {
  return strings ? { field, type: 'nominal', title, sort: order } : quantitative(field, title, { zero: false });
}

/** plot_binner: the bin label of every train (or frame) against its coordinate. */
export function plotBinner(binner: DataArray, options: CommonPlotOptions = {}): Plot {
  checkOptions('plotBinner', options, COMMON_PLOT_OPTIONS);
  const { dim, labels, strings } = binnerLabels(binner, 'plotBinner');
  const x = axisOf(binner, dim);
  const rows = labels.map((label, i) => ({ [dim]: jsonNumber(x.values[i]), label }));
  warnIfMany(rows.length, 'plotBinner');
  const yTitle = options.yLabel ?? binTitle(binner, dim);
  const spec = topLevel({ title: `binner along ${dim}`, ...options }, {
    data: { values: rows },
    mark: strings ? { type: 'point' } : { type: 'line', point: true },
    encoding: {
      x: quantitative(dim, options.xLabel ?? x.label, { zero: false }),
      y: labelAxis('label', yTitle, strings, distinct(labels, strings)),
      tooltip: [{ field: dim, type: 'quantitative' }, { field: 'label', type: strings ? 'nominal' : 'quantitative' }],
    },
  });
  return new Plot({ description: `binner along ${dim}: ${distinct(labels, strings).length} bins over ${labels.length} ${dim} values`, spec: () => spec });
}

/** Trains (or frames) per bin label; entries without a label (NaN) are counted apart. */
export function binnerCounts(binner: DataArray): { labels: (number | string)[]; counts: number[]; unassigned: number } {
  const { labels, strings } = binnerLabels(binner, 'binnerCounts');
  const order = distinct(labels, strings);
  const at = new Map(order.map((l, i) => [l, i]));
  const counts = new Array<number>(order.length).fill(0);
  let unassigned = 0;
  for (const l of labels) {
    if (l === null) unassigned++;
    else counts[at.get(l)!]++;
  }
  return { labels: order, counts, unassigned };
}

/** plot_binner_hist: how many trains (or frames) each bin label gets. */
export function plotBinnerHist(binner: DataArray, options: CommonPlotOptions = {}): Plot {
  checkOptions('plotBinnerHist', options, COMMON_PLOT_OPTIONS);
  const { dim, strings } = binnerLabels(binner, 'plotBinnerHist');
  const { labels, counts, unassigned } = binnerCounts(binner);
  const unit = dim === 'trainId' ? 'trains' : dim === 'pulse' ? 'frames' : 'pixels';
  const title = `${unit} per bin along ${dim}${unassigned ? ` (${unassigned} ${unit} without a bin)` : ''}`;
  const xTitle = options.xLabel ?? binTitle(binner, dim);
  const spec = topLevel({ title, ...options }, {
    data: { values: labels.map((label, i) => ({ label, count: counts[i] })) },
    mark: { type: 'bar' },
    encoding: {
      x: strings ? { field: 'label', type: 'nominal', title: xTitle, sort: labels } : quantitative('label', xTitle, { zero: false }),
      y: quantitative('count', options.yLabel ?? unit),
      tooltip: [{ field: 'label', type: strings ? 'nominal' : 'quantitative' }, { field: 'count', type: 'quantitative' }],
    },
  });
  return new Plot({ description: `${labels.length} bins along ${dim}, ${counts.reduce((a, b) => a + b, 0)} ${unit} binned${unassigned ? `, ${unassigned} without a bin` : ''}`, spec: () => spec });
}

/** Options of plotHistProcessed. */
export interface HistProcessedOptions extends CommonPlotOptions {
  /** The variable of a Dataset to use (default 'data'). */
  name?: string;
  /** Equal bins (default 100) over `range` (default the finite min and max of all values). */
  bins?: number;
  /** `[lo, hi]` of the bins. */
  range?: [number, number];
  /** Logarithmic count axis (empty bins become gaps). */
  log?: boolean;
}
const HIST_PROCESSED_OPTIONS = mergeOptionNames<HistProcessedOptions>(COMMON_PLOT_OPTIONS, optionNames<Omit<HistProcessedOptions, keyof CommonPlotOptions>>({ name: true, bins: true, range: true, log: true }));

/**
 * plot_hist_processed: histograms of the pixel values of a binned result,
 * one curve per pulse label, all on the same bins.
 */
export function plotHistProcessed(data: Dataset | DataArray, options: HistProcessedOptions = {}): Plot {
  checkOptions('plotHistProcessed', options, HIST_PROCESSED_OPTIONS);
  const name = options.name ?? 'data';
  const da = data instanceof Dataset ? data.get(name) : data;
  if (!(da instanceof DataArray)) throw new ToolBoxValueError(`plotHistProcessed needs a Dataset or DataArray, got ${typeof data}`);
  const hasPulse = da.dims.includes('pulse');
  const nLabels = hasPulse ? da.sizes.pulse : 1;
  const labels = !hasPulse ? ['all']
    : da.coords.pulse ? Array.from(da.coords.pulse.values as ArrayLike<unknown>, String) : Array.from({ length: nLabels }, (_, i) => String(i));
  // No copy of float data: a binned result of 16 modules can be GBs.
  const values = da.values instanceof Float64Array || da.values instanceof Float32Array
    ? da.values : Float64Array.from(da.values as ArrayLike<number | bigint>, Number);
  let range = options.range;
  if (!range) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    range = lo <= hi ? [lo, hi] : [0, 1];
  }
  const edges = histogramCounts([], options.bins ?? 100, range).edges;
  const perLabel = labels.map(() => new Float64Array(edges.length - 1));
  // Values are C-ordered: each run of `inner` values shares one pulse label.
  const axis = hasPulse ? da.dims.indexOf('pulse') : 0;
  const inner = hasPulse ? da.shape.slice(axis + 1).reduce((a, b) => a * b, 1) : values.length;
  for (let start = 0, block = 0; start < values.length; start += inner, block++) {
    const counts = histogramCounts(values.subarray(start, start + inner), edges).counts;
    const into = perLabel[block % nLabels];
    for (let i = 0; i < counts.length; i++) into[i] += counts[i];
  }
  const rows: { value: number; count: number | null; pulse: string }[] = [];
  const totals: string[] = [];
  const c = (n: number) => (options.log && n === 0 ? null : n);
  perLabel.forEach((counts, k) => {
    counts.forEach((n, i) => rows.push({ value: edges[i], count: c(n), pulse: labels[k] }));
    // The last bin's right edge closes the step.
    rows.push({ value: edges[edges.length - 1], count: c(counts[counts.length - 1]), pulse: labels[k] });
    totals.push(`${labels[k]}: ${counts.reduce((a, b) => a + b, 0)}`);
  });
  const valueTitle = options.xLabel ?? labelOf(da, name);
  const spec = topLevel({ title: `pixel values of ${da.name ?? name} per pulse label`, ...options }, {
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: quantitative('value', valueTitle, { zero: false }),
      y: quantitative('count', options.yLabel ?? 'pixels', options.log ? { type: 'log' } : {}),
      color: { field: 'pulse', type: 'nominal', title: 'pulse', sort: labels },
    },
  });
  return new Plot({ description: `histogram of ${valueTitle} per pulse label (${totals.join(', ')} values)`, spec: () => spec });
}

/** Options of plotXgmThreshold. */
export interface XgmThresholdOptions extends CommonPlotOptions {
  /** `[lo, hi]`: pulses with lo < XGM < hi are kept; null or ±Infinity for no bound. */
  threshold?: [number | null, number | null];
  /** Most points drawn (default 20 000): above it every k-th train is drawn; the fraction counts all. */
  maxPoints?: number;
  /** Python's xgm_min: the lower bound, when `threshold` is not given. */
  xgmMin?: number | null;
  /** Python's xgm_max: the upper bound, when `threshold` is not given. */
  xgmMax?: number | null;
  /** Run number shown in the title (Python's run_nr). */
  runNr?: number | string;
}
const XGM_THRESHOLD_OPTIONS = mergeOptionNames<XgmThresholdOptions>(COMMON_PLOT_OPTIONS, optionNames<Omit<XgmThresholdOptions, keyof CommonPlotOptions>>({
  threshold: true, maxPoints: true, xgmMin: true, xgmMax: true, runNr: true,
}));

/**
 * plot_xgm_threshold: the XGM pulse energies of every train (x: trainId)
 * with the threshold lines of the pulse mask; the title gives the fraction
 * of pulses rejected (outside (lo, hi), or without an XGM value).
 */
export function plotXgmThreshold(xgm: DataArray, options: XgmThresholdOptions = {}): Plot {
  checkOptions('plotXgmThreshold', options, XGM_THRESHOLD_OPTIONS);
  if (options.threshold && (options.xgmMin !== undefined || options.xgmMax !== undefined)) {
    throw new ToolBoxValueError('plotXgmThreshold: give threshold: [lo, hi] or xgmMin/xgmMax, not both');
  }
  if (!(xgm instanceof DataArray) || !xgm.dims.includes('trainId') || xgm.ndim > 2) {
    throw new ToolBoxValueError(`plotXgmThreshold needs the XGM as a (trainId, pulse) DataArray, got ${xgm instanceof DataArray ? `dims (${xgm.dims.join(', ')})` : typeof xgm}`);
  }
  const pulseDim = xgm.dims.find((d) => d !== 'trainId');
  const t = pulseDim ? xgm.transpose('trainId', pulseDim) : xgm;
  const nTrains = t.sizes.trainId, nPulses = pulseDim ? t.sizes[pulseDim] : 1;
  const trains = axisOf(t, 'trainId').values;
  const v = t.values as ArrayLike<number>;
  const [loIn, hiIn] = options.threshold ?? [options.xgmMin ?? null, options.xgmMax ?? null];
  const lo = loIn ?? -Infinity, hi = hiIn ?? Infinity;
  if (!(lo < hi)) throw new ToolBoxValueError(`plotXgmThreshold: threshold [${lo}, ${hi}] keeps nothing; give [lo, hi] with lo < hi`);
  let rejected = 0;
  for (let i = 0; i < v.length; i++) if (!(v[i] > lo && v[i] < hi)) rejected++;
  const maxPoints = options.maxPoints ?? 20_000;
  const every = Math.max(1, Math.ceil(v.length / maxPoints));
  const rows: { trainId: number; pulse: number; xgm: number | null; kept: string }[] = [];
  for (let i = 0; i < nTrains; i += every) {
    for (let p = 0; p < nPulses; p++) {
      const x = Number(v[i * nPulses + p]);
      rows.push({ trainId: trains[i], pulse: p, xgm: jsonNumber(x), kept: x > lo && x < hi ? 'kept' : 'rejected' });
    }
  }
  const fraction = v.length ? rejected / v.length : 0;
  const run = options.runNr !== undefined ? `run ${options.runNr} ` : '';
  const title = options.title ?? `${run}XGM threshold: ${(100 * fraction).toFixed(1)}% of ${v.length} pulses rejected`;
  const lines = [lo, hi].filter(Number.isFinite).map((y) => ({ y }));
  const yTitle = options.yLabel ?? labelOf(xgm, 'XGM');
  const layers: VegaLiteSpec[] = [{
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 8 },
    encoding: {
      x: quantitative('trainId', options.xLabel ?? 'trainId', { zero: false }),
      y: quantitative('xgm', yTitle, { zero: false }),
      color: { field: 'kept', type: 'nominal', title: null, scale: { domain: ['kept', 'rejected'], range: ['#4c78a8', '#e45756'] } },
    },
  }];
  if (lines.length) layers.push({ data: { values: lines }, mark: { type: 'rule', color: 'red', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } });
  const spec = topLevel({ ...options, title }, { layer: layers });
  const shown = every > 1 ? `; 1 train in ${every} drawn` : '';
  return new Plot({ description: `XGM of ${nTrains} trains × ${nPulses} pulses, ${rejected} rejected by (${lo}, ${hi})${shown}`, spec: () => spec });
}
