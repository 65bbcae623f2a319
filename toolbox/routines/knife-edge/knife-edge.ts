/**
 * knifeEdge (Python: toolbox_scs.routines.knife_edge): the beam radius at 1/e²
 * from a knife-edge scan in a Dataset, e.g. load(…, ['scannerX',
 * 'FastADC4peaks']): the motor position per train against the detector
 * signal per train (and pulse).
 */
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError, VariableNameError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { Plot } from '../../plots/plot.js';
import { displayAsPlot } from '../../plots/with-plot.js';
import { type KnifeEdgeFit, pairWith } from './base.js';
import { type KnifeEdgeFitFields, fitKnifeEdge } from './fit.js';
import { knifeEdgePlot, knifeEdgeReport } from './plot.js';
import { type KnifeEdgeAxisRange, preparePoints } from './prepare.js';

export interface KnifeEdgeOptions {
  /** Variable of the motor positions (default 'scannerX'). */
  axisKey?: string;
  /** Variable of the detector signal (default 'FastADC4peaks'). */
  signalKey?: string;
  /** Edges of the scanning axis between which to fit (inclusive). */
  axisRange?: KnifeEdgeAxisRange | null;
  /** Starting parameters x0, w0, a, b; default mean position, 0.1 (mm), max/2, 0. */
  p0?: ArrayLike<number> | null;
  /** Return [popt, pcov] instead of [w0, w0Std] (default false). */
  full?: boolean;
  /** Attach the plot of the data and the fit; the result then shows as that plot (default false). */
  plot?: boolean;
  /** Print the fit (default false; true when plot is). */
  display?: boolean;
}
const KNIFE_EDGE_OPTIONS = optionNames<KnifeEdgeOptions>({ axisKey: true, signalKey: true, axisRange: true, p0: true, full: true, plot: true, display: true });

/** Fields every knifeEdge result has; `plot` with `plot: true`. */
export type KnifeEdgeRoutineFields = KnifeEdgeFitFields & { plot?: Plot };
/** knifeEdge's result with `full: true`: [popt, pcov] with the fit's fields. */
export type KnifeEdgeFullFit = [popt: number[], pcov: number[][]] & KnifeEdgeRoutineFields;

function variable(ds: Dataset, key: string, option: string): DataArray {
  try {
    return ds.get(key);
  } catch (err) {
    if (!(err instanceof VariableNameError)) throw err;
    throw new VariableNameError(`knifeEdge: ${option} '${key}' is not in the dataset: ${err.message}`,
      { variable: key, available: err.available, suggestions: err.suggestions });
  }
}

/** Signal with the positions' dim first, so its rows follow the positions (2-D at most). */
function alignSignal(pos: DataArray, sig: DataArray, axisKey: string, signalKey: string): { positions: DataArray | Float64Array; signal: DataArray | Float64Array } {
  const d = pos.dims[0];
  if (pos.ndim !== 1) {
    if (pos.ndim === sig.ndim && pos.dims.every((x) => sig.dims.includes(x))) {
      return { positions: Float64Array.from(pos.values as ArrayLike<number>, Number), signal: Float64Array.from(sig.transpose(...pos.dims).values as ArrayLike<number>, Number) };
    }
    throw new ToolBoxValueError(`knifeEdge: '${axisKey}' has dims (${pos.dims.join(', ')}); expected one position per train`);
  }
  if (!sig.dims.includes(d)) throw new ToolBoxValueError(`knifeEdge: '${signalKey}' has dims (${sig.dims.join(', ')}), without the positions' dim '${d}'`);
  if (sig.ndim > 2) throw new ToolBoxValueError(`knifeEdge: '${signalKey}' must be 1-D or 2-D (one row per position), got dims (${sig.dims.join(', ')})`);
  return { positions: pos, signal: sig.dims[0] === d ? sig : sig.transpose(d, ...sig.dims.filter((x) => x !== d)) };
}

/**
 * knifeEdge: fit a·erfc(√2(x − x0)/w0) + b (erf for a rising signal) to
 * ds[signalKey] against ds[axisKey] (see knifeEdgeBase). Returns [w0, w0Std]
 * in the units of the positions (mm for the scanners), or [popt, pcov] with
 * `full`; both carry every fit detail as fields, and the plot with `plot`.
 */
export function knifeEdge(ds: Dataset, options: KnifeEdgeOptions & { full: true }): KnifeEdgeFullFit;
export function knifeEdge(ds: Dataset, options?: KnifeEdgeOptions & { full?: false }): KnifeEdgeFit & { plot?: Plot };
export function knifeEdge(ds: Dataset, options?: KnifeEdgeOptions): (KnifeEdgeFit & { plot?: Plot }) | KnifeEdgeFullFit;
export function knifeEdge(ds: Dataset, options: KnifeEdgeOptions = {}): (KnifeEdgeFit & { plot?: Plot }) | KnifeEdgeFullFit {
  const o = checkOptions('knifeEdge', options, KNIFE_EDGE_OPTIONS);
  const { axisKey = 'scannerX', signalKey = 'FastADC4peaks', axisRange, p0, full = false, plot = false } = o;
  const display = o.display ?? plot;
  const pos = variable(ds, axisKey, 'axisKey');
  const sig = variable(ds, signalKey, 'signalKey');
  const { positions, signal } = alignSignal(pos, sig, axisKey, signalKey);
  const { x, y, ...kept } = preparePoints(positions, signal, axisRange);
  const fit = fitKnifeEdge('knifeEdge', x, y, p0, { ...kept, axisRange });
  const unit = typeof pos.attrs.units === 'string' ? pos.attrs.units : 'mm';
  const text = knifeEdgeReport(fit, unit, `knifeEdge(${axisKey}, ${signalKey})`);
  if (display) console.log(text);
  const fields: KnifeEdgeRoutineFields = { ...fit };
  if (plot) fields.plot = knifeEdgePlot(x, y, fit, { xLabel: `${axisKey} [${unit}]`, yLabel: signalKey, unit });
  const result = full ? pairWith(fit.popt, fit.pcov, fields) : pairWith(fit.w0, fit.w0Std, fields);
  if (fields.plot) displayAsPlot(result, fields.plot, () => text);
  return result;
}
