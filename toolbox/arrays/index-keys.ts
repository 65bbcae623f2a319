/**
 * Index labels as comparable keys. A DataArray built from JS integers stores
 * them as int64 (BigInt64Array) while data read from files may hold the same
 * labels as float64 or uint64, so labels are compared through a key: bigints
 * that fit a double exactly become numbers, larger ones (uint64 train IDs
 * beyond 2^53) stay bigint so equality stays exact.
 */
import { ToolBoxTypeError } from '../errors.js';
import { type ArrayData, type DType, type Scalar, allocate, isBigInt, promoteTypes } from './dtype.js';
import type { DataArray } from './dataarray.js';
import { formatLabel, sameData } from './common.js';

export type LabelKey = number | bigint | string;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

export function labelKey(v: Scalar): LabelKey {
  if (typeof v === 'bigint') return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

export interface IndexLookup {
  keys: LabelKey[];
  /** Key → first position. */
  positions: Map<LabelKey, number>;
  /** A label that occurs more than once, if any. */
  duplicate?: LabelKey;
}

// Keyed by the values buffer: coordinates are shared between the many objects
// derived from one another, so lookups survive across operations.
const lookups = new WeakMap<object, IndexLookup>();

export function indexLookup(index: DataArray): IndexLookup {
  const cached = lookups.get(index.values);
  if (cached) return cached;
  const v = index.values;
  const n = v.length;
  const keys = new Array<LabelKey>(n);
  const positions = new Map<LabelKey, number>();
  let duplicate: LabelKey | undefined;
  for (let i = 0; i < n; i++) {
    const k = labelKey(v[i] as Scalar);
    keys[i] = k;
    if (positions.has(k)) { if (duplicate === undefined) duplicate = k; } else positions.set(k, i);
  }
  const out: IndexLookup = { keys, positions, duplicate };
  lookups.set(index.values, out);
  return out;
}

function sameKey(a: LabelKey, b: LabelKey): boolean {
  // x !== x only for NaN: NaN labels match each other, as in pandas.
  return a === b || (a !== a && b !== b);
}

/** Same labels in the same order (NaN equals NaN; int64 1 equals float64 1). */
export function indexesEqual(a: DataArray, b: DataArray): boolean {
  if (a === b || a.values === b.values) return true;
  const n = a.values.length;
  if (n !== b.values.length) return false;
  if (a.dtype === b.dtype) return sameData(a.values, b.values);
  if ((a.dtype === 'string') !== (b.dtype === 'string')) return false;
  const ka = indexLookup(a).keys, kb = indexLookup(b).keys;
  for (let i = 0; i < n; i++) if (!sameKey(ka[i], kb[i])) return false;
  return true;
}

/** pandas' sort order for index labels: NaN last. */
export function compareKeys(a: LabelKey, b: LabelKey): number {
  const an = a !== a, bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The dtype that holds labels of all given indexes; strings only mix with strings. */
export function labelDType(dim: string, dtypes: DType[]): DType {
  let out = dtypes[0];
  for (const d of dtypes.slice(1)) {
    if ((d === 'string') !== (out === 'string')) {
      throw new ToolBoxTypeError(`cannot align dimension '${dim}': its indexes hold labels of dtype ${out} and ${d}, which cannot be compared`);
    }
    out = promoteTypes(out, d);
  }
  return out;
}

/** An array of `dtype` holding the given keys. */
export function keysToData(keys: readonly LabelKey[], dtype: DType): ArrayData {
  const out = allocate(dtype, keys.length);
  const o = out as unknown[];
  if (dtype === 'string') for (let i = 0; i < keys.length; i++) o[i] = String(keys[i]);
  else if (isBigInt(dtype)) for (let i = 0; i < keys.length; i++) o[i] = BigInt(keys[i] as number | bigint);
  else for (let i = 0; i < keys.length; i++) o[i] = Number(keys[i]);
  return out;
}

/** A short, readable listing of labels for error messages. */
export function describeLabels(index: DataArray, max = 8): string {
  const v = index.values as ArrayLike<unknown>;
  const items: string[] = [];
  if (v.length <= max) for (let i = 0; i < v.length; i++) items.push(formatLabel(v[i]));
  else {
    const h = Math.ceil(max / 2);
    for (let i = 0; i < h; i++) items.push(formatLabel(v[i]));
    items.push('...');
    for (let i = v.length - (max - h); i < v.length; i++) items.push(formatLabel(v[i]));
  }
  return `[${items.join(', ')}] (${v.length} labels)`;
}
