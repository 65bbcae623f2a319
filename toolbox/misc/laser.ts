/**
 * Pump-probe laser helpers (Python: toolbox_scs.misc.laser_utils): delay
 * stage position ↔ optical delay, half-wave-plate angle → relative power,
 * and the fluence calibration from a power scan.
 */
import { PolynomialRegression } from 'ml-regression-polynomial';
import { polyval } from '../routines/fit/polynomial.js';
import { DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { merge } from '../arrays/combine.js';
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, optionNames } from '../options.js';
import { line } from '../plots/line.js';
import type { Plot } from '../plots/plot.js';
import { withPlot } from '../plots/with-plot.js';

/** Speed of light in mm/ps. */
export const SPEED_OF_LIGHT_MM_PER_PS = 0.299792458;

type Numbers = number | ArrayLike<number> | DataArray;

/** Apply f element-wise to a number, an array or a DataArray (coords kept). */
function elementwise(x: Numbers, f: (v: number) => number): number | number[] | DataArray {
  if (typeof x === 'number') return f(x);
  if (x instanceof DataArray) return x.map(f);
  return Array.from(x, f);
}

function checkReflections(reflections: number): void {
  if (!(reflections > 0)) throw new ToolBoxValueError(`reflections must be a positive number of bounces, got ${reflections}`);
}

export interface DelayOptions {
  /** Stage position of time zero (mm). */
  origin?: number;
  /** Flip the sign of the delay (default true, as at SCS: moving the stage out delays the probe less). */
  invert?: boolean;
  /** Bounces in the delay stage (each one adds twice the stage travel). */
  reflections?: number;
}
const DELAY_OPTIONS = optionNames<DelayOptions>({ origin: true, invert: true, reflections: true });

/**
 * positionToDelay: delay (ps) = ±2·reflections·(position − origin)/c. The
 * result has the form of the input: a number, a number[] for any array, or a
 * DataArray with the same coords.
 */
export function positionToDelay(position: number, options?: DelayOptions): number;
export function positionToDelay(position: DataArray, options?: DelayOptions): DataArray;
export function positionToDelay(position: ArrayLike<number>, options?: DelayOptions): number[];
export function positionToDelay(position: number | ArrayLike<number> | DataArray, options?: DelayOptions): number | number[] | DataArray;
export function positionToDelay(position: Numbers, options: DelayOptions = {}): number | number[] | DataArray {
  const { origin = 0, invert = true, reflections = 1 } = checkOptions('positionToDelay', options, DELAY_OPTIONS);
  checkReflections(reflections);
  const k = (invert ? -1 : 1) * 2 * reflections / SPEED_OF_LIGHT_MM_PER_PS;
  return elementwise(position, (p) => k * (p - origin));
}

/** delayToPosition: the inverse of positionToDelay, position (mm) = origin ± delay·c/(2·reflections); same forms. */
export function delayToPosition(delay: number, options?: DelayOptions): number;
export function delayToPosition(delay: DataArray, options?: DelayOptions): DataArray;
export function delayToPosition(delay: ArrayLike<number>, options?: DelayOptions): number[];
export function delayToPosition(delay: number | ArrayLike<number> | DataArray, options?: DelayOptions): number | number[] | DataArray;
export function delayToPosition(delay: Numbers, options: DelayOptions = {}): number | number[] | DataArray {
  const { origin = 0, invert = true, reflections = 1 } = checkOptions('delayToPosition', options, DELAY_OPTIONS);
  checkReflections(reflections);
  const k = (invert ? -1 : 1) * SPEED_OF_LIGHT_MM_PER_PS / (2 * reflections);
  return elementwise(delay, (d) => origin + k * d);
}

export interface RelPowerOptions {
  /** Plate angle (degrees) at which the relative power is zero (default 0). */
  theta0?: number;
}
const REL_POWER_OPTIONS = optionNames<RelPowerOptions>({ theta0: true });

/** degToRelPower: Malus's law behind a half-wave plate, sin²(2(θ − θ0)), θ in degrees; same forms. */
export function degToRelPower(angle: number, options?: RelPowerOptions): number;
export function degToRelPower(angle: DataArray, options?: RelPowerOptions): DataArray;
export function degToRelPower(angle: ArrayLike<number>, options?: RelPowerOptions): number[];
export function degToRelPower(angle: number | ArrayLike<number> | DataArray, options?: RelPowerOptions): number | number[] | DataArray;
export function degToRelPower(angle: Numbers, options: RelPowerOptions = {}): number | number[] | DataArray {
  const theta0 = checkOptions('degToRelPower', options, REL_POWER_OPTIONS).theta0 ?? 0;
  return elementwise(angle, (t) => Math.sin((2 * (t - theta0) * Math.PI) / 180) ** 2);
}

export interface FluenceOptions {
  /** 1/e² radius along y (m); defaults to w0x (round beam). */
  w0y?: number;
  /** Trains per second (Hz). */
  trainRepRate?: number;
  /** Order of the polynomial fits. */
  fitOrder?: number;
  /** Attach the plot of the fluence and its fit (default true, as the Python toolbox); the result then shows as that plot. */
  plot?: boolean;
  /** x-axis title of the plot (default 'HWP [%]', the Python toolbox's). */
  xlabel?: string;
}
const FLUENCE_OPTIONS = optionNames<FluenceOptions>({ w0y: true, trainRepRate: true, fitOrder: true, plot: true, xlabel: true });

export interface FluenceCalibration {
  /** Peak fluence per measurement (mJ/cm²). */
  F: number[];
  /** Polynomial coefficients of F against hwp, highest power first (numpy.polyfit order). */
  fit_F: number[];
  /** Pulse energy per measurement (µJ). */
  E: number[];
  /** Polynomial coefficients of E against hwp, highest power first. */
  fit_E: number[];
  /** Fluence against hwp with the fit (unless `plot: false`). */
  plot?: Plot;
}


function fluencePlot(hwp: number[], F: number[], fitF: number[], xlabel: string): Plot {
  const lo = Math.min(...hwp), hi = Math.max(...hwp);
  const xs = Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  return line({
    measured: { x: hwp, y: F },
    [`fit (order ${fitF.length - 1})`]: { x: xs, y: xs.map((x) => polyval(fitF, x)) },
  }, { title: 'fluence calibration', xLabel: xlabel, yLabel: 'peak fluence [mJ/cm²]', points: true });
}

/**
 * fluenceCalibration: pulse energy E = P / (trainRepRate · npulses) and peak
 * fluence of a Gaussian beam F = 2E / (π w0x w0y), each fitted with a
 * polynomial in the half-wave-plate setting (angle or relative power).
 */
export function fluenceCalibration(hwp: ArrayLike<number>, powerMw: ArrayLike<number>, npulses: number, w0x: number, options: FluenceOptions = {}): FluenceCalibration {
  const { w0y = w0x, trainRepRate = 10, fitOrder = 1, plot = true, xlabel = 'HWP [%]' } = checkOptions('fluenceCalibration', options, FLUENCE_OPTIONS);
  if (hwp.length !== powerMw.length) throw new ToolBoxValueError(`hwp has ${hwp.length} values but powerMw has ${powerMw.length}`);
  if (hwp.length <= fitOrder) throw new ToolBoxValueError(`a fit of order ${fitOrder} needs more than ${fitOrder} measurements, got ${hwp.length}`);
  for (const [name, v] of [['npulses', npulses], ['w0x', w0x], ['w0y', w0y], ['trainRepRate', trainRepRate]] as const) {
    if (!(v > 0)) throw new ToolBoxValueError(`${name} must be positive, got ${v}`);
  }
  const x = Array.from(hwp);
  // mW / (Hz · pulses) = mJ per pulse; × 1e3 → µJ
  const E = Array.from(powerMw, (p) => (p / (trainRepRate * npulses)) * 1e3);
  // µJ → mJ (1e-3), m² → cm² (1e4)
  const F = E.map((e) => (2 * e * 1e-3) / (Math.PI * w0x * w0y * 1e4));
  const fit = (y: number[]) => [...new PolynomialRegression(x, y, fitOrder).coefficients].reverse();
  const result: FluenceCalibration = { F, fit_F: fit(F), E, fit_E: fit(E) };
  if (!plot) return result;
  const text = `fluence calibration: fit_F = [${result.fit_F.join(', ')}] (mJ/cm², highest power first), fit_E = [${result.fit_E.join(', ')}] (µJ)`;
  return withPlot(result, fluencePlot(x, F, result.fit_F, xlabel), text);
}

export interface AlignOptions {
  olDim?: string;
  felDim?: string;
  /** Added to the OL pulse Ids. */
  offset?: number;
  fillValue?: number;
}
const ALIGN_OPTIONS = optionNames<AlignOptions>({ olDim: true, felDim: true, offset: true, fillValue: true });

/**
 * alignOlToFelPId: put optical-laser pulses on the FEL pulse axis. OL pulse
 * Ids become ol + fel[0] + offset, the OL dimension is renamed to the FEL
 * one, and the two parts are merged (outer join), so pulses present on only
 * one side get fillValue.
 */
export function alignOlToFelPId(ds: Dataset, options: AlignOptions = {}): Dataset {
  const { olDim = 'ol_pId', felDim = 'sa3_pId', offset = 0, fillValue = NaN } = checkOptions('alignOlToFelPId', options, ALIGN_OPTIONS);
  for (const d of [olDim, felDim]) {
    if (!(d in ds.sizes)) throw new ToolBoxValueError(`dimension '${d}' not in the Dataset; it has ${Object.keys(ds.sizes).join(', ')}`);
    if (!ds.coords[d]) throw new ToolBoxValueError(`dimension '${d}' has no coordinate of pulse Ids`);
  }
  const withDim = (d: string) => ds.dataVars.filter((v) => ds.get(v).dims.includes(d));
  const olVars = withDim(olDim), felVars = withDim(felDim);
  const both = olVars.filter((v) => felVars.includes(v));
  if (both.length) throw new ToolBoxValueError(`variables ${both.join(', ')} have both '${olDim}' and '${felDim}'; cannot align them`);
  const fel0 = Number(ds.coords[felDim].values[0]);
  const olIds = Array.from(ds.coords[olDim].values as ArrayLike<number | bigint>, (v) => Number(v) + fel0 + offset);
  const ol = new Dataset(Object.fromEntries(olVars.map((v) => [v, ds.get(v)])))
    .assignCoords({ [olDim]: olIds })
    .rename({ [olDim]: felDim });
  const rest = ds.dropVars([...olVars, olDim]);
  return merge([rest, ol], { join: 'outer', fillValue }).assignAttrs(ds.attrs);
}
