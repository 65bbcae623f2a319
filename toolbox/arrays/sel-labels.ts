/**
 * Label lookups on an index coordinate, as pandas does them for xarray's
 * `sel`: exact matches through the index's cached lookup (index-keys.ts), inexact ones
 * (pad/backfill/nearest) and label slices by binary search on a monotonic
 * index. JS compares bigint with number exactly, so uint64 train IDs can be
 * looked up with either.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, type Scalar, isBigInt } from './dtype.js';
import type { DataArray, SelOptions } from './dataarray.js';
import type { Slice } from './slice.js';
import { type AxisTake } from './kernels.js';
import { formatLabel } from './common.js';
import { indexLookup, labelKey } from './index-keys.js';

export type Method = NonNullable<SelOptions['method']>;
type Order = 'inc' | 'dec' | 'none';

/** Monotonicity per values buffer; buffers are immutable, so the answer is too. */
const orderCache = new WeakMap<object, Order>();

export function monotonicity(values: ArrayData): Order {
  let o = orderCache.get(values);
  if (o) return o;
  const v = values as ArrayLike<number>;
  let inc = true, dec = true;
  for (let i = 1; i < v.length && (inc || dec); i++) {
    // Negated tests make NaN break both orders.
    if (!(v[i - 1] <= v[i])) inc = false;
    if (!(v[i - 1] >= v[i])) dec = false;
  }
  o = inc ? 'inc' : dec ? 'dec' : 'none';
  orderCache.set(values, o);
  return o;
}

function isUnique(coord: DataArray): boolean {
  return indexLookup(coord).duplicate === undefined;
}

/** Reject labels that cannot be compared with this index at all (a string against numbers). */
function checkKind(label: Scalar, coord: DataArray, dim: string): void {
  const str = coord.dtype === 'string';
  if (str !== (typeof label === 'string')) {
    throw new ToolBoxTypeError(
      `label ${formatLabel(label)} (${typeof label}) cannot be looked up in index '${dim}' of dtype ${coord.dtype}`);
  }
}

/** The label as a key of the coordinate's index map, or undefined when it equals no value of that dtype. */
function toKey(label: Scalar, dtype: DType): Scalar | undefined {
  if (typeof label === 'boolean') label = label ? 1 : 0;
  if (dtype === 'string') return typeof label === 'string' ? label : undefined;
  if (typeof label === 'string') return undefined;
  if (isBigInt(dtype)) {
    if (typeof label === 'bigint') return label;
    return Number.isInteger(label) ? BigInt(label) : undefined;
  }
  const x = typeof label === 'bigint' ? Number(label) : label;
  if (typeof label === 'bigint' && BigInt(x) !== label) return undefined;
  // float32 labels are stored rounded; match what the user would have typed.
  return dtype === 'float32' ? Math.fround(x) : x;
}

/** First position in [0, n) where the monotone predicate turns true (n if never). */
function partition(n: number, pred: (i: number) => boolean): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Comparison-ready label: bigint for 64-bit integer indexes when exact, else as given. */
function cmpLabel(label: Scalar, dtype: DType): Scalar {
  if (typeof label === 'boolean') return label ? 1 : 0;
  if (isBigInt(dtype) && typeof label === 'number' && Number.isInteger(label)) return BigInt(label);
  if (dtype === 'float32' && typeof label === 'number') return Math.fround(label);
  return label;
}

/** Positions of every occurrence of `key` (linear scan, for non-unique indexes). */
function allPositions(coord: DataArray, key: Scalar): number[] {
  const v = coord.values as ArrayLike<unknown>;
  const out: number[] = [];
  const nan = key !== key;
  for (let i = 0; i < v.length; i++) if (v[i] === key || (nan && v[i] !== v[i])) out.push(i);
  return out;
}

/**
 * Exact lookup of one label. Returns a position, or a list of positions when
 * the index is not unique (xarray then keeps the dimension), or -1.
 */
export function exactPositions(coord: DataArray, label: Scalar, dim: string): number | number[] {
  checkKind(label, coord, dim);
  const key = toKey(label, coord.dtype);
  if (key === undefined) return -1;
  const p = indexLookup(coord).positions.get(labelKey(key));
  if (p === undefined) return -1;
  if (isUnique(coord)) return p;
  const all = allPositions(coord, key);
  return all.length === 1 ? all[0] : all;
}

function distance(a: Scalar, b: Scalar): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return Math.abs(Number(a - b));
  return Math.abs(Number(a) - Number(b));
}

/** Inexact lookup per pandas get_indexer(method=...): -1 when nothing qualifies. */
export function inexactPosition(coord: DataArray, label: Scalar, dim: string, method: Method, tolerance?: number): number {
  checkKind(label, coord, dim);
  const order = monotonicity(coord.values);
  if (order === 'none') {
    throw new ToolBoxValueError(
      `index '${dim}' must be monotonic increasing or decreasing to select with method '${method}'`);
  }
  if (coord.dtype === 'string' && (method === 'nearest' || tolerance !== undefined)) {
    throw new ToolBoxTypeError(`method 'nearest' and tolerance need a numeric index; '${dim}' holds strings`);
  }
  const v = coord.values as ArrayLike<Scalar>;
  const n = v.length;
  const x = cmpLabel(label, coord.dtype);
  // pad: the entry at or before the label's place in index order; backfill: at or after.
  let pad: number, back: number;
  if (order === 'inc') {
    pad = partition(n, (i) => v[i] > x) - 1;
    back = partition(n, (i) => v[i] >= x);
  } else {
    pad = partition(n, (i) => v[i] < x) - 1;
    back = partition(n, (i) => v[i] <= x);
  }
  if (back >= n) back = -1;
  let pos: number;
  if (method === 'pad' || method === 'ffill') pos = pad;
  else if (method === 'backfill' || method === 'bfill') pos = back;
  else if (pad < 0) pos = back;
  else if (back < 0) pos = pad;
  else {
    const dp = distance(v[pad], x), db = distance(v[back], x);
    // pandas breaks ties towards the larger label.
    pos = dp < db ? pad : db < dp ? back : (v[pad] > v[back] ? pad : back);
  }
  if (pos >= 0 && tolerance !== undefined && !(distance(v[pos], x) <= tolerance)) pos = -1;
  return pos;
}

/** Closest labels below and above, for "not found" messages. */
export function neighbours(coord: DataArray, label: Scalar): string {
  if (coord.size === 0) return 'the index is empty';
  const v = coord.values as ArrayLike<Scalar>;
  const x = cmpLabel(label, coord.dtype);
  let below: Scalar | undefined, above: Scalar | undefined;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (e < x && (below === undefined || e > below)) below = e;
    if (e > x && (above === undefined || e < above)) above = e;
  }
  const parts: string[] = [];
  if (below !== undefined) parts.push(formatLabel(below));
  if (above !== undefined) parts.push(formatLabel(above));
  if (parts.length === 0) {
    const first = Array.from({ length: Math.min(5, v.length) }, (_, i) => formatLabel(v[i]));
    return `labels start with ${first.join(', ')}${v.length > 5 ? ', ...' : ''}`;
  }
  return `nearest labels: ${parts.join(', ')}`;
}

export function notFound(coord: DataArray, dim: string, labels: Scalar[]): ToolBoxValueError {
  const shown = labels.slice(0, 5).map(formatLabel).join(', ') + (labels.length > 5 ? `, ... (${labels.length} in all)` : '');
  const what = labels.length === 1 ? `label ${shown}` : `labels ${shown}`;
  return new ToolBoxValueError(
    `${what} not found in index '${dim}' (${neighbours(coord, labels[0])}); use method 'nearest', 'pad' or 'backfill' for inexact matches`);
}

/**
 * Positions selected by a label slice: both ends inclusive, on increasing or
 * decreasing indexes (pandas slice_indexer); unsorted indexes need both ends
 * to be present and unique.
 */
export function labelSlice(coord: DataArray, s: Slice, dim: string): AxisTake {
  const step = s.step ?? 1;
  if (!Number.isInteger(step) || step === 0) {
    throw new ToolBoxValueError(`slice step for '${dim}' must be a non-zero integer, got ${step}`);
  }
  const v = coord.values as ArrayLike<Scalar>;
  const n = v.length;
  const { start, stop } = s as Slice<Scalar>;
  for (const b of [start, stop]) if (b !== null && b !== undefined) checkKind(b, coord, dim);
  const lab = (b: Scalar) => cmpLabel(b, coord.dtype);
  const order = monotonicity(coord.values);
  let first: number, end: number;
  if (order === 'inc' || order === 'dec') {
    const inc = order === 'inc';
    // before(x): count of positions whose label comes before x in index order; upTo(x): up to and including x.
    const before = (x: Scalar) => partition(n, inc ? (i) => v[i] >= x : (i) => v[i] <= x);
    const upTo = (x: Scalar) => partition(n, inc ? (i) => v[i] > x : (i) => v[i] < x);
    if (step > 0) {
      first = start === null ? 0 : before(lab(start));
      end = stop === null ? n : upTo(lab(stop));
    } else {
      first = start === null ? n - 1 : upTo(lab(start)) - 1;
      end = stop === null ? -1 : before(lab(stop)) - 1;
    }
  } else {
    const loc = (b: Scalar, which: string): number => {
      const p = exactPositions(coord, b, dim);
      if (Array.isArray(p)) {
        throw new ToolBoxValueError(`cannot slice index '${dim}' at ${which} label ${formatLabel(b)}: the label is not unique and the index is not sorted`);
      }
      if (p < 0) {
        throw new ToolBoxValueError(`slice ${which} label ${formatLabel(b)} not found in index '${dim}', which is not sorted so both slice ends must be present (${neighbours(coord, b)})`);
      }
      return p;
    };
    if (step > 0) {
      first = start === null ? 0 : loc(start, 'start');
      end = stop === null ? n : loc(stop, 'stop') + 1;
    } else {
      first = start === null ? n - 1 : loc(start, 'start');
      end = stop === null ? -1 : loc(stop, 'stop') - 1;
    }
  }
  const len = step > 0 ? Math.max(0, Math.ceil((end - first) / step)) : Math.max(0, Math.ceil((first - end) / -step));
  return { n: len, idx: null, start: len === 0 ? 0 : first, step };
}
