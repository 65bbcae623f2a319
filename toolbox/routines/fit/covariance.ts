/**
 * curve_fit's covariance: pcov = (JᵀJ)⁻¹ · χ²/(m − n) (absolute_sigma false)
 * or (JᵀJ)⁻¹ (true), J the weighted Jacobian at popt. Computed from the SVD
 * of the column-equilibrated Jacobian (ml-matrix) rather than by inverting JᵀJ:
 * squaring J squares its condition number, and equilibrating first makes the
 * rank test independent of the parameters' units (as MINPACK's pivoted QR,
 * which scipy's 'lm' inverts, is in practice).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { columnNorms } from './problem.js';

const EPS = 2.220446049250313e-16;

export interface Covariance {
  pcov: number[][];
  /** Why pcov is Infinity everywhere, when it is. */
  warning?: string;
}

const infinite = (n: number): number[][] => Array.from({ length: n }, () => new Array<number>(n).fill(Infinity));

/** (JᵀJ)⁻¹ from the Jacobian columns; null when J is rank-deficient (or not finite). */
export function inverseNormal(cols: readonly Float64Array[]): number[][] | null {
  const n = cols.length, m = n ? cols[0].length : 0;
  const norms = columnNorms(cols);
  if (norms.some((c) => !(c > 0) || !Number.isFinite(c))) return null;
  const a = new Matrix(m, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) a.set(i, j, cols[j][i] / norms[j]);
  const svd = new SingularValueDecomposition(a, { computeLeftSingularVectors: false, autoTranspose: true });
  const s = svd.diagonal, v = svd.rightSingularVectors;
  // scipy's 'trf' threshold for a zero singular value: eps · max(m, n) · s_max.
  if (s.some((x) => !(x > EPS * Math.max(m, n) * s[0]))) return null;
  const out = infinite(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += (v.get(r, k) * v.get(c, k)) / (s[k] * s[k]);
      out[r][c] = sum / (norms[r] * norms[c]);
    }
  }
  return out;
}

/** The covariance curve_fit reports for Jacobian columns `cols` at popt and χ² `chi2` over m points. */
export function covariance(cols: readonly Float64Array[], chi2: number, absoluteSigma: boolean): Covariance {
  const n = cols.length, m = n ? cols[0].length : 0;
  const inv = inverseNormal(cols);
  if (!inv) {
    return { pcov: infinite(n), warning: `the covariance of the parameters cannot be estimated: the Jacobian at the optimum is singular (a parameter has no effect, or two are redundant)` };
  }
  if (absoluteSigma) return { pcov: inv };
  if (m <= n) {
    return { pcov: infinite(n), warning: `the covariance of the parameters cannot be estimated: with m=${m} points and n=${n} parameters no degree of freedom is left to estimate the noise (absoluteSigma false)` };
  }
  const s2 = chi2 / (m - n);
  return { pcov: inv.map((row) => row.map((x) => x * s2)) };
}
