/**
 * Viking.calibrate's numerics: the Gaussian peak of each monochromatic run's
 * mean spectrum (curveFit, scipy.optimize.curve_fit's least squares), after
 * checking that there is a peak at all, and the 2nd-degree polynomial of
 * energy against peak position (docs/viking.md, Calibration).
 */
import { FitError, ToolBoxValueError } from '../../errors.js';
import { line } from '../../plots/line.js';
import { Plot } from '../../plots/plot.js';
import { VEGALITE_SCHEMA, type VegaLiteSpec } from '../../plots/spec.js';
import { curveFit } from '../../routines/fit/curve-fit.js';
import { polyfit, polyval } from '../../routines/fit/polynomial.js';

/** A peak must rise this many noise standard deviations (1.4826·MAD) above the median. */
export const PEAK_MIN_SNR = 5;

/** The Gaussian fitted to one calibration run. */
export interface VikingCalibrationPeak {
  run: number;
  /** Mean mono energy of the run (eV). */
  energy: number;
  /** Peak centre (pixels) and its standard error; width σ (pixels), amplitude and offset. */
  centre: number;
  centreErr: number;
  sigma: number;
  amplitude: number;
  offset: number;
}

/** a·exp(−(x − x0)²/(2σ²)) + c, p = [a, x0, σ, c]. */
export const gaussian = (x: number, p: readonly number[]): number => p[0] * Math.exp(-((x - p[1]) ** 2) / (2 * p[2] * p[2])) + p[3];

function gaussianGradient(x: number, p: readonly number[], out: number[]): void {
  const d = x - p[1], s2 = p[2] * p[2];
  const e = Math.exp(-(d * d) / (2 * s2));
  out[0] = e;
  out[1] = (p[0] * e * d) / s2;
  out[2] = (p[0] * e * d * d) / (s2 * p[2]);
  out[3] = 1;
}

function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The starting point of the Gaussian fit: height above the median, position of the maximum, width from the points above half height, the median. */
export function peakGuess(x: ArrayLike<number>, y: ArrayLike<number>): { p0: number[]; height: number; noise: number } {
  const med = median(y);
  const noise = 1.4826 * median(Float64Array.from(y, (v) => Math.abs(v - med)));
  let imax = 0;
  for (let i = 1; i < y.length; i++) if (y[i] > y[imax]) imax = i;
  const height = y[imax] - med;
  let above = 0;
  for (let i = 0; i < y.length; i++) if (y[i] - med > height / 2) above++;
  const step = x.length > 1 ? Math.abs(x[x.length - 1] - x[0]) / (x.length - 1) : 1;
  return { p0: [height, x[imax], Math.max(step, (above * step) / 2.3548), med], height, noise };
}

/** Fit the peak of one run's mean spectrum y over pixels x; a run without a clear peak is an error naming it and the numbers. */
export function fitCalibrationPeak(run: number, energy: number, x: ArrayLike<number>, y: ArrayLike<number>): VikingCalibrationPeak {
  const { p0, height, noise } = peakGuess(x, y);
  if (!(height > PEAK_MIN_SNR * noise) || !(height > 0)) {
    throw new ToolBoxValueError(`calibrate: run ${run} (mono ${energy.toFixed(2)} eV) shows no peak: its mean spectrum's maximum is ${height.toPrecision(4)} above the median, less than ${PEAK_MIN_SNR} × the noise (1.4826·MAD = ${noise.toPrecision(4)})`);
  }
  const fit = curveFit(gaussian, x, y, { p0, gradient: gaussianGradient, model: `Viking calibration Gaussian of run ${run}` });
  const [a, x0, s, c] = fit.popt;
  const lo = Math.min(x[0], x[x.length - 1]), hi = Math.max(x[0], x[x.length - 1]);
  if (!(a > 0) || !(x0 >= lo && x0 <= hi) || !(Math.abs(s) > 0) || !Number.isFinite(fit.perr[1])) {
    throw new FitError(`calibrate: the Gaussian of run ${run} (mono ${energy.toFixed(2)} eV) is unusable: amplitude ${a.toPrecision(4)}, centre ${x0.toPrecision(6)} (pixels ${lo}–${hi}), width ${s.toPrecision(4)}, centre error ${fit.perr[1]}`, { model: 'Viking calibration Gaussian', lastParameters: fit.popt, iterations: fit.iterations });
  }
  return { run, energy, centre: x0, centreErr: fit.perr[1], sigma: Math.abs(s), amplitude: a, offset: c };
}

/** numpy.polyfit(centres, energies, 2): the ENERGY_CALIB of the peaks. */
export function calibrationPolynomial(peaks: VikingCalibrationPeak[]): [number, number, number] {
  const distinct = new Set(peaks.map((p) => p.centre)).size;
  if (distinct < 3) throw new ToolBoxValueError(`calibrate: a 2nd-degree polynomial needs peaks at 3 or more positions, got ${distinct} (runs ${peaks.map((p) => p.run).join(', ')})`);
  const c = polyfit(peaks.map((p) => p.centre), peaks.map((p) => p.energy), 2);
  return [c[0], c[1], c[2]];
}

/** The polynomial as a line and the fitted peaks as dots, from line()'s one-layer spec of both series. */
function peaksOverCurve(spec: VegaLiteSpec): VegaLiteSpec {
  const [curve] = spec.layer as { mark: Record<string, unknown>; encoding: Record<string, unknown> }[];
  return {
    ...spec,
    layer: [
      { ...curve, transform: [{ filter: "datum.series === 'polynomial'" }] },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: curve.encoding, transform: [{ filter: "datum.series === 'peaks'" }] },
    ],
  };
}

/** The spectra with their Gaussians, and energy against peak position with the polynomial. */
export function calibrationPlot(x: Float64Array, spectra: Float64Array[], peaks: VikingCalibrationPeak[], coef: number[]): Plot {
  const curves: Record<string, { x: Float64Array; y: Float64Array }> = {};
  peaks.forEach((p, i) => {
    curves[`run ${p.run}`] = { x, y: spectra[i] };
    curves[`fit ${p.run}`] = { x, y: Float64Array.from(x, (v) => gaussian(v, [p.amplitude, p.centre, p.sigma, p.offset])) };
  });
  const lo = Math.min(...x), hi = Math.max(...x);
  const grid = Float64Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  const strip = (s: VegaLiteSpec) => {
    const { $schema: _s, background: _b, ...rest } = s;
    void _s; void _b;
    return rest;
  };
  const views = async () => [
    await line(curves, { title: 'calibration runs and their Gaussian fits', xLabel: 'pixel', yLabel: 'spectrum', height: 200 }).toSpec(),
    peaksOverCurve(await line({
      peaks: { x: peaks.map((p) => p.centre), y: peaks.map((p) => p.energy) },
      polynomial: { x: grid, y: grid.map((v) => polyval(coef, v)) },
    }, { title: `energy = ${coef[0].toExponential(6)}·x² + ${coef[1].toExponential(6)}·x + ${coef[2].toExponential(6)}`, xLabel: 'pixel', yLabel: 'energy (eV)', height: 200 }).toSpec()),
  ];
  return new Plot({
    description: `Viking energy calibration from ${peaks.length} runs`,
    spec: async () => ({ $schema: VEGALITE_SCHEMA, background: 'white', vconcat: (await views()).map(strip), resolve: { scale: { color: 'independent' } } }),
  });
}
