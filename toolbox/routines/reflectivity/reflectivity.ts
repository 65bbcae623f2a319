/**
 * reflectivity (Python: toolbox_scs.routines.reflectivity): the transient
 * reflectivity ΔR = 100·(Ir/Io[pumped] / Ir/Io[unpumped] − 1) binned on the
 * delay, with an optional step or double-exponential fit for t0.
 * docs/routines.md, Reflectivity, says what was decided where the Python
 * documentation is silent.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import type { Attrs } from '../../arrays/dataarray.js';
import { ParameterError } from '../../errors.js';
import { SPEED_OF_LIGHT_MM_PER_PS, delayToPosition, positionToDelay } from '../../misc/laser.js';
import { checkOptions, optionNames } from '../../options.js';
import type { Plot } from '../../plots/plot.js';
import { type BinnedReflectivity, binReflectivity } from './binning.js';
import { type ReflectivityFit, fitReflectivity } from './fit.js';
import type { ReflectivityFitModel } from './models.js';
import { reflectivityPlot } from './plot.js';
import { datasetWithPlot } from '../../plots/with-plot.js';
import { type ReflectivityScheme, reflectivitySamples } from './samples.js';

export interface ReflectivityOptions {
  /** Io variable (default 'FastADC5peaks'). */
  iokey?: string;
  /** Ir variable (default 'FastADC3peaks'). */
  irkey?: string;
  /** Delay variable, per train or per pulse: stage position (mm) or delay (ps) (default 'PP800_DelayLine'). */
  delaykey?: string;
  /** Bin width in the units of the delay variable (default 0.05). */
  binWidth?: number;
  /** Add the ps axis `delay_ps` from the position with origin and invert (default true; nothing without origin, or when units is 'ps'). */
  positionToDelay?: boolean;
  /** Stage position of time overlap (mm), or the delay of it when units is 'ps'; drawn as t0 when nothing is fitted. */
  origin?: number | null;
  /** Sign of the position → delay conversion (default false, as the Python reflectivity). */
  invert?: boolean;
  /** Every pulse pumped: ΔR is Ir/Io (default false). */
  pumpedOnly?: boolean;
  /** Whole trains alternate pumped/unpumped instead of pulses (default false). */
  alternateTrains?: boolean;
  /** With alternateTrains: even train IDs are pumped (default true), else odd ones. */
  pumpOnEven?: boolean;
  /** Ratio of the summed intensities per bin instead of the mean of the per-pair ratios (default false). */
  ioweights?: boolean;
  /** Attach the plot; the result then shows as it (default true). */
  plot?: boolean;
  /** Draw the 95% confidence band ±1.96·sterr (default true). */
  plotErrors?: boolean;
  /** Units of the delay variable: 'mm' (a stage position, default) or 'ps'. */
  units?: 'mm' | 'ps';
  /** Fit the binned ΔR: true or 'doubleExponential', or 'step' (default false: no fit). */
  fit?: boolean | ReflectivityFitModel;
  /** Starting parameters of the fit, in the order of the model's parameters (docs/routines.md); estimated from the data when absent. */
  p0?: number[];
}
const OPTIONS = optionNames<ReflectivityOptions>({
  iokey: true, irkey: true, delaykey: true, binWidth: true, positionToDelay: true, origin: true, invert: true, pumpedOnly: true,
  alternateTrains: true, pumpOnEven: true, ioweights: true, plot: true, plotErrors: true, units: true, fit: true, p0: true,
});

/** What reflectivity() returns: the binned Dataset, with its plot unless `plot: false`. */
export type ReflectivityResult = Dataset & { readonly plot?: Plot };

function schemeOf(o: ReflectivityOptions): ReflectivityScheme {
  if (o.pumpedOnly && o.alternateTrains) throw new ParameterError('reflectivity: pumpedOnly and alternateTrains exclude each other; choose one scheme', { parameter: 'alternateTrains', value: true });
  return o.pumpedOnly ? 'pumpedOnly' : o.alternateTrains ? 'alternateTrains' : 'alternatePulses';
}

function fitModelOf(fit: ReflectivityOptions['fit']): ReflectivityFitModel | null {
  if (fit === undefined || fit === false) return null;
  if (fit === true) return 'doubleExponential';
  if (fit === 'doubleExponential' || fit === 'step') return fit;
  throw new ParameterError(`reflectivity: fit must be true, false, 'doubleExponential' or 'step', got ${JSON.stringify(fit)}`, { parameter: 'fit', value: fit, expected: ['doubleExponential', 'step'] });
}

/** Fit results as attributes: each parameter and its error by name, the lists, and t0 as a stage position when fitted in ps. */
function fitAttrs(fit: ReflectivityFit, axis: string, axisUnits: string, origin: number | null, invert: boolean): Attrs {
  const a: Attrs = { fitModel: fit.model, fitAxis: axis, fitUnits: axisUnits, fitParameters: fit.names, fitValues: fit.popt, fitErrors: fit.perr, fitCovariance: fit.pcov };
  fit.names.forEach((n, i) => { a[n] = fit.popt[i]; a[`${n}Err`] = fit.perr[i]; });
  if (axis === 'delay_ps' && origin !== null) {
    a.t0Position = delayToPosition(fit.popt[0], { origin, invert });
    a.t0PositionErr = (fit.perr[0] * SPEED_OF_LIGHT_MM_PER_PS) / 2;
  }
  return a;
}

/**
 * reflectivity(data, options): ΔR binned on the delay (dim = delaykey) with
 * deltaR, std, sterr, counts, the `delay_ps` coordinate when converted, and
 * with `fit` the fitted curve as variable `fit` and its parameters and
 * standard errors as attributes.
 */
export function reflectivity(data: Dataset, options: ReflectivityOptions = {}): ReflectivityResult {
  const o = checkOptions('reflectivity', options, OPTIONS);
  const { iokey = 'FastADC5peaks', irkey = 'FastADC3peaks', delaykey = 'PP800_DelayLine', binWidth = 0.05, positionToDelay: convert = true, origin = null } = o;
  const { invert = false, pumpOnEven = true, ioweights = false, plot = true, plotErrors = true, units = 'mm' } = o;
  if (units !== 'mm' && units !== 'ps') throw new ParameterError(`reflectivity: units must be 'mm' or 'ps', got ${JSON.stringify(units)}`, { parameter: 'units', value: units, expected: ['mm', 'ps'] });
  const scheme = schemeOf(o), model = fitModelOf(o.fit);
  const keys = { iokey, irkey, delaykey };
  const binned = binReflectivity(reflectivitySamples(data, keys, scheme, pumpOnEven), binWidth, { pumpedOnly: scheme === 'pumpedOnly', ioweights, keys });
  const ps = units === 'mm' && convert && origin !== null ? positionToDelay(binned.delay, { origin, invert }) : null;
  const x = ps ?? binned.delay;
  const fit = model ? fitReflectivity(x, binned.deltaR, model, ps || units === 'ps' || !invert ? 1 : -1, o.p0) : null;
  const attrs: Attrs = { scheme, ioweights, binWidth, units, invert, ...(origin !== null ? { origin } : {}) };
  if (fit) Object.assign(attrs, fitAttrs(fit, ps ? 'delay_ps' : delaykey, ps ? 'ps' : units, origin, invert));
  const ds = toDataset(binned, delaykey, units, ps, fit, attrs);
  // ds.plot is undefined, not a missing-variable error, when no plot is asked for
  if (!plot) return Object.defineProperty(ds, 'plot', { value: undefined, enumerable: false }) as ReflectivityResult;
  const t0 = fit ? { x: fit.popt[0], label: `fitted t0 = ${fit.popt[0].toPrecision(6)} ± ${fit.perr[0].toPrecision(2)}` } : origin !== null ? { x: ps ? 0 : origin, label: `origin ${origin} ${units}` } : undefined;
  const p = reflectivityPlot({
    x, deltaR: binned.deltaR, sterr: binned.sterr, plotErrors, xLabel: ps ? 'delay [ps]' : `${delaykey} [${units}]`,
    yLabel: scheme === 'pumpedOnly' ? 'Ir/Io' : 'ΔR/R [%]', ...(fit ? { fit: { name: `${fit.model} fit`, curve: fit.curve } } : {}), ...(t0 ? { t0 } : {}),
  });
  return datasetWithPlot(ds, p);
}

function toDataset(b: BinnedReflectivity, dim: string, units: string, ps: number[] | null, fit: ReflectivityFit | null, attrs: Attrs): Dataset {
  const on = (v: ArrayLike<number> | Int32Array, a: Attrs = {}) => new DataArray(v instanceof Int32Array ? v : Float64Array.from(v), { dims: [dim], attrs: a });
  const vars: Record<string, DataArray> = {
    deltaR: on(b.deltaR), std: on(b.std), sterr: on(b.sterr), counts: on(Int32Array.from(b.counts)),
  };
  if (fit) vars.fit = on((ps ?? b.delay).map(fit.curve), { model: fit.model });
  const coords: Record<string, DataArray> = { [dim]: on(b.delay, { units }) };
  if (ps) coords.delay_ps = on(ps, { units: 'ps' });
  return new Dataset(vars, { coords, attrs });
}
