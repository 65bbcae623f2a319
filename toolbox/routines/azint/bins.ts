/**
 * Bin axes of the CSR builder: the checks of a CsrSpec, pyFAI's default
 * ranges (extent of the unmasked pixels, upper end nudged so the largest
 * position falls inside), the azimuth range in radians as pyFAI normalises
 * it, and bin centres (docs/azimuthal-integration.md, "CSR matrices").
 */
import { ToolBoxValueError } from '../../errors.js';
import type { CsrSpec, PixelPositions } from './types.js';

/** 1 + the float32 machine epsilon: pyFAI's relative nudge of a range's upper end. */
export const EPS32 = 1 + 2 ** -23;

/** One binned coordinate: bins of width `delta` from `min`; `maxIn` is the requested upper end, `max` the nudged one. */
export interface Axis {
  min: number;
  maxIn: number;
  max: number;
  bins: number;
  delta: number;
}

/** The upper end moved outwards by one float32 epsilon, as pyFAI does for both signs. */
export function upperBound(maxIn: number): number {
  return maxIn > 0 ? maxIn * EPS32 : maxIn / EPS32;
}

export function makeAxis(min: number, maxIn: number, bins: number): Axis {
  const max = upperBound(maxIn);
  return { min, maxIn, max, bins, delta: (max - min) / bins };
}

/** Bin centres, spaced as numpy's linspace between the first and last centre. */
export function binCentres(axis: Axis, scale = 1): Float64Array {
  const { bins, delta } = axis;
  const first = axis.min + 0.5 * delta;
  const last = axis.max - 0.5 * delta;
  const out = new Float64Array(bins);
  const step = bins > 1 ? (last - first) / (bins - 1) : 0;
  for (let i = 0; i < bins; i++) out[i] = (first + i * step) * scale;
  if (bins > 1) out[bins - 1] = last * scale;
  return out;
}

/** Extent [min, max] of values / scale over unmasked pixels, each widened by its own half-width when given. */
export function extent(values: Float64Array, halfWidth: Float64Array | undefined, mask: Uint8Array | undefined, scale = 1): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (mask && mask[i]) continue;
    const c = values[i] / scale;
    const d = halfWidth ? halfWidth[i] : 0;
    if (c - d < lo) lo = c - d;
    if (c + d > hi) hi = c + d;
  }
  return [lo, hi];
}

/** Extent over the corners of unmasked pixels (full splitting). */
export function cornerExtent(corners: Float64Array, nCorners: number, mask: Uint8Array | undefined): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const n = corners.length / nCorners;
  for (let i = 0; i < n; i++) {
    if (mask && mask[i]) continue;
    for (let k = i * nCorners; k < (i + 1) * nCorners; k++) {
      const v = corners[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

function checkCount(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ToolBoxValueError(`${name} must be a positive integer, got ${String(value)}`, { val: value });
  }
}

function checkRange(name: string, range: unknown): void {
  const ok = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw new ToolBoxValueError(`${name} must be two finite numbers [min, max], got ${JSON.stringify(range)}`, { val: range });
  const [lo, hi] = range as [number, number];
  if (!(lo < hi)) throw new ToolBoxValueError(`${name} [${lo}, ${hi}] is empty or reversed: min must be below max`, { val: range });
}

/** Checks of a spec against its positions: counts, split, ranges, mask length, corners present when splitting. */
export function checkSpec(pos: PixelPositions, spec: CsrSpec): void {
  checkCount('npt', spec.npt);
  if (spec.nptAzim !== undefined) checkCount('nptAzim', spec.nptAzim);
  if (!['no', 'bbox', 'full'].includes(spec.split)) {
    throw new ToolBoxValueError(`split must be 'no', 'bbox' or 'full', got ${JSON.stringify(spec.split)}`, { val: spec.split });
  }
  const size = pos.shape[0] * pos.shape[1];
  if (pos.radial.length !== size || pos.chi.length !== size) {
    throw new ToolBoxValueError(`positions hold ${pos.radial.length} radial and ${pos.chi.length} chi values for shape [${pos.shape.join(', ')}] (${size} pixels)`);
  }
  if (spec.mask !== undefined && spec.mask.length !== size) {
    throw new ToolBoxValueError(`mask has ${spec.mask.length} elements, the detector ${size} (shape [${pos.shape.join(', ')}])`, { val: spec.mask.length });
  }
  if (spec.radialRange !== undefined) checkRange('radialRange', spec.radialRange);
  if (spec.azimuthRange !== undefined) {
    checkRange('azimuthRange', spec.azimuthRange);
    const [lo, hi] = spec.azimuthRange;
    if (hi - lo > 360) throw new ToolBoxValueError(`azimuthRange [${lo}, ${hi}] spans more than 360°`, { val: spec.azimuthRange });
  }
  if (spec.split !== 'no') {
    const n = pos.nCorners;
    if (!pos.radialCorners || !pos.chiCorners || n < 3 || pos.radialCorners.length !== size * n || pos.chiCorners.length !== size * n) {
      throw new ToolBoxValueError(`split '${spec.split}' needs pixel corners in the positions (nCorners ≥ 3, ${size}·nCorners values each), got nCorners ${n}`);
    }
  }
}

/**
 * The azimuth range in radians as pyFAI normalises degrees: each end taken
 * modulo 360° into [−π, π), and the upper end moved up by 2π when it is not
 * above the lower one (so [−180, 180] becomes [−π, π], [90, 270] [π/2, 3π/2]).
 */
export function azimuthRadians(range: [number, number]): [number, number] {
  const toRad = (deg: number): number => {
    let rp = (((deg / 180) % 2) + 2) % 2;
    if (rp >= 1) rp -= 2;
    return rp * Math.PI;
  };
  let lo = toRad(range[0]);
  let hi = toRad(range[1]);
  if (hi <= lo) hi += 2 * Math.PI;
  lo = Math.min(lo, hi);
  return [lo, hi];
}

const fmt = (v: number): number => Number(v.toPrecision(6));

/** Fails when a requested range misses the data's extent entirely, naming both (`shown` is the range as the caller gave it). */
export function checkOverlap(name: string, range: [number, number], data: [number, number], unit: string, shown = range): void {
  if (!(data[0] <= data[1])) throw new ToolBoxValueError(`no unmasked pixel is left to integrate (${name} [${shown.join(', ')}] ${unit})`);
  if (range[1] < data[0] || range[0] > data[1]) {
    throw new ToolBoxValueError(`${name} [${shown[0]}, ${shown[1]}] ${unit} lies outside the data, which spans [${fmt(data[0])}, ${fmt(data[1])}] ${unit}`, { val: shown });
  }
}
