/**
 * The knife-edge model: the integral of a Gaussian beam cut by an edge,
 * f(x) = a·erfc(√2 (x − x0)/w0) + b for a falling signal (the edge moves into
 * the beam) or a·erf(√2 (x − x0)/w0) + b for a rising one. w0 is the 1/e²
 * intensity radius, x0 the beam centre; parameters in the order x0, w0, a, b.
 */
import type { Model, ModelGradient } from '../fit/types.js';
import { erf, erfc } from '../fit/special.js';

export type KnifeEdgeFunction = 'erfc' | 'erf';

const SQRT2 = Math.SQRT2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const knifeEdgeErfc: Model = (x, [x0, w0, a, b]) => a * erfc((SQRT2 * (x - x0)) / w0) + b;
export const knifeEdgeErf: Model = (x, [x0, w0, a, b]) => a * erf((SQRT2 * (x - x0)) / w0) + b;

/** ∂f/∂(x0, w0, a, b); `sign` = −1 for erfc (d erfc/du = −2/√π e^(−u²)), +1 for erf. */
function gradientOf(sign: 1 | -1): ModelGradient {
  return (x, [x0, w0, a], out) => {
    const u = (SQRT2 * (x - x0)) / w0;
    const dfdu = sign * a * TWO_OVER_SQRT_PI * Math.exp(-u * u);
    out[0] = dfdu * (-SQRT2 / w0);
    out[1] = dfdu * (-u / w0);
    out[2] = sign < 0 ? erfc(u) : erf(u);
    out[3] = 1;
  };
}

export const MODELS: Record<KnifeEdgeFunction, { model: Model; gradient: ModelGradient }> = {
  erfc: { model: knifeEdgeErfc, gradient: gradientOf(-1) },
  erf: { model: knifeEdgeErf, gradient: gradientOf(1) },
};

/** Least-squares slope cov(x, y)/var(x) (numpy.polyfit(x, y, 1)[0]); NaN when x does not vary. */
export function linearSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** erf for a rising signal, erfc for a falling or flat one. */
export function chooseFunction(x: ArrayLike<number>, y: ArrayLike<number>): KnifeEdgeFunction {
  return linearSlope(x, y) > 0 ? 'erf' : 'erfc';
}

/** The Python toolbox's starting point: x0 = mean position, w0 = 0.1 (100 µm with positions in mm), a = max/2, b = 0. */
export function defaultP0(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  let sum = 0, max = -Infinity;
  for (let i = 0; i < x.length; i++) { sum += x[i]; if (y[i] > max) max = y[i]; }
  return [sum / x.length, 0.1, max / 2, 0];
}
