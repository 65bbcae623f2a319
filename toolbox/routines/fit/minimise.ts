/**
 * The minimisation behind curveFit: ml-levenberg-marquardt computes the
 * damped steps, this loop accepts or rejects them, and a Gauss-Newton polish
 * finishes and decides convergence. The library alone cannot stop when the
 * optimum is reached (its only stopping rule is an absolute χ² ≤
 * errorTolerance), its damping is additive (λI, not scale-free), it keeps
 * stepping from a point it found worse, and it reports no convergence: hence
 * the parameter scaling, the one-step calls, and the relative tests here
 * (docs/routines.md, Fitting).
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { FitError } from '../../errors.js';
import { NotFiniteJacobian, type Problem, chiSquare, columnNorms, jacobianColumns } from './problem.js';
import { gaussNewtonPolish } from './polish.js';

export interface Minimum {
  p: number[];
  chi2: number;
  iterations: number;
  /** Why the minimiser stopped (curve_fit's mesg). */
  message: string;
}

/** Relative χ² decrease of an accepted step below which Gauss-Newton takes over to finish. */
const SETTLED = 1e-6;
/** Gauss-Newton iterations per polish. */
const POLISH = 50;
/** Library iterations after which a polish is tried anyway (slow crawl along a valley). */
const POLISH_EVERY = 25;
/** Damping of the first step, in parameters scaled to unit Jacobian columns (the library's default). */
const DAMPING0 = 1e-2;
/** Damping beyond which a step that still does not decrease χ² means the gradient is zero to rounding. */
const DAMPING_STALLED = 1e10;

const fmt = (p: readonly number[]): string => `[${p.map((v) => v.toPrecision(8)).join(', ')}]`;

/**
 * Parameter scales making the Jacobian's columns of unit norm at p0, so the
 * library's additive damping acts like Marquardt's diag(JᵀJ) scaling.
 */
function parameterScales(pb: Problem, p0: readonly number[]): number[] {
  let cols: Float64Array[];
  try {
    cols = jacobianColumns(pb, p0);
  } catch (err) {
    if (!(err instanceof NotFiniteJacobian)) throw err;
    return p0.map((v) => Math.abs(v) || 1);
  }
  return columnNorms(cols).map((c, j) => (c > 0 && Number.isFinite(c) ? 1 / c : Math.abs(p0[j]) || 1));
}

/**
 * One library iteration from p with damping λ, in scaled parameters: the
 * library returns p itself when its step does not decrease χ². One at a time
 * because the library keeps stepping from a rejected point; here a rejected
 * step is retried from p with more damping, as MINPACK does.
 */
function libraryStep(pb: Problem, scale: readonly number[], p: readonly number[], damping: number): { p: number[]; chi2: number } {
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
  const qLo = Array.from(pb.lo, (v, j) => v / scale[j]), qHi = Array.from(pb.hi, (v, j) => v / scale[j]);
  const res = levenbergMarquardt({ x: index, y: yw }, fn, {
    initialValues: p.map((v, j) => v / scale[j]), maxIterations: 1, damping, errorTolerance: 0, jacobianFunction,
    minValues: qLo, maxValues: qHi,
  });
  // A parameter the library clamped is put exactly on its bound (q · scale may round inside it).
  const best = res.parameterValues.map((q, j) => (q <= qLo[j] ? pb.lo[j] : q >= qHi[j] ? pb.hi[j] : Math.min(pb.hi[j], Math.max(pb.lo[j], q * scale[j]))));
  return { p: best, chi2: chiSquare(pb, best) };
}

const atBound = (pb: Problem, p: readonly number[]): boolean => p.some((v, j) => v <= pb.lo[j] || v >= pb.hi[j]);

function notFiniteAtStart(pb: Problem, p0: readonly number[], chi2: number): FitError {
  return new FitError(`curveFit: model '${pb.name}' is not finite at the starting parameters p0 = ${fmt(p0)} (χ² = ${chi2}); no fit attempted`, {
    model: pb.name, lastParameters: p0.slice(), iterations: 0,
  });
}

/**
 * Minimises χ² from p0: Levenberg-Marquardt steps by the library (damping
 * divided by 9 after a success, multiplied by 11 after a failure, the
 * library's factors), a Gauss-Newton polish once the decrease is small.
 * FitError when it does not converge within maxIterations or the model is not
 * finite at p0.
 */
export function minimise(pb: Problem, p0: readonly number[], maxIterations: number): Minimum {
  const progress = { iterations: 0 };
  try {
    return iterate(pb, p0, maxIterations, progress);
  } catch (err) {
    throw err instanceof NotFiniteJacobian ? notFiniteJacobian(pb, err, progress.iterations) : err;
  }
}

/** The FitError for a Jacobian that is not finite. */
export function notFiniteJacobian(pb: Problem, err: NotFiniteJacobian, iterations: number): FitError {
  const which = pb.gradient ? 'gradient' : 'finite-difference derivative';
  return new FitError(`curveFit: the ${which} of model '${pb.name}' is not finite (parameter ${err.parameter}, point ${err.index}, x = ${pb.x[err.index]}) at parameters ${fmt(err.parameters)} after ${iterations} iterations`, {
    model: pb.name, lastParameters: err.parameters, iterations, cause: err,
  });
}

function iterate(pb: Problem, p0: readonly number[], maxIterations: number, progress: { iterations: number }): Minimum {
  let p = p0.slice(), chi2 = chiSquare(pb, p0);
  if (!Number.isFinite(chi2)) throw notFiniteAtStart(pb, p0, chi2);
  const scale = parameterScales(pb, p0);
  // The library needs two points; one point and one parameter go straight to Gauss-Newton.
  const libraryUsable = pb.x.length >= 2;
  let iterations = 0, damping = DAMPING0;
  while (iterations < maxIterations) {
    let settled = !libraryUsable;
    if (libraryUsable) {
      const next = libraryStep(pb, scale, p, damping);
      progress.iterations = ++iterations;
      if (next.chi2 < chi2) {
        // The library clamps a step at a bound without re-solving for the other
        // parameters, and then crawls: the polish, which holds them there, finishes.
        settled = chi2 - next.chi2 <= SETTLED * chi2 || atBound(pb, next.p) || iterations % POLISH_EVERY === 0;
        [p, chi2, damping] = [next.p, next.chi2, Math.max(damping / 9, 1e-12)];
      } else if ((damping *= 11) > DAMPING_STALLED) {
        return { p, chi2, iterations, message: `converged: no step decreases χ² any more, down to a damping of ${damping.toExponential(1)} (stationary to rounding)` };
      }
    }
    if (!settled) continue;
    const pol = gaussNewtonPolish(pb, p, chi2, Math.min(POLISH, maxIterations - iterations));
    progress.iterations = iterations += pol.iterations;
    [p, chi2] = [pol.p, pol.chi2];
    if (pol.converged) return { p, chi2, iterations, message: pol.message };
    if (!libraryUsable && pol.iterations === 0) break;
  }
  throw new FitError(`curveFit: the fit of model '${pb.name}' did not converge within ${maxIterations} iterations (maxIterations); last parameters ${fmt(p)}, χ² = ${chi2.toPrecision(8)}`, {
    model: pb.name, lastParameters: p.slice(), iterations,
  });
}
