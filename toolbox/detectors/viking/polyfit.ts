/**
 * numpy.polyfit's least squares for many curves on the same abscissae: the
 * Vandermonde matrix (highest power first) with its columns scaled to unit
 * norm, as numpy does, solved once by Householder QR and applied to every
 * curve. numpy.polyval evaluates the result.
 */
import { ToolBoxValueError } from '../../errors.js';

/** numpy.polyval: coefficients highest power first. */
export function polyval(c: ArrayLike<number>, x: number): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) s = s * x + c[i];
  return s;
}

/** The QR factors of the scaled Vandermonde matrix of x (m × n, n = deg + 1). */
interface Factors { m: number; n: number; a: Float64Array; beta: Float64Array; scale: Float64Array }

function factor(x: ArrayLike<number>, deg: number): Factors {
  const m = x.length, n = deg + 1;
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = x[i] ** (deg - j);
  }
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i * n + j] ** 2;
    scale[j] = Math.sqrt(s) || 1;
    for (let i = 0; i < m; i++) a[i * n + j] /= scale[j];
  }
  // Householder: column k below the diagonal holds v (v_k implicit in a[k,k] after the step), beta = 2/(vᵀv)
  const beta = new Float64Array(n);
  const diag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[k * n + k] > 0 ? -norm : norm;
    a[k * n + k] -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += a[i * n + k] ** 2;
    beta[k] = vv > 0 ? 2 / vv : 0;
    for (let j = k + 1; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += a[i * n + k] * a[i * n + j];
      d *= beta[k];
      for (let i = k; i < m; i++) a[i * n + j] -= d * a[i * n + k];
    }
    diag[k] = alpha;
  }
  // keep R's diagonal in scale's companion: store it after the vectors
  return { m, n, a, beta, scale: Float64Array.from([...scale, ...diag]) };
}

/** Coefficients (highest power first) of the fit of one curve y, written to out. */
function solve(f: Factors, y: ArrayLike<number>, work: Float64Array, out: Float64Array, outAt: number): void {
  const { m, n, a, beta } = f;
  for (let i = 0; i < m; i++) work[i] = y[i];
  for (let k = 0; k < n; k++) {
    let d = 0;
    for (let i = k; i < m; i++) d += a[i * n + k] * work[i];
    d *= beta[k];
    for (let i = k; i < m; i++) work[i] -= d * a[i * n + k];
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = work[k];
    for (let j = k + 1; j < n; j++) s -= a[k * n + j] * out[outAt + j];
    out[outAt + k] = s / f.scale[n + k];
  }
  for (let k = 0; k < n; k++) out[outAt + k] /= f.scale[k];
}

/**
 * numpy.polyfit(x, Y.T, deg) for `curves` curves stored one after another
 * in `ys` (each x.length long): coefficients, deg + 1 per curve.
 */
export function polyfitMany(x: ArrayLike<number>, ys: ArrayLike<number>, curves: number, deg: number): Float64Array {
  if (!Number.isInteger(deg) || deg < 0) throw new ToolBoxValueError(`polynomial degree must be a non-negative integer, got ${deg}`);
  if (x.length < deg + 1) throw new ToolBoxValueError(`a degree-${deg} polynomial needs at least ${deg + 1} points, got ${x.length}`);
  const f = factor(x, deg);
  const out = new Float64Array(curves * (deg + 1));
  const work = new Float64Array(x.length);
  const y = new Float64Array(x.length);
  for (let c = 0; c < curves; c++) {
    for (let i = 0; i < x.length; i++) y[i] = ys[c * x.length + i];
    solve(f, y, work, out, c * (deg + 1));
  }
  return out;
}

/** numpy.polyfit(x, y, deg) of one curve. */
export function polyfit(x: ArrayLike<number>, y: ArrayLike<number>, deg: number): number[] {
  return Array.from(polyfitMany(x, y, 1, deg));
}
