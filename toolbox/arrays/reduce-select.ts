/**
 * Reductions that need all of a slot's values at once rather than a running
 * accumulator: median (selection) and argmin/argmax (positions). Each output
 * element reads its values through precomputed offsets, so any set of reduced
 * axes works without transposing the data.
 */
import { ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, isFloat } from './dtype.js';
import { stridesOf } from './kernels.js';

export interface GatherLayout {
  /** Flat input offset of the first reduced element of each output element. */
  base: Float64Array;
  /** Offsets of the reduced elements relative to `base`, in C order. */
  off: Float64Array;
}

/** Offsets for reducing `axes` (sorted) of a C-ordered array of `shape`. */
export function gatherLayout(shape: readonly number[], axes: readonly number[]): GatherLayout {
  const strides = stridesOf(shape);
  const kept = shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const offsets = (which: number[]): Float64Array => {
    const n = which.reduce((p, a) => p * shape[a], 1);
    const out = new Float64Array(n);
    const idx = new Array<number>(which.length).fill(0);
    let cur = 0;
    for (let i = 0; i < n; i++) {
      out[i] = cur;
      for (let k = which.length - 1; k >= 0; k--) {
        const a = which[k];
        if (++idx[k] < shape[a]) { cur += strides[a]; break; }
        idx[k] = 0;
        cur -= (shape[a] - 1) * strides[a];
      }
    }
    return out;
  };
  return { base: offsets(kept), off: offsets([...axes]) };
}

/** numpy's median: NaN-skipping (nanmedian) or NaN-propagating; mean of the middle two for even counts. */
export function median(values: ArrayData, dtype: DType, layout: GatherLayout, skipna: boolean): ArrayData {
  const { base, off } = layout;
  const skip = skipna && isFloat(dtype);
  const f32 = dtype === 'float32';
  const out = f32 ? new Float32Array(base.length) : new Float64Array(base.length);
  const buf = new Float64Array(off.length);
  for (let o = 0; o < base.length; o++) {
    let m = 0, sawNaN = false;
    for (let r = 0; r < off.length; r++) {
      const v = Number(values[base[o] + off[r]]);
      if (v !== v) { sawNaN = true; if (skip) continue; }
      buf[m++] = v;
    }
    if (m === 0 || (sawNaN && !skip)) { out[o] = NaN; continue; }
    const k = m >> 1;
    select(buf, 0, m - 1, k);
    if (m % 2 === 1) { out[o] = buf[k]; continue; }
    let lower = buf[0];
    for (let i = 1; i < k; i++) if (buf[i] > lower) lower = buf[i];
    // numpy averages in the data's float type: float32 rounds the sum first.
    out[o] = f32 ? Math.fround(Math.fround(lower + buf[k]) / 2) : (lower + buf[k]) / 2;
  }
  return out;
}

/** Rearrange a[lo..hi] so a[k] is the value sorted order puts there, smaller ones before it. */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as pivot keeps sorted and reversed input linear.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}

/**
 * Position of the min/max along the reduced elements (C order over all of
 * them when several axes are reduced, like numpy's flattened argmin). NaN is
 * skipped with `skipna` (an all-NaN slice is an error, as in numpy), else the
 * first NaN wins.
 */
export function argMinMax(values: ArrayData, dtype: DType, layout: GatherLayout, isMax: boolean, skipna: boolean, what: string): BigInt64Array {
  const { base, off } = layout;
  const op = isMax ? 'argmax' : 'argmin';
  if (off.length === 0) throw new ToolBoxValueError(`${op} of ${what}: attempt to get ${op} of an empty sequence`);
  const skip = skipna && isFloat(dtype);
  const out = new BigInt64Array(base.length);
  for (let o = 0; o < base.length; o++) {
    let best = -1;
    let bv: number | bigint | string = 0;
    for (let r = 0; r < off.length; r++) {
      const v = values[base[o] + off[r]];
      if (typeof v === 'number' && v !== v) {
        if (skip) continue;
        best = r;
        break;
      }
      if (best < 0 || (isMax ? v > bv : v < bv)) { best = r; bv = v; }
    }
    if (best < 0) throw new ToolBoxValueError(`${op} of ${what}: All-NaN slice encountered`);
    out[o] = BigInt(best);
  }
  return out;
}
