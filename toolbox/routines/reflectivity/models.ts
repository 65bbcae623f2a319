/**
 * The models fitted to a transient reflectivity trace (docs/routines.md,
 * Reflectivity). x is the delay axis, `s` = ±1 the direction in which time
 * grows along it (−1 for a stage position with invert), so the response
 * always starts at t0 and develops towards later times.
 */
import { erf, erfc } from '../fit/special.js';
import { erfcx } from '../fit/special.js';

/** The fit models reflectivity() offers. */
export type ReflectivityFitModel = 'doubleExponential' | 'step';

/** Parameter names per model, in the order of p0 and of the fit results. */
export const FIT_PARAMETERS: Record<ReflectivityFitModel, readonly string[]> = {
  doubleExponential: ['t0', 'sigma', 'a1', 'tau1', 'a2', 'tau2', 'c'],
  step: ['t0', 'sigma', 'a', 'c'],
};

/**
 * H(u)·exp(−u/τ) convolved with a unit-area Gaussian of standard deviation σ:
 * ½·exp(σ²/2τ² − u/τ)·erfc((σ²/τ − u)/(√2σ)). Written with erfcx where the
 * erfc argument is positive, so it stays finite for u ≪ 0 and for τ ≫ σ
 * (where it tends to the smoothed step ½·erfc(−u/(√2σ))).
 */
export function gaussExp(u: number, sigma: number, tau: number): number {
  const z = sigma / (Math.SQRT2 * tau) - u / (Math.SQRT2 * sigma);
  if (z >= 0) return 0.5 * Math.exp(-(u * u) / (2 * sigma * sigma)) * erfcx(z);
  return 0.5 * Math.exp((sigma * sigma) / (2 * tau * tau) - u / tau) * erfc(z);
}

/** The model functions for direction s; σ and τ enter by absolute value, so the optimizer may cross zero harmlessly. */
export function modelFunction(model: ReflectivityFitModel, s: 1 | -1): (x: number, p: readonly number[]) => number {
  if (model === 'step') {
    return (x, p) => p[3] + p[2] * 0.5 * (1 + erf((s * (x - p[0])) / (Math.SQRT2 * Math.abs(p[1]))));
  }
  return (x, p) => {
    const u = s * (x - p[0]), sigma = Math.abs(p[1]);
    return p[6] + p[2] * gaussExp(u, sigma, Math.abs(p[3])) + p[4] * gaussExp(u, sigma, Math.abs(p[5]));
  };
}

/** Mean of ys over indices [a, b). */
const meanOf = (ys: readonly number[], a: number, b: number): number => {
  let s = 0;
  for (let i = a; i < b; i++) s += ys[i];
  return s / Math.max(1, b - a);
};

/**
 * Starting values of the step fit from the data (x sorted along time): the
 * levels of the first and last fifths, t0 where the trace first passes
 * halfway between them, σ of two bin spacings.
 */
export function stepGuess(xs: readonly number[], ys: readonly number[], s: 1 | -1): number[] {
  const order = xs.map((_, i) => i).sort((i, j) => s * (xs[i] - xs[j]));
  const x = order.map((i) => xs[i]), y = order.map((i) => ys[i]);
  const n = x.length, k = Math.max(1, Math.floor(n / 5));
  const before = meanOf(y, 0, k), after = meanOf(y, n - k, n);
  const half = (before + after) / 2;
  let i0 = y.findIndex((v) => (after > before ? v >= half : v <= half));
  if (i0 < 0) i0 = Math.floor(n / 2);
  const spacing = n > 1 ? Math.abs(x[n - 1] - x[0]) / (n - 1) : 1;
  return [x[i0], 2 * spacing, after - before, before];
}

/**
 * Starting values of the double exponential from a step fit [t0, σ, a, c]:
 * the extreme of the trace after t0 as a fast component and the step height
 * as a slow one, with several guesses of the time constants (fractions and
 * multiples of the span after t0), since a fast component started too short
 * can collapse (τ1 → 0) instead of converging. The caller keeps the best fit.
 */
export function doubleExponentialGuesses(xs: readonly number[], ys: readonly number[], s: 1 | -1, step: readonly number[]): number[][] {
  const [t0, sigma, a, c] = step;
  let extreme = a, span = 0;
  xs.forEach((x, i) => {
    const u = s * (x - t0);
    if (u <= 0) return;
    span = Math.max(span, u);
    if (Math.abs(ys[i] - c) > Math.abs(extreme)) extreme = ys[i] - c;
  });
  span ||= Math.abs(sigma) * 10;
  const taus: [number, number][] = [[span / 10, span * 10], [span / 5, span * 2], [span / 20, span], [span / 3, span * 30]];
  return taus.map(([tau1, tau2]) => [t0, Math.abs(sigma), extreme - a, tau1, a, tau2, c]);
}
