/**
 * CSR matrices without splitting ('no') and with bounding-box splitting
 * ('bbox'), 1D and 2D, as pyFAI 0.21's splitBBox CSR engines build them: a
 * pixel is the interval centre ± half-width in each binned coordinate (the
 * half-width is 0 without splitting), and its weight 1 is shared among the
 * bins the interval overlaps in proportion to the overlap (in 2D the product
 * of the radial and azimuthal fractions). Bin indices truncate towards zero
 * and are clamped to the axis, so overhangs past either end of the range land
 * in the end bins (pyFAI's behaviour). Positions are binned in pyFAI's
 * internal units (the radial unit divided by its scale) so bin edges fall
 * where pyFAI's do.
 */
import { binCentres, type Axis } from './bins.js';
import { collect, type CsrFill } from './csr-fill.js';
import type { CsrMatrix } from './types.js';

/** Positions prepared for binning: internal radial units, χ in radians, half-widths when splitting. */
export interface BinInput {
  size: number;
  radial: Float64Array;
  /** Divide `radial` by this to get pyFAI's internal unit. */
  scale: number;
  chi: Float64Array;
  /** Radial half-widths (internal units), absent without splitting. */
  dRadial?: Float64Array;
  /** χ half-widths (radians), absent without splitting. */
  dChi?: Float64Array;
  mask?: Uint8Array;
}

/** Adds a pixel spread over bins [fmin, fmax] (fractional bin positions) of `axis` to rows base + stride·bin. */
function spread(fill: CsrFill, pixel: number, fmin: number, fmax: number, bins: number, base: number, stride: number, w: number): void {
  let bmin = Math.trunc(fmin);
  let bmax = Math.trunc(fmax);
  if (bmin < 0) bmin = 0;
  if (bmax >= bins) bmax = bins - 1;
  if (bmin === bmax) {
    fill.add(base + stride * bmin, pixel, w);
    return;
  }
  const inv = w / (fmax - fmin);
  fill.add(base + stride * bmin, pixel, (bmin + 1 - fmin) * inv);
  for (let b = bmin + 1; b < bmax; b++) fill.add(base + stride * b, pixel, inv);
  fill.add(base + stride * bmax, pixel, (fmax - bmax) * inv);
}

/**
 * 1D: rows are radial bins. With an azimuth range (radians), a pixel counts
 * whole when its χ interval touches the range and not at all otherwise.
 */
export function bbox1d(input: BinInput, axis: Axis, azim?: [number, number]): CsrMatrix {
  const { size, radial, scale, chi, dRadial, dChi, mask } = input;
  const { min, delta, bins } = axis;
  const walk = (fill: CsrFill): void => {
    for (let i = 0; i < size; i++) {
      if (mask && mask[i]) continue;
      if (azim) {
        const c1 = chi[i];
        const d1 = dChi ? dChi[i] : 0;
        if (c1 + d1 < azim[0] || c1 - d1 > azim[1]) continue;
      }
      const c0 = radial[i] / scale;
      if (!dRadial) {
        const b = Math.trunc((c0 - min) / delta);
        if (b >= 0 && b < bins) fill.add(b, i, 1);
        continue;
      }
      const d0 = dRadial[i];
      const fmin = (c0 - d0 - min) / delta;
      const fmax = (c0 + d0 - min) / delta;
      if (!(Math.trunc(fmax) >= 0 && Math.trunc(fmin) < bins)) continue;
      spread(fill, i, fmin, fmax, bins, 0, 1, 1);
    }
  };
  return collect(bins, (dRadial ? 3 : 1) * size, walk).matrix(binCentres(axis, scale));
}

/** 2D without splitting: each pixel to the bin of its centre. */
function noSplit2d(input: BinInput, ax0: Axis, ax1: Axis): (fill: CsrFill) => void {
  const { size, radial, scale, chi, mask } = input;
  const n0 = ax0.bins;
  const n1 = ax1.bins;
  return (fill) => {
    for (let i = 0; i < size; i++) {
      if (mask && mask[i]) continue;
      const b0 = Math.trunc((radial[i] / scale - ax0.min) / ax0.delta);
      const b1 = Math.trunc((chi[i] - ax1.min) / ax1.delta);
      if (!(b0 >= 0 && b0 < n0 && b1 >= 0 && b1 < n1)) continue;
      fill.add(b1 * n0 + b0, i, 1);
    }
  };
}

/** 2D with bounding boxes: intervals are not clipped per pixel, overhangs go to the end bins. */
function bboxSplit2d(input: BinInput, ax0: Axis, ax1: Axis): (fill: CsrFill) => void {
  const { size, radial, scale, chi, mask } = input;
  const dRadial = input.dRadial as Float64Array;
  const dChi = input.dChi as Float64Array;
  const n0 = ax0.bins;
  const n1 = ax1.bins;
  return (fill) => {
    for (let i = 0; i < size; i++) {
      if (mask && mask[i]) continue;
      const c0 = radial[i] / scale;
      const f0min = (c0 - dRadial[i] - ax0.min) / ax0.delta;
      const f0max = (c0 + dRadial[i] - ax0.min) / ax0.delta;
      const f1min = (chi[i] - dChi[i] - ax1.min) / ax1.delta;
      const f1max = (chi[i] + dChi[i] - ax1.min) / ax1.delta;
      if (!(Math.trunc(f0max) >= 0 && Math.trunc(f0min) < n0 && Math.trunc(f1max) >= 0 && Math.trunc(f1min) < n1)) continue;
      const b1min = Math.max(0, Math.trunc(f1min));
      const b1max = Math.min(n1 - 1, Math.trunc(f1max));
      if (b1min === b1max) {
        spread(fill, i, f0min, f0max, n0, b1min * n0, 1, 1);
        continue;
      }
      const inv1 = 1 / (f1max - f1min);
      spread(fill, i, f0min, f0max, n0, b1min * n0, 1, (b1min + 1 - f1min) * inv1);
      for (let b = b1min + 1; b < b1max; b++) spread(fill, i, f0min, f0max, n0, b * n0, 1, inv1);
      spread(fill, i, f0min, f0max, n0, b1max * n0, 1, (f1max - b1max) * inv1);
    }
  };
}

/** 2D: rows azimuth-major, row = iAzim·nRad + iRad; azimuthal centres in degrees. */
export function bbox2d(input: BinInput, ax0: Axis, ax1: Axis): CsrMatrix {
  const walk = input.dRadial ? bboxSplit2d(input, ax0, ax1) : noSplit2d(input, ax0, ax1);
  return collect(ax0.bins * ax1.bins, (input.dRadial ? 3 : 1) * input.size, walk).matrix(binCentres(ax0, input.scale), binCentres(ax1, 180 / Math.PI));
}
