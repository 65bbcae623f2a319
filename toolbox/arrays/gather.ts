/**
 * The copy kernel behind align, reindex, broadcast and concat: write a
 * (possibly reindexed, transposed or broadcast) view of a source array into a
 * region of a destination array. Everything is expressed per output axis as
 * a source stride (0 = broadcast), an optional position indexer (-1 = fill)
 * and a destination stride, so concat can gather each input straight into its
 * slot of the result without an intermediate aligned copy.
 *
 * Throughput comes from finding the longest run of trailing axes that are
 * contiguous in both arrays and copying those blocks with TypedArray.set;
 * consecutive source positions along the next axis are merged into one copy.
 */
import { type ArrayData, type DType, castData, isBigInt, promoteTypes, dtypeWithNaN, isFloat, isInt } from './dtype.js';

export interface GatherAxis {
  /** Number of output positions along this axis. */
  size: number;
  /** Source elements between consecutive source positions (0 broadcasts). */
  srcStride: number;
  /** Destination elements between consecutive output positions. */
  dstStride: number;
  /** Source position per output position, -1 for "fill"; null = identity. */
  index: Int32Array | null;
}

export type FillScalar = number | bigint | string;

// Below this many elements a plain loop beats creating a subarray view.
const SMALL_BLOCK = 16;

function copyBlock(src: ArrayData, so: number, dst: ArrayData, d: number, n: number): void {
  if (n >= SMALL_BLOCK && !Array.isArray(dst)) {
    (dst as Float64Array).set((src as Float64Array).subarray(so, so + n), d);
    return;
  }
  const s = src as ArrayLike<unknown> as unknown[], t = dst as unknown[];
  for (let k = 0; k < n; k++) t[d + k] = s[so + k];
}

function fillBlock(dst: ArrayData, d: number, n: number, fill: FillScalar): void {
  (dst as unknown as { fill(v: unknown, s: number, e: number): void }).fill(fill, d, d + n);
}

/**
 * Copy `src` (from `srcOffset`) into `dst` (from `dstOffset`) following `axes`.
 * `src` and `dst` must both be bigint-backed or both number-backed (or both
 * string arrays); see `sourceFor`.
 */
export function gatherInto(src: ArrayData, srcOffset: number, dst: ArrayData, dstOffset: number, axes: readonly GatherAxis[], fill: FillScalar): void {
  // Length-1 axes only shift offsets; dropping them lets more axes count as contiguous.
  const live: GatherAxis[] = [];
  for (const a of axes) {
    if (a.size === 0) return;
    if (a.size === 1) {
      const p = a.index ? a.index[0] : 0;
      if (p < 0) { fillRegion(dst, dstOffset, axes.filter((x) => x.size !== 1), fill); return; }
      srcOffset += p * a.srcStride;
      continue;
    }
    live.push(a);
  }
  let block = 1, j = live.length;
  while (j > 0) {
    const a = live[j - 1];
    if (a.index || a.srcStride !== block || a.dstStride !== block) break;
    block *= a.size;
    j--;
  }
  if (j === 0) { copyBlock(src, srcOffset, dst, dstOffset, block); return; }

  const last = live[j - 1];
  const contiguous = last.srcStride === block && last.dstStride === block;
  const runs = buildRuns(last);
  const emit = (so: number, d: number, missing: boolean) => {
    for (let r = 0; r < runs.length; r += 3) {
      const o = runs[r], p = runs[r + 1], len = runs[r + 2];
      const dBase = d + o * last.dstStride;
      if (missing || p < 0) {
        if (last.dstStride === block) fillBlock(dst, dBase, len * block, fill);
        else for (let k = 0; k < len; k++) fillBlock(dst, dBase + k * last.dstStride, block, fill);
      } else if (contiguous) {
        copyBlock(src, so + p * block, dst, dBase, len * block);
      } else {
        for (let k = 0; k < len; k++) copyBlock(src, so + (p + k) * last.srcStride, dst, dBase + k * last.dstStride, block);
      }
    }
  };
  const outer = j - 1;
  const rec = (ax: number, so: number, d: number, missing: boolean): void => {
    if (ax === outer) { emit(so, d, missing); return; }
    const a = live[ax];
    for (let i = 0; i < a.size; i++) {
      const p = a.index ? a.index[i] : i;
      rec(ax + 1, p < 0 ? so : so + p * a.srcStride, d + i * a.dstStride, missing || p < 0);
    }
  };
  rec(0, srcOffset, dstOffset, false);
}

/** Runs of [outStart, srcStart (-1 = fill), length] along one axis. */
function buildRuns(a: GatherAxis): number[] {
  const runs: number[] = [];
  let o0 = 0, p0 = a.index ? a.index[0] : 0, len = 1;
  for (let i = 1; i < a.size; i++) {
    const p = a.index ? a.index[i] : i;
    const extends_ = p0 < 0 ? p < 0 : p === p0 + len;
    if (extends_) { len++; continue; }
    runs.push(o0, p0 < 0 ? -1 : p0, len);
    o0 = i; p0 = p; len = 1;
  }
  runs.push(o0, p0 < 0 ? -1 : p0, len);
  return runs;
}

function fillRegion(dst: ArrayData, d: number, axes: readonly GatherAxis[], fill: FillScalar): void {
  let block = 1, j = axes.length;
  while (j > 0 && axes[j - 1].dstStride === block) { block *= axes[j - 1].size; j--; }
  const rec = (ax: number, off: number): void => {
    if (ax === j) { fillBlock(dst, off, block, fill); return; }
    for (let i = 0; i < axes[ax].size; i++) rec(ax + 1, off + i * axes[ax].dstStride);
  };
  rec(0, d);
}

/** The source data in a representation `set` can copy into a `to` array (bigint vs number). */
export function sourceFor(values: ArrayData, from: DType, to: DType): ArrayData {
  if (from === 'string' || to === 'string') return values;
  return isBigInt(from) === isBigInt(to) ? values : castData(values, to);
}

/**
 * The dtype that holds `dtype` values plus the fill value, following
 * xarray/numpy: NaN (the default) promotes ints and bools via dtypeWithNaN;
 * an integer fill keeps ints when it fits, turns bools into int64.
 */
export function fillDType(dtype: DType, fill: number): DType {
  if (dtype === 'string' || isFloat(dtype)) return dtype;
  if (Number.isNaN(fill)) return dtypeWithNaN(dtype);
  if (!Number.isInteger(fill)) return dtypeWithNaN(dtype === 'bool' ? 'int64' : dtype);
  if (dtype === 'bool') return fill === 0 || fill === 1 ? 'bool' : 'int64';
  if (isInt(dtype) && fitsInt(dtype, fill)) return dtype;
  return promoteTypes(dtype, 'int64');
}

function fitsInt(dtype: DType, v: number): boolean {
  const bits = Number(dtype.replace(/\D/g, ''));
  if (dtype.startsWith('uint')) return v >= 0 && (bits >= 53 || v < 2 ** bits);
  return bits >= 53 || (v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1));
}

/** The fill value as an element of `dtype` (0 when it cannot be; fillDType then ensured no fill happens). */
export function fillScalar(dtype: DType, fill: number): FillScalar {
  if (dtype === 'string') return Number.isNaN(fill) ? '' : String(fill);
  if (isBigInt(dtype)) return Number.isInteger(fill) ? BigInt(fill) : 0n;
  if (dtype === 'bool') return fill ? 1 : 0;
  return fill;
}
