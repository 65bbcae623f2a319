/**
 * findCurvature's fit (docs/hrixs.md, Curvature): the summed image is cut
 * into blocks of rows along x; the spectral line is followed from the
 * central block outward (each block's maximum sought near the previous
 * block's), its centre in each block fitted with a Gaussian on a constant,
 * and the centres (weighted by their fit errors) with y = c + A·x + B·x².
 * A and B are CURVE_A and CURVE_B; their errors are the fit's.
 */
import { ToolBoxValueError } from '../../errors.js';
import { curveFit } from '../../routines/fit/curve-fit.js';

export interface CurvatureFit {
  curveA: number;
  curveB: number;
  /** Standard errors of CURVE_A and CURVE_B (the weighted parabola fit's). */
  errA: number;
  errB: number;
  /** The line's position at x = 0 (cropped pixels). */
  offset: number;
  /** Block centres (x, rows) and the line's fitted centre (y) with its error in each block used. */
  x: number[];
  y: number[];
  err: number[];
}

export interface CurvatureOptions {
  /** Starting (CURVE_A, CURVE_B): where to look for the line in the blocks beyond the central one. */
  args?: readonly [number, number] | null;
  /** Rows per block (default nx / 16, at least 4). */
  blockRows?: number;
  /** Half-width (pixels) of the search for the maximum and of the Gaussian fit (default 8). */
  window?: number;
}

function smoothedArgmax(p: Float64Array, lo: number, hi: number): number {
  let best = -Infinity, at = lo;
  for (let j = Math.max(lo, 2); j <= Math.min(hi, p.length - 3); j++) {
    const v = p[j - 2] + p[j - 1] + p[j] + p[j + 1] + p[j + 2];
    if (v > best) { best = v; at = j; }
  }
  return at;
}

function blockProfile(img: Float64Array, ny: number, r0: number, rows: number): Float64Array {
  const p = new Float64Array(ny);
  for (let i = r0; i < r0 + rows; i++) for (let j = 0; j < ny; j++) p[j] += img[i * ny + j];
  return p;
}

const gauss = (x: number, q: readonly number[]) => q[0] * Math.exp(-0.5 * ((x - q[1]) / q[2]) ** 2) + q[3];

/** The line centre of one block (Gaussian + constant near `guess`), or null when the fit gives nothing sensible. */
function lineCentre(profile: Float64Array, guess: number, window: number): { c: number; e: number } | null {
  const lo = Math.max(0, guess - window), hi = Math.min(profile.length - 1, guess + window);
  const xs: number[] = [], ys: number[] = [];
  for (let j = lo; j <= hi; j++) { xs.push(j); ys.push(profile[j]); }
  const base = Math.min(...ys), peak = Math.max(...ys);
  if (!(peak > base) || xs.length < 6) return null;
  try {
    const r = curveFit(gauss, xs, ys, { p0: [peak - base, guess, 2, base], model: 'hRIXS line profile' });
    const [amp, c, s] = r.popt, e = r.perr[1];
    if (!(amp > 0) || !(Math.abs(s) < window) || !(c >= lo && c <= hi) || !Number.isFinite(e) || e <= 0) return null;
    return { c, e };
  } catch {
    return null;
  }
}

/** Fit the curvature of the line in a summed, cropped image of nx × ny. */
export function fitCurvature(img: Float64Array, nx: number, ny: number, o: CurvatureOptions = {}): CurvatureFit {
  const rows = o.blockRows ?? Math.max(4, Math.floor(nx / 16)), window = o.window ?? 8;
  const [a0, b0] = o.args ?? [0, 0];
  const blocks = Math.floor(nx / rows);
  if (!Number.isInteger(rows) || rows < 1 || blocks < 3) throw new ToolBoxValueError(`findCurvature: ${nx} rows in blocks of ${rows} give ${blocks} blocks; at least 3 are needed`, { val: rows });
  const centreOf = (b: number) => b * rows + (rows - 1) / 2;
  const shift = (b: number) => (b0 * centreOf(b) + a0) * centreOf(b);
  const mid = Math.floor(blocks / 2);
  const found = new Map<number, { c: number; e: number }>();
  const start = smoothedArgmax(blockProfile(img, ny, mid * rows, rows), 0, ny - 1);
  for (const dir of [1, -1]) {
    let guess = start, from = mid;
    for (let b = dir === 1 ? mid : mid - 1; b >= 0 && b < blocks; b += dir) {
      const profile = blockProfile(img, ny, b * rows, rows);
      const predicted = Math.round(guess + shift(b) - shift(from));
      const r = lineCentre(profile, smoothedArgmax(profile, predicted - window, predicted + window), window);
      if (!r) continue;
      found.set(b, r);
      guess = Math.round(r.c); from = b;
    }
  }
  const used = [...found.keys()].sort((p, q) => p - q);
  if (used.length < 4) throw new ToolBoxValueError(`findCurvature: the spectral line was found in only ${used.length} of ${blocks} blocks of ${rows} rows (need 4); is there a line in the image (maximum of the central block at y = ${start})?`);
  const x = used.map(centreOf), y = used.map((b) => found.get(b)!.c), err = used.map((b) => found.get(b)!.e);
  const guess = curveFit((t, q) => q[0] + (q[2] * t + q[1]) * t, x, y, { p0: [y[0], a0, b0], sigma: err, model: 'hRIXS curvature parabola' });
  const fit = fitLine(img, nx, ny, blocks * rows, guess.popt, window);
  return { curveA: fit.popt[2], curveB: fit.popt[3], errA: fit.perr[2], errB: fit.perr[3], offset: fit.popt[1], x, y, err };
}

/**
 * The final fit: the image within ±window of the block parabola, modelled as
 * a Gaussian line along y = c + A·x + B·x² on a constant (Python's 2-D fit of
 * the line); the errors of A and B are this fit's.
 */
function fitLine(img: Float64Array, nx: number, ny: number, rowsUsed: number, p: number[], window: number): { popt: number[]; perr: number[] } {
  const px: number[] = [], py: number[] = [], v: number[] = [];
  let peak = -Infinity, base = Infinity;
  for (let i = 0; i < Math.min(nx, rowsUsed); i++) {
    const centre = Math.round(p[0] + (p[2] * i + p[1]) * i);
    for (let j = Math.max(0, centre - window); j <= Math.min(ny - 1, centre + window); j++) {
      px.push(i); py.push(j); v.push(img[i * ny + j]);
      peak = Math.max(peak, img[i * ny + j]); base = Math.min(base, img[i * ny + j]);
    }
  }
  const model = (k: number, q: readonly number[]) => {
    const d = (py[k] - q[1] - (q[3] * px[k] + q[2]) * px[k]) / q[4];
    return q[0] * Math.exp(-0.5 * d * d) + q[5];
  };
  const idx = Float64Array.from(v, (_, k) => k);
  const r = curveFit(model, idx, v, { p0: [(peak - base) / 2, p[0], p[1], p[2], 2, Math.max(0, base)], model: 'hRIXS curved line' });
  return { popt: r.popt, perr: r.perr };
}
