/**
 * Group codes for groupby: the sorted unique labels of a 1-D array and, for
 * every element, the position of its label among them (NaN: -1), like
 * pandas.factorize(sort=True). Whole-number labels over a compact range (train
 * and pulse ids, the usual case) use a lookup table instead of a hash map.
 */
import { type ArrayData, type BigIntArray, type DType, type NumberArray, allocate } from './dtype.js';
import { bigintsToFloat64 } from './kernels.js';

export interface Factorized {
  codes: Int32Array;
  /** Sorted unique labels, in the input's dtype. */
  labels: ArrayData;
}

export function factorize(values: ArrayData, dtype: DType): Factorized {
  if (Array.isArray(values)) return factorizeStrings(values);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return factorizeBig(values, dtype);
  const { codes, uniques } = factorizeNumbers(values);
  const labels = allocate(dtype, uniques.length) as NumberArray;
  labels.set(uniques);
  return { codes, labels };
}

function factorizeNumbers(x: NumberArray | Float64Array): { codes: Int32Array; uniques: Float64Array } {
  const n = x.length;
  const codes = new Int32Array(n);
  let mn = Infinity, mx = -Infinity, whole = true;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) continue;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  if (mn > mx) return { codes: codes.fill(-1), uniques: new Float64Array(0) };
  const range = mx - mn;
  if (whole && range <= Math.max(1024, 2 * n)) {
    const table = new Int32Array(range + 1).fill(-1);
    for (let i = 0; i < n; i++) { const v = x[i]; if (v === v) table[v - mn] = 0; }
    let k = 0;
    for (let j = 0; j <= range; j++) if (table[j] === 0) table[j] = k++;
    const uniques = new Float64Array(k);
    for (let j = 0; j <= range; j++) if (table[j] >= 0) uniques[table[j]] = j + mn;
    for (let i = 0; i < n; i++) { const v = x[i]; codes[i] = v === v ? table[v - mn] : -1; }
    return { codes, uniques };
  }
  // First-seen ids through a Map, then ranks of the sorted uniques.
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) { codes[i] = -1; continue; }
    let id = ids.get(v);
    if (id === undefined) { id = ids.size; ids.set(v, id); }
    codes[i] = id;
  }
  const firstSeen = Float64Array.from(ids.keys());
  const uniques = firstSeen.slice().sort();
  const rankOf = new Map<number, number>();
  uniques.forEach((u, r) => rankOf.set(u, r));
  const rank = Int32Array.from(firstSeen, (u) => rankOf.get(u)!);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) codes[i] = rank[codes[i]];
  return { codes, uniques };
}

function factorizeBig(x: BigIntArray, dtype: DType): Factorized {
  const f = bigintsToFloat64(x);
  let exact = true;
  for (let i = 0; i < f.length; i++) if (Math.abs(f[i]) > Number.MAX_SAFE_INTEGER) { exact = false; break; }
  if (exact) {
    const { codes, uniques } = factorizeNumbers(f);
    const labels = allocate(dtype, uniques.length) as BigIntArray;
    for (let i = 0; i < uniques.length; i++) labels[i] = BigInt(uniques[i]);
    return { codes, labels };
  }
  const { codes, sorted } = rankedCodes(x);
  const labels = allocate(dtype, sorted.length) as BigIntArray;
  sorted.forEach((u, i) => { labels[i] = u; });
  return { codes, labels };
}

function factorizeStrings(x: string[]): Factorized {
  const { codes, sorted } = rankedCodes(x);
  return { codes, labels: sorted };
}

/**
 * Codes of each element in the sorted list of distinct values. Hashing first
 * and sorting only the distinct values keeps it O(n + k log k).
 */
function rankedCodes<T extends bigint | string>(x: ArrayLike<T>): { codes: Int32Array; sorted: T[] } {
  const ids = new Map<T, number>();
  const codes = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let id = ids.get(x[i]);
    if (id === undefined) { id = ids.size; ids.set(x[i], id); }
    codes[i] = id;
  }
  const firstSeen = [...ids.keys()];
  const sorted = firstSeen.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rankOf = new Map(sorted.map((u, r) => [u, r] as const));
  const rank = Int32Array.from(firstSeen, (u) => rankOf.get(u)!);
  for (let i = 0; i < codes.length; i++) codes[i] = rank[codes[i]];
  return { codes, sorted };
}
