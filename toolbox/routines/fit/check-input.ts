/**
 * curveFit's input checks, with curve_fit's rules (check_finite, the
 * Improper-input test, feasible p0) and messages that say how many values
 * are wrong and where.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import type { CurveFitOptions, Model } from './types.js';
import type { Problem } from './problem.js';

function toFloat(name: string, values: unknown): Float64Array {
  if (values == null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new ParameterError(`curveFit: ${name} must be an array of numbers, got ${values === null ? 'null' : typeof values}`, { parameter: name, value: values });
  }
  return Float64Array.from(values as ArrayLike<number>, Number);
}

/** Throws naming how many values of `a` are not finite and the first indices. */
function requireFinite(name: string, a: Float64Array, what = 'not finite (NaN or ±Infinity)'): void {
  const bad: number[] = [];
  a.forEach((v, i) => { if (!Number.isFinite(v)) bad.push(i); });
  if (bad.length === 0) return;
  const where = bad.slice(0, 10).map((i) => `${i} (${a[i]})`).join(', ') + (bad.length > 10 ? ', …' : '');
  throw new ToolBoxValueError(`curveFit: ${bad.length} of the ${a.length} values of ${name} are ${what}, at index ${where}; curve_fit (check_finite) refuses them too: drop or fill them first`, { val: bad });
}

function checkBounds(bounds: CurveFitOptions['bounds'], p0: Float64Array): [Float64Array, Float64Array] {
  const n = p0.length;
  if (bounds === undefined) return [new Float64Array(n).fill(-Infinity), new Float64Array(n).fill(Infinity)];
  if (!Array.isArray(bounds) || bounds.length !== 2) {
    throw new ParameterError(`curveFit: bounds must be [lower, upper], two arrays of ${n} values (one per parameter)`, { parameter: 'bounds', value: bounds });
  }
  const [lo, hi] = [toFloat('bounds[0]', bounds[0]), toFloat('bounds[1]', bounds[1])];
  if (lo.length !== n || hi.length !== n) {
    throw new ParameterError(`curveFit: bounds must have one value per parameter: p0 has ${n}, the lower bounds ${lo.length}, the upper ${hi.length}`, { parameter: 'bounds', value: bounds });
  }
  for (let j = 0; j < n; j++) {
    if (Number.isNaN(lo[j]) || Number.isNaN(hi[j]) || !(lo[j] < hi[j])) {
      throw new ParameterError(`curveFit: each lower bound must be less than its upper bound, but for parameter ${j} lower = ${lo[j]} and upper = ${hi[j]}`, { parameter: 'bounds', value: bounds });
    }
    if (!(p0[j] >= lo[j] && p0[j] <= hi[j])) {
      throw new ParameterError(`curveFit: p0 is outside the bounds: parameter ${j} is ${p0[j]}, not in [${lo[j]}, ${hi[j]}] (curve_fit: x0 is infeasible)`, { parameter: 'p0', value: Array.from(p0) });
    }
  }
  return [lo, hi];
}

function checkSigma(sigma: ArrayLike<number> | undefined, m: number): Float64Array {
  if (sigma === undefined) return new Float64Array(m).fill(1);
  const s = toFloat('sigma', sigma);
  if (s.length !== m) throw new ToolBoxValueError(`curveFit: sigma has ${s.length} values, but x and y have ${m} (one standard deviation per point)`, { val: s.length });
  requireFinite('sigma', s);
  const bad = Array.from(s.keys()).filter((i) => !(s[i] > 0));
  if (bad.length) {
    throw new ToolBoxValueError(`curveFit: ${bad.length} of the ${m} values of sigma are not positive, at index ${bad.slice(0, 10).map((i) => `${i} (${s[i]})`).join(', ')}; a standard deviation must be > 0`, { val: bad });
  }
  return s.map((v) => 1 / v);
}

/** The checked problem and p0 for curveFit(model, x, y, options). */
export function checkInput(model: Model, xIn: ArrayLike<number>, yIn: ArrayLike<number>, options: CurveFitOptions, name: string): { pb: Problem; p0: number[] } {
  if (typeof model !== 'function') throw new ParameterError(`curveFit: model must be a function (x, p) => y, got ${typeof model}`, { parameter: 'model', value: model });
  if (options.gradient !== undefined && typeof options.gradient !== 'function') {
    throw new ParameterError(`curveFit: gradient must be a function (x, p, out) => void, got ${typeof options.gradient}`, { parameter: 'gradient', value: options.gradient });
  }
  const x = toFloat('x', xIn), y = toFloat('y', yIn);
  if (x.length !== y.length) throw new ToolBoxValueError(`curveFit: x has ${x.length} values and y ${y.length}; they must have the same length`, { val: [x.length, y.length] });
  if (y.length === 0) throw new ToolBoxValueError('curveFit: y is empty: there is nothing to fit', { val: 0 });
  requireFinite('x', x);
  requireFinite('y', y);
  const p0 = toFloat('p0', options.p0);
  if (p0.length === 0) throw new ParameterError('curveFit: p0 is empty: give one starting value per parameter', { parameter: 'p0', value: options.p0 });
  if (p0.some((v) => !Number.isFinite(v))) {
    throw new ParameterError(`curveFit: p0 must be finite, got [${Array.from(p0).join(', ')}]`, { parameter: 'p0', value: Array.from(p0) });
  }
  if (y.length < p0.length) {
    throw new ToolBoxValueError(`curveFit: improper input: ${y.length} points (m=${y.length}) are fewer than the n=${p0.length} parameters of model '${name}'; a least-squares fit needs m ≥ n`, { val: [y.length, p0.length] });
  }
  const w = checkSigma(options.sigma, y.length);
  const [lo, hi] = checkBounds(options.bounds, p0);
  return { pb: { model, gradient: options.gradient, x, y, w, lo, hi, name }, p0: Array.from(p0) };
}
