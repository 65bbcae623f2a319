/**
 * CSR matrices with full pixel splitting ('full'), as pyFAI 0.21's
 * splitPixelFullCSR engines build them: each pixel is the polygon of its
 * corners in (radial, χ) space (any number of corners ≥ 3; pyFAI itself takes
 * 4), and its weight is shared among bins in proportion to the polygon's
 * area in each.
 *
 * 1D: the area in each radial strip is exact (edge integrals ∫χ dr); only
 * the strips inside the radial range count, and the weights are divided by
 * their sum, so a pixel overhanging the range still has weight 1.
 * 2D: corners are first clipped to the ranges; within each radial column an
 * edge counts as horizontal at its mean height, and its area fills the χ
 * rows from the bottom up (pyFAI's approximation, reproduced); weights are
 * the cell areas over the clipped polygon's area.
 * Pixels straddling the χ discontinuity at ±π are first moved to one side.
 */
import type { Axis } from './bins.js';
import { binCentres } from './bins.js';
import { collect, type CsrFill } from './csr-fill.js';
import type { CsrMatrix, PixelPositions } from './types.js';

export interface FullInput {
  pos: PixelPositions;
  scale: number;
  mask?: Uint8Array;
}

const PI32 = Math.fround(Math.PI);
const TWO_PI = 2 * Math.PI;

/** One pixel's corners: x radial (internal units, later bin coordinates), y χ. */
class Corners {
  readonly x: Float64Array;
  readonly y: Float64Array;
  constructor(readonly n: number) {
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
  }

  /** Loads a pixel's corners; false when one is not finite (the pixel is skipped). */
  load(pos: PixelPositions, scale: number, pixel: number): boolean {
    const rc = pos.radialCorners as Float64Array;
    const cc = pos.chiCorners as Float64Array;
    const o = pixel * this.n;
    let sum = 0;
    for (let k = 0; k < this.n; k++) {
      sum += (this.x[k] = rc[o + k] / scale) + (this.y[k] = cc[o + k]);
    }
    return Number.isFinite(sum);
  }

  /**
   * Brings the χ of a pixel on the ±π discontinuity to one side. For 4
   * corners pyFAI's test (the sign of its approximate quadrilateral area,
   * positive only for a pixel whose corners wrapped) decides; for other
   * polygons a χ spread above π does.
   */
  recenter(): void {
    const { x, y, n } = this;
    let wrapped: boolean;
    if (n === 4) {
      wrapped = 0.5 * ((x[2] - x[0]) * (y[3] - y[1])) - (y[2] - y[0]) * (x[3] - x[1]) > 0;
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = 0; k < n; k++) {
        lo = Math.min(lo, y[k]);
        hi = Math.max(hi, y[k]);
      }
      wrapped = hi - lo > Math.PI;
    }
    if (!wrapped) return;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      if (y[k] < 0) y[k] += TWO_PI;
      sum += y[k];
    }
    if (sum / n > PI32) for (let k = 0; k < n; k++) y[k] -= TWO_PI;
  }

  min(a: Float64Array): number {
    let m = a[0];
    for (let k = 1; k < this.n; k++) if (a[k] < m) m = a[k];
    return m;
  }

  max(a: Float64Array): number {
    let m = a[0];
    for (let k = 1; k < this.n; k++) if (a[k] > m) m = a[k];
    return m;
  }
}

/**
 * Signed areas ∫y dx of the polygon within the strips b ≤ x ≤ b + 1 for b in
 * [lo, hi], added into areas[b] (y measured from yRef for precision): each
 * edge is cut at the strip boundaries it crosses.
 */
function stripAreas(c: Corners, lo: number, hi: number, yRef: number, areas: Float64Array): void {
  const { x, y, n } = c;
  for (let b = lo; b <= hi; b++) areas[b] = 0;
  for (let k = 0; k < n; k++) {
    const k1 = k + 1 === n ? 0 : k + 1;
    const x0 = x[k];
    const x1 = x[k1];
    if (x0 === x1) continue;
    const sign = x1 > x0 ? 1 : -1;
    const u = Math.min(x0, x1);
    const v = Math.max(x0, x1);
    const slope = (y[k1] - y[k]) / (x1 - x0);
    const last = Math.min(hi, Math.floor(v));
    for (let b = Math.max(lo, Math.floor(u)); b <= last; b++) {
      const s = Math.max(u, b);
      const e = Math.min(v, b + 1);
      if (e > s) areas[b] += sign * (e - s) * (y[k] - yRef + slope * (0.5 * (s + e) - x0));
    }
  }
}

/** 1D: rows are radial bins; with an azimuth range (radians) a pixel counts whole when its χ span touches it. */
export function full1d(input: FullInput, axis: Axis, azim?: [number, number]): CsrMatrix {
  const { pos, scale, mask } = input;
  const c = new Corners(pos.nCorners);
  const size = pos.shape[0] * pos.shape[1];
  const { bins, min, delta } = axis;
  const areas = new Float64Array(bins);
  const walk = (fill: CsrFill): void => {
    for (let i = 0; i < size; i++) {
      if (mask && mask[i]) continue;
      if (!c.load(pos, scale, i)) continue;
      c.recenter();
      for (let k = 0; k < c.n; k++) c.x[k] = (c.x[k] - min) / delta;
      const min0 = c.min(c.x);
      const max0 = c.max(c.x);
      if (!(max0 >= 0 && min0 < bins)) continue;
      if (azim && (c.max(c.y) < azim[0] || c.min(c.y) > azim[1])) continue;
      const bmin = Math.floor(min0);
      const bmax = Math.floor(max0);
      if (bmin === bmax) {
        fill.add(bmin, i, 1);
        continue;
      }
      const lo = Math.max(0, bmin);
      const hi = Math.min(bins - 1, bmax);
      const yRef = c.min(c.y);
      stripAreas(c, lo, hi, yRef, areas);
      let sum = 0;
      for (let b = lo; b <= hi; b++) sum += areas[b];
      if (sum === 0) continue;
      for (let b = lo; b <= hi; b++) if (areas[b] !== 0) fill.add(b, i, areas[b] / sum);
    }
  };
  return collect(bins, 3 * size, walk).matrix(binCentres(axis, scale));
}

/** Scratch cells of one pixel in 2D, grown on demand. */
class Cells {
  buf = new Float64Array(256);
  w0 = 0;
  w1 = 0;

  reset(w0: number, w1: number): void {
    this.w0 = w0;
    this.w1 = w1;
    const need = (w0 + 1) * (w1 + 2);
    if (need > this.buf.length) this.buf = new Float64Array(need * 2);
    else this.buf.fill(0, 0, need);
  }

  /** An edge piece of width w in column i at mean height h ≥ 0 fills rows 0, 1, … of that column with w each. */
  fillColumn(i: number, w: number, h: number, sign: number): void {
    const stride = this.w1 + 1;
    let rest = w * h;
    for (let j = 0; rest > 0 && j <= this.w1; j++) {
      const d = Math.min(w, rest);
      this.buf[i * stride + j] += sign * d;
      rest -= d;
    }
  }

  /** Adds the edge (x0, y0) → (x1, y1) (cell coordinates, y ≥ 0), split at column boundaries. */
  edge(x0: number, y0: number, x1: number, y1: number): void {
    if (x0 === x1) return;
    const sign = x1 > x0 ? 1 : -1;
    const slope = (y1 - y0) / (x1 - x0);
    const lo = Math.min(x0, x1);
    const hi = Math.max(x0, x1);
    for (let i = Math.floor(lo); i < hi && i < this.w0; i++) {
      const u = Math.max(lo, i);
      const v = Math.min(hi, i + 1);
      if (v <= u) continue;
      this.fillColumn(i, v - u, y0 + slope * (0.5 * (u + v) - x0), sign);
    }
  }
}

/** 2D: rows azimuth-major, row = iAzim·nRad + iRad; azimuthal centres in degrees. */
export function full2d(input: FullInput, ax0: Axis, ax1: Axis): CsrMatrix {
  const { pos, scale, mask } = input;
  const c = new Corners(pos.nCorners);
  const cells = new Cells();
  const size = pos.shape[0] * pos.shape[1];
  const n0 = ax0.bins;
  const clip = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
  const walk = (fill: CsrFill): void => {
    for (let i = 0; i < size; i++) {
      if (mask && mask[i]) continue;
      if (!c.load(pos, scale, i)) continue;
      c.recenter();
      if (c.max(c.x) < ax0.min || c.min(c.x) > ax0.maxIn || c.max(c.y) < ax1.min || c.min(c.y) >= ax1.max) continue;
      for (let k = 0; k < c.n; k++) {
        c.x[k] = (clip(c.x[k], ax0.min, ax0.maxIn) - ax0.min) / ax0.delta;
        c.y[k] = (clip(c.y[k], ax1.min, ax1.maxIn) - ax1.min) / ax1.delta;
      }
      const f0 = Math.floor(c.min(c.x));
      const f1 = Math.floor(c.min(c.y));
      cells.reset(Math.ceil(c.max(c.x)) - f0, Math.ceil(c.max(c.y)) - f1);
      let area = 0;
      for (let k = 0; k < c.n; k++) {
        const k1 = k + 1 === c.n ? 0 : k + 1;
        const xa = c.x[k] - f0;
        const ya = c.y[k] - f1;
        const xb = c.x[k1] - f0;
        const yb = c.y[k1] - f1;
        cells.edge(xa, ya, xb, yb);
        area += (xb - xa) * 0.5 * (ya + yb);
      }
      if (area === 0) continue;
      const stride = cells.w1 + 1;
      for (let a = 0; a < cells.w0; a++) {
        for (let b = 0; b < cells.w1; b++) {
          const v = cells.buf[a * stride + b];
          if (v !== 0) fill.add((f1 + b) * n0 + f0 + a, i, v / area);
        }
      }
    }
  };
  return collect(n0 * ax1.bins, 3 * size, walk).matrix(binCentres(ax0, scale), binCentres(ax1, 180 / Math.PI));
}
