/**
 * numpy.polyfit's least squares for many curves on the same abscissae: the
 * Vandermonde matrix (highest power first) with its columns scaled to unit
 * norm, as numpy does, factored once (ml-matrix's Householder QR) and solved
 * for the curves in blocks. numpy.polyval evaluates the result.
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import { ToolBoxValueError } from '../../errors.js';

/** Curves solved at once: bounds the right-hand-side matrix (x.length × BLOCK numbers). */
const BLOCK = 256;

/** numpy.polyval: coefficients highest power first. */
export function polyval(c: ArrayLike<number>, x: number): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) s = s * x + c[i];
  return s;
}

/** The Vandermonde matrix of x (highest power first) with unit-norm columns, and the column norms. */
function scaledVandermonde(x: ArrayLike<number>, deg: number): { a: Matrix; scale: Float64Array } {
  const m = x.length, n = deg + 1;
  const a = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a.set(i, j, x[i] ** (deg - j));
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const norm = a.getColumnVector(j).norm();
    scale[j] = norm || 1;
    for (let i = 0; i < m; i++) a.set(i, j, a.get(i, j) / scale[j]);
  }
  return { a, scale };
}

/**
 * numpy.polyfit(x, Y.T, deg) for `curves` curves stored one after another
 * in `ys` (each x.length long): coefficients, deg + 1 per curve.
 */
export function polyfitMany(x: ArrayLike<number>, ys: ArrayLike<number>, curves: number, deg: number): Float64Array {
  if (!Number.isInteger(deg) || deg < 0) throw new ToolBoxValueError(`polynomial degree must be a non-negative integer, got ${deg}`);
  if (x.length < deg + 1) throw new ToolBoxValueError(`a degree-${deg} polynomial needs at least ${deg + 1} points, got ${x.length}`);
  const m = x.length, n = deg + 1;
  const { a, scale } = scaledVandermonde(x, deg);
  const qr = new QrDecomposition(a);
  const out = new Float64Array(curves * n);
  for (let c0 = 0; c0 < curves; c0 += BLOCK) {
    const k = Math.min(BLOCK, curves - c0);
    const rhs = new Matrix(m, k);
    for (let c = 0; c < k; c++) for (let i = 0; i < m; i++) rhs.set(i, c, ys[(c0 + c) * m + i]);
    const sol = qr.solve(rhs);
    for (let c = 0; c < k; c++) for (let j = 0; j < n; j++) out[(c0 + c) * n + j] = sol.get(j, c) / scale[j];
  }
  return out;
}

/** numpy.polyfit(x, y, deg) of one curve. */
export function polyfit(x: ArrayLike<number>, y: ArrayLike<number>, deg: number): number[] {
  return Array.from(polyfitMany(x, y, 1, deg));
}
