/**
 * The minimisation behind curveFit: ml-levenberg-marquardt does the global
 * work in chunks of iterations, a Gauss-Newton polish finishes and decides
 * convergence. The library alone cannot stop when the optimum is reached (its
 * only stopping rule is an absolute χ² ≤ errorTolerance), its damping is
 * additive (λI, not scale-free), it keeps stepping from rejected points, and
 * it reports no convergence: hence the scaling, the chunks restarted from the
 * best point, and the relative tests here (docs/routines.md, Fitting).
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { FitError } from '../../errors.js';
import { type Problem, chiSquare, columnNorms, jacobianColumns, nParams } from './problem.js';
import { gaussNewtonPolish } from './polish.js';

export interface Minimum {
  p: number[];
  chi2: number;
  iterations: number;
  /** Why the minimiser stopped (curve_fit's mesg). */
  message: string;
}

/** Library iterations between convergence checks. */
const CHUNK = 10;
/** Relative χ² decrease over a chunk below which the library has settled and Gauss-Newton takes over. */
const SETTLED = 1e-6;
/** Gauss-Newton iterations per polish. */
const POLISH = 50;

const fmt = (p: readonly number[]): string => `[${p.map((v) => v.toPrecision(8)).join(', ')}]`;

/**
 * Parameter scales making the Jacobian's columns of unit norm at p0, so the
 * library's additive damping acts like Marquardt's diag(JᵀJ) scaling.
 */
function parameterScales(pb: Problem, p0: readonly number[]): number[] {
  return columnNorms(jacobianColumns(pb, p0)).map((c, j) => (c > 0 && Number.isFinite(c) ? 1 / c : Math.abs(p0[j]) || 1));
}

/** `iterations` library iterations from p in scaled parameters; returns the best point met. */
function libraryChunk(pb: Problem, scale: readonly number[], p: readonly number[], iterations: number): { p: number[]; chi2: number; iterations: number } {
  const m = pb.x.length;
  const toP = (q: readonly number[]): number[] => q.map((v, j) => v * scale[j]);
  const index = Float64Array.from({ length: m }, (_, i) => i);
  const yw = pb.y.map((v, i) => v * pb.w[i]);
  const fn = (q: number[]): ((i: number) => number) => {
    const pp = toP(q);
    const f = pb.x.map((x, i) => pb.model(x, pp) * pb.w[i]);
    return (i) => f[i];
  };
  const jacobianFunction = (q: number[]): ((i: number) => number[]) => {
    const cols = jacobianColumns(pb, toP(q));
    return (i) => cols.map((c, j) => c[i] * scale[j]);
  };
  const res = levenbergMarquardt({ x: index, y: yw }, fn, {
    initialValues: p.map((v, j) => v / scale[j]), maxIterations: iterations, errorTolerance: 0, jacobianFunction,
    minValues: Array.from(pb.lo, (v, j) => v / scale[j]), maxValues: Array.from(pb.hi, (v, j) => v / scale[j]),
  });
  const best = toP(res.parameterValues);
  return { p: best, chi2: chiSquare(pb, best), iterations: res.iterations };
}

/** Minimises χ² from p0; FitError when it does not converge within maxIterations or the model is not finite at p0. */
export function minimise(pb: Problem, p0: readonly number[], maxIterations: number): Minimum {
  let cur = { p: p0.slice(), chi2: chiSquare(pb, p0), iterations: 0 };
  if (!Number.isFinite(cur.chi2)) {
    throw new FitError(`curveFit: model '${pb.name}' is not finite at the starting parameters p0 = ${fmt(p0)} (χ² = ${cur.chi2}); no fit attempted`, {
      model: pb.name, lastParameters: p0.slice(), iterations: 0,
    });
  }
  const scale = parameterScales(pb, p0);
  let iterations = 0;
  while (iterations < maxIterations) {
    const k = Math.min(CHUNK, maxIterations - iterations);
    // The library needs two points; one point and one parameter go straight to Gauss-Newton.
    const next = pb.x.length >= 2 && nParams(pb) > 0 ? libraryChunk(pb, scale, cur.p, k) : { ...cur, iterations: 0 };
    iterations += next.iterations;
    const settled = !(cur.chi2 - next.chi2 > SETTLED * cur.chi2) || next.iterations === 0;
    if (next.chi2 <= cur.chi2) cur = next;
    if (!settled) continue;
    const pol = gaussNewtonPolish(pb, cur.p, cur.chi2, Math.min(POLISH, maxIterations - iterations));
    iterations += pol.iterations;
    cur = { p: pol.p, chi2: pol.chi2, iterations };
    if (pol.converged) return { p: pol.p, chi2: pol.chi2, iterations, message: pol.message };
    if (pol.iterations === 0 && next.iterations === 0) break;
  }
  throw new FitError(`curveFit: the fit of model '${pb.name}' did not converge within ${maxIterations} iterations (maxIterations); last parameters ${fmt(cur.p)}, χ² = ${cur.chi2.toPrecision(8)}`, {
    model: pb.name, lastParameters: cur.p.slice(), iterations,
  });
}
