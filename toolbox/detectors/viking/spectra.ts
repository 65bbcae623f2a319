/**
 * The Viking's spectra from frames (Python: Viking.integrate and
 * removePolyBaseline), on flat typed arrays: the mean over the
 * non-dispersive rows minus the dark, times photoelectrons per count; and a
 * polynomial baseline fitted outside the signal ranges of the dispersive
 * axis (docs/viking.md, Algorithms).
 */
import { ToolBoxValueError } from '../../errors.js';
import { polyfitMany, polyval } from '../../routines/fit/polynomial.js';

/**
 * Spectra [trains × nx] = mean over the ny rows of (frame − dark) × factor,
 * frames [trains × ny × nx] in C order, dark [ny × nx] or null.
 */
export function integrateFrames(frames: ArrayLike<number>, trains: number, ny: number, nx: number, dark: ArrayLike<number> | null, factor: number): Float64Array {
  const out = new Float64Array(trains * nx);
  const acc = new Float64Array(nx);
  for (let t = 0; t < trains; t++) {
    acc.fill(0);
    const f0 = t * ny * nx;
    for (let y = 0; y < ny; y++) {
      const row = f0 + y * nx, d0 = y * nx;
      if (dark) for (let x = 0; x < nx; x++) acc[x] += frames[row + x] - dark[d0 + x];
      else for (let x = 0; x < nx; x++) acc[x] += frames[row + x];
    }
    for (let x = 0; x < nx; x++) out[t * nx + x] = (acc[x] / ny) * factor;
  }
  return out;
}

/** BL_SIGNAL_RANGE as a list of [min, max] intervals (one [min, max] or several). */
export function signalRanges(range: readonly number[] | readonly (readonly number[])[]): [number, number][] {
  if (range.length === 0) return [];
  const list = (typeof range[0] === 'number' ? [range] : range) as readonly (readonly unknown[])[];
  return list.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number' || !(r[0] <= r[1])) {
      throw new ToolBoxValueError(`BL_SIGNAL_RANGE must be [min, max] or [[min1, max1], ...] with min <= max; entry ${i} is ${JSON.stringify(r)}`);
    }
    return [r[0], r[1]] as [number, number];
  });
}

/** Indices of x outside every signal interval (x < min or x > max of each). */
export function baselineMask(x: ArrayLike<number>, ranges: [number, number][]): number[] {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (ranges.every(([lo, hi]) => x[i] < lo || x[i] > hi)) keep.push(i);
  }
  return keep;
}

/**
 * Spectra minus their baselines: for each curve, numpy.polyfit of degree
 * `deg` on the points `keep`, numpy.polyval on every x subtracted.
 */
export function subtractPolyBaseline(x: ArrayLike<number>, spectra: ArrayLike<number>, curves: number, keep: number[], deg: number): Float64Array {
  const nx = x.length;
  const xs = Float64Array.from(keep, (i) => x[i]);
  const ys = new Float64Array(curves * keep.length);
  for (let c = 0; c < curves; c++) {
    for (let j = 0; j < keep.length; j++) ys[c * keep.length + j] = spectra[c * nx + keep[j]];
  }
  const coef = polyfitMany(xs, ys, curves, deg);
  const out = new Float64Array(curves * nx);
  for (let c = 0; c < curves; c++) {
    const p = coef.subarray(c * (deg + 1), (c + 1) * (deg + 1));
    for (let i = 0; i < nx; i++) out[c * nx + i] = spectra[c * nx + i] - polyval(p, x[i]);
  }
  return out;
}
