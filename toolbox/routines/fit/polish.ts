/**
 * Gauss-Newton steps from near the optimum, with a backtracking line search
 * and bounds (a parameter on a bound that the step would push out is held
 * there). It converges quadratically where the library's fixed-size damping
 * crawls, and it is where convergence is decided, with MINPACK-like relative
 * tests: the predicted relative χ² reduction (ftol) or the relative change of
 * the scaled parameters (xtol).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { type Problem, chiSquare, columnNorms, jacobianColumns, residuals, sumSquares } from './problem.js';

/** Predicted relative χ² reduction below which the point is optimal (curve_fit's ftol is 1.5e-8). */
export const FTOL = 1e-14;
/** Relative change of the scaled parameters below which the point is optimal (curve_fit's xtol is 1.5e-8). */
export const XTOL = 1e-10;
/** Step halvings before the line search gives up. */
const HALVINGS = 40;

interface Step { delta: number[]; predicted: number; norms: number[] }

/** The Gauss-Newton step over the parameters `free`: least squares of J δ ≈ r by SVD of the equilibrated J. */
function solveStep(cols: readonly Float64Array[], r: Float64Array, free: readonly number[]): Step {
  const m = r.length, n = cols.length;
  const norms = columnNorms(cols);
  const use = free.filter((j) => norms[j] > 0);
  const delta = new Array<number>(n).fill(0);
  if (use.length === 0) return { delta, predicted: 0, norms };
  const a = new Matrix(m, use.length);
  use.forEach((j, k) => { for (let i = 0; i < m; i++) a.set(i, k, cols[j][i] / norms[j]); });
  const z = new SingularValueDecomposition(a, { autoTranspose: true }).solve(Matrix.columnVector(Array.from(r)));
  use.forEach((j, k) => { delta[j] = z.get(k, 0) / norms[j]; });
  const after = Float64Array.from(r, (ri, i) => ri - use.reduce((s, j, k) => s + a.get(i, k) * z.get(k, 0), 0));
  return { delta, predicted: sumSquares(r) - sumSquares(after), norms };
}

/** The step with parameters on a bound held there when it would push them out. */
function boundedStep(pb: Problem, p: readonly number[], cols: readonly Float64Array[], r: Float64Array): Step {
  let free = p.map((_, j) => j);
  for (;;) {
    const step = solveStep(cols, r, free);
    const out = free.filter((j) => (p[j] <= pb.lo[j] && step.delta[j] < 0) || (p[j] >= pb.hi[j] && step.delta[j] > 0));
    if (out.length === 0) return step;
    free = free.filter((j) => !out.includes(j));
  }
}

const clamp = (pb: Problem, v: number, j: number): number => Math.min(pb.hi[j], Math.max(pb.lo[j], v));

export interface Polished { p: number[]; chi2: number; iterations: number; converged: boolean; message: string }

/** Polishes p (χ² chi2) for at most maxIterations Gauss-Newton steps. */
export function gaussNewtonPolish(pb: Problem, p0: readonly number[], chi20: number, maxIterations: number): Polished {
  let p = p0.slice(), chi2 = chi20;
  for (let it = 0; it < maxIterations; it++) {
    const cols = jacobianColumns(pb, p);
    const step = boundedStep(pb, p, cols, residuals(pb, p));
    const dNorm = Math.hypot(...step.delta.map((d, j) => d * step.norms[j]));
    const pNorm = Math.hypot(...p.map((v, j) => v * step.norms[j]));
    if (!(step.predicted > FTOL * chi2)) {
      return { p, chi2, iterations: it, converged: true, message: `converged: predicted relative reduction of χ² ${(step.predicted / chi2).toExponential(2)} ≤ ${FTOL}` };
    }
    if (dNorm <= XTOL * pNorm) {
      return { p, chi2, iterations: it, converged: true, message: `converged: relative change of the parameters ${(dNorm / pNorm).toExponential(2)} ≤ ${XTOL}` };
    }
    let t = 1, accepted = false;
    for (let h = 0; h < HALVINGS && !accepted; h++, t /= 2) {
      const trial = p.map((v, j) => clamp(pb, v + t * step.delta[j], j));
      const c = chiSquare(pb, trial);
      if (c < chi2) { p = trial; chi2 = c; accepted = true; }
    }
    if (!accepted) {
      // No decrease along the Gauss-Newton direction: optimal to rounding if little was predicted.
      const converged = step.predicted <= 1e-8 * chi2;
      return { p, chi2, iterations: it + 1, converged, message: converged ? `converged: χ² cannot be reduced further (rounding), predicted relative reduction ${(step.predicted / chi2).toExponential(2)}` : 'Gauss-Newton direction gives no decrease' };
    }
  }
  return { p, chi2, iterations: maxIterations, converged: false, message: `no convergence in ${maxIterations} Gauss-Newton steps` };
}
