/**
 * A least-squares problem as curve_fit poses it: weighted residuals
 * r_i = (y_i − f(x_i; p)) / σ_i and the weighted model Jacobian
 * J_ij = ∂f(x_i; p)/∂p_j / σ_i, so that χ² = Σ r_i² and the covariance is
 * (JᵀJ)⁻¹. Everything the minimiser and the covariance need goes through here.
 */
import type { Model, ModelGradient } from './types.js';

export interface Problem {
  readonly model: Model;
  readonly gradient?: ModelGradient;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** 1/σ per point (all 1 without sigma). */
  readonly w: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Model name, for messages. */
  readonly name: string;
}

/** Number of parameters. */
export const nParams = (pb: Problem): number => pb.lo.length;

/** Weighted residuals at p. */
export function residuals(pb: Problem, p: readonly number[]): Float64Array {
  const r = new Float64Array(pb.x.length);
  for (let i = 0; i < r.length; i++) r[i] = (pb.y[i] - pb.model(pb.x[i], p)) * pb.w[i];
  return r;
}

export function sumSquares(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/** χ² at p (NaN when the model is not finite somewhere). */
export const chiSquare = (pb: Problem, p: readonly number[]): number => sumSquares(residuals(pb, p));

// Cube root of the double epsilon: the step that balances truncation and
// rounding errors of a central difference.
const CENTRAL_STEP = Math.cbrt(2.220446049250313e-16);

/** Model values at p (unweighted). */
function modelValues(pb: Problem, p: readonly number[]): Float64Array {
  const f = new Float64Array(pb.x.length);
  for (let i = 0; i < f.length; i++) f[i] = pb.model(pb.x[i], p);
  return f;
}

/**
 * One Jacobian column by central differences, relative step (absolute when
 * the parameter is 0); one-sided (still second order) next to a bound so the
 * model is never evaluated outside it.
 */
function differenceColumn(pb: Problem, p: readonly number[], j: number, col: Float64Array): void {
  const h = CENTRAL_STEP * (p[j] === 0 ? 1 : Math.abs(p[j]));
  const at = (t: number): Float64Array => {
    const q = p.slice();
    q[j] = p[j] + t;
    return modelValues(pb, q);
  };
  if (p[j] - h >= pb.lo[j] && p[j] + h <= pb.hi[j]) {
    const up = at(h), down = at(-h);
    for (let i = 0; i < col.length; i++) col[i] = ((up[i] - down[i]) / (2 * h)) * pb.w[i];
    return;
  }
  const s = p[j] + 2 * h <= pb.hi[j] ? 1 : -1;
  const f0 = modelValues(pb, p), f1 = at(s * h), f2 = at(2 * s * h);
  for (let i = 0; i < col.length; i++) col[i] = ((-3 * f0[i] + 4 * f1[i] - f2[i]) / (2 * s * h)) * pb.w[i];
}

/** The model or its gradient is not finite at a point of the fit: the minimiser turns it into a FitError. */
export class NotFiniteJacobian extends Error {
  constructor(readonly parameters: readonly number[], readonly parameter: number, readonly index: number) {
    super(`the Jacobian is not finite for parameter ${parameter} at point ${index}`);
  }
}

function requireFiniteColumns(cols: readonly Float64Array[], p: readonly number[]): void {
  cols.forEach((c, j) => {
    const i = c.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new NotFiniteJacobian(p.slice(), j, i);
  });
}

/** The weighted model Jacobian at p as columns (one Float64Array of m values per parameter); NotFiniteJacobian when one is not finite. */
export function jacobianColumns(pb: Problem, p: readonly number[]): Float64Array[] {
  const m = pb.x.length, n = nParams(pb);
  const cols = Array.from({ length: n }, () => new Float64Array(m));
  if (pb.gradient) {
    const g = new Array<number>(n).fill(0);
    for (let i = 0; i < m; i++) {
      pb.gradient(pb.x[i], p, g);
      for (let j = 0; j < n; j++) cols[j][i] = g[j] * pb.w[i];
    }
  } else {
    for (let j = 0; j < n; j++) differenceColumn(pb, p, j, cols[j]);
  }
  requireFiniteColumns(cols, p);
  return cols;
}

/** Euclidean norm of each column. */
export function columnNorms(cols: readonly Float64Array[]): number[] {
  return cols.map((c) => Math.sqrt(sumSquares(c)));
}
