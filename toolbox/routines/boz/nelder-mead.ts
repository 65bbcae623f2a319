/**
 * Nelder-Mead simplex minimisation, scipy.optimize.minimize(method=
 * 'Nelder-Mead')'s algorithm (reflection 1, expansion 2, contraction 0.5,
 * shrink 0.5; converged when every vertex is within xatol of the best in
 * each coordinate and within fatol in value). Written here because the flat
 * field's refinement criterion is not a sum of squares (so neither curveFit
 * nor ml-levenberg-marquardt applies) and no derivative-free minimiser is
 * among the project's dependencies.
 */
import { FitError } from '../../errors.js';

export interface NelderMeadOptions {
  /** Initial simplex step per coordinate. */
  step: readonly number[];
  xatol: number;
  fatol: number;
  maxIter: number;
  /** Model name in a FitError. */
  model: string;
  /** Called after each iteration with the best vertex. */
  callback?: (x: readonly number[], f: number) => void;
}

export interface NelderMeadResult { x: number[]; fun: number; nit: number; nfev: number; message: string }

type Vertex = { x: number[]; f: number };

const comb = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((v, i) => v + t * (b[i] - v));

/** Minimises f from x0; a FitError with the best vertex when maxIter iterations do not converge. */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], o: NelderMeadOptions): NelderMeadResult {
  let nfev = 0;
  const ev = (x: number[]): Vertex => { nfev++; const v = f(x); return { x, f: Number.isNaN(v) ? Infinity : v }; };
  const n = x0.length;
  let s: Vertex[] = [ev([...x0])];
  for (let i = 0; i < n; i++) { const x = [...x0]; x[i] += o.step[i]; s.push(ev(x)); }
  for (let it = 1; it <= o.maxIter; it++) {
    s.sort((a, b) => a.f - b.f);
    const best = s[0], worst = s[n];
    const centroid = best.x.map((_, k) => s.slice(0, n).reduce((acc, v) => acc + v.x[k], 0) / n);
    const r = ev(comb(centroid, worst.x, -1));
    if (r.f < best.f) {
      const e = ev(comb(centroid, worst.x, -2));
      s[n] = e.f < r.f ? e : r;
    } else if (r.f < s[n - 1].f) {
      s[n] = r;
    } else {
      const c = r.f < worst.f ? ev(comb(centroid, worst.x, -0.5)) : ev(comb(centroid, worst.x, 0.5));
      if (c.f < Math.min(r.f, worst.f)) s[n] = c;
      else s = [best, ...s.slice(1).map((v) => ev(comb(best.x, v.x, 0.5)))];
    }
    s.sort((a, b) => a.f - b.f);
    o.callback?.(s[0].x, s[0].f);
    const xs = Math.max(...s.slice(1).flatMap((v) => v.x.map((xk, k) => Math.abs(xk - s[0].x[k]))));
    const fs = Math.max(...s.slice(1).map((v) => Math.abs(v.f - s[0].f)));
    if (xs <= o.xatol && fs <= o.fatol) return { x: s[0].x, fun: s[0].f, nit: it, nfev, message: 'Optimization terminated successfully.' };
  }
  throw new FitError(`${o.model}: Nelder-Mead did not converge in ${o.maxIter} iterations (best criterion ${s[0].f})`, { model: o.model, lastParameters: s[0].x, iterations: o.maxIter });
}
