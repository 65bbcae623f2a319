/**
 * The non-linearity criterion as a sum of squares for nlFit: err1 =
 * 1e8·Σ_i (ref_i/Σref)·(sig_i/ref_i − μ)² is Σ e_i² with
 * e_i = √(1e8·ref_i/Σref)·(r_i − μ), and err2 = Σ_k n_k·dy_k². Residuals and
 * the normal equations (JᵀJ, Jᵀe) come analytically from the segment
 * coefficients: ∂I_b/∂dy_k = c_k (histogram of segment k minus the dark's).
 * A frame with ref ≤ 0 (only noise) enters with |ref|: the criterion reported
 * stays the exact one.
 */
import { ToolBoxValueError } from '../../errors.js';
import type { NlCritKind, NlSegments } from './nl-crit.js';

/** Coefficient vectors (N + 1 per frame) of the signal and reference of each ratio. */
interface Pair { sig: Float64Array; ref: Float64Array }

/** The (sig, ref) coefficient pairs of a criterion over the kept frames. */
export function ratioPairs(kind: NlCritKind, seg: NlSegments, frames: Int32Array): Pair[] {
  const m = seg.n + 1;
  const beam = (b: number): Float64Array => {
    const out = new Float64Array(frames.length * m);
    frames.forEach((f, i) => out.set(seg.coef.subarray((3 * f + b) * m, (3 * f + b + 1) * m), i * m));
    return out;
  };
  const [n, z, p] = [beam(0), beam(1), beam(2)];
  if (kind === 'nl') return [{ sig: n, ref: z }, { sig: p, ref: z }];
  return [{ sig: z, ref: n.map((v, i) => v + p[i]) }];
}

const dot = (c: Float64Array, o: number, m: number, dy: ArrayLike<number>): number => {
  let s = c[o];
  for (let k = 1; k < m; k++) s += c[o + k] * dy[k - 1];
  return s;
};

/** The normal equations at dy: A = JᵀJ (N × N, row-major), g = Jᵀe, and cost = Σ e². */
export interface Normal { A: Float64Array; g: Float64Array; cost: number }

/** Σ e² only (for step acceptance). */
export function nlCost(pairs: readonly Pair[], seg: NlSegments, dy: ArrayLike<number>, alpha: number): number {
  return accumulate(pairs, seg, dy, alpha, false).cost;
}

/** Residual sum of squares and, with `normal`, JᵀJ and Jᵀe. */
export function accumulate(pairs: readonly Pair[], seg: NlSegments, dy: ArrayLike<number>, alpha: number, normal = true): Normal {
  const N = seg.n, m = N + 1;
  const A = new Float64Array(normal ? N * N : 0), g = new Float64Array(normal ? N : 0);
  const C2 = (1 - alpha) * 1e8;
  let cost = 0;
  const row = new Float64Array(N);
  for (const { sig, ref } of pairs) {
    const frames = sig.length / m;
    const s = new Float64Array(frames), r = new Float64Array(frames);
    let S = 0, R = 0;
    const dS = new Float64Array(N), dR = new Float64Array(N);
    for (let i = 0; i < frames; i++) {
      s[i] = dot(sig, i * m, m, dy); r[i] = dot(ref, i * m, m, dy);
      S += s[i]; R += r[i];
      for (let k = 0; k < N; k++) { dS[k] += sig[i * m + k + 1]; dR[k] += ref[i * m + k + 1]; }
    }
    if (!(R > 0)) throw new ToolBoxValueError(`nlFit: the summed reference intensity is ${R} (not positive) at dy = [${Array.from(dy, (v) => v.toPrecision(4)).join(', ')}]; the ratio criterion is undefined`);
    const mu = S / R;
    for (let i = 0; i < frames; i++) {
      const a = Math.abs(r[i]);
      if (a === 0) continue;
      const w = a / R, sq = Math.sqrt(w), ri = s[i] / r[i], d = ri - mu, C = Math.sqrt(C2);
      const e = C * sq * d;
      cost += e * e;
      if (!normal) continue;
      const sgn = Math.sign(r[i]);
      for (let k = 0; k < N; k++) {
        const dsig = sig[i * m + k + 1], dref = ref[i * m + k + 1];
        const dw = (sgn * dref) / R - (a * dR[k]) / (R * R);
        const dr = (dsig - ri * dref) / r[i], dmu = (dS[k] - mu * dR[k]) / R;
        row[k] = C * ((dw / (2 * sq)) * d + sq * (dr - dmu));
      }
      addRow(A, g, row, e, N);
    }
  }
  for (let k = 0; k < N; k++) {
    const c = Math.sqrt(alpha * seg.counts[k + 1]);
    if (c === 0) continue;
    const e = c * dy[k];
    cost += e * e;
    if (normal) { A[k * N + k] += c * c; g[k] += c * e; }
  }
  return { A, g, cost };
}

function addRow(A: Float64Array, g: Float64Array, row: Float64Array, e: number, N: number): void {
  for (let k = 0; k < N; k++) {
    const x = row[k];
    if (x === 0) continue;
    g[k] += x * e;
    for (let l = k; l < N; l++) A[k * N + l] += x * row[l];
  }
}

/** Fill the lower triangle from the upper one (addRow accumulates the upper). */
export function symmetrise(A: Float64Array, N: number): void {
  for (let k = 0; k < N; k++) for (let l = 0; l < k; l++) A[k * N + l] = A[l * N + k];
}
