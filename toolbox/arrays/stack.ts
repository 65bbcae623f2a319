/**
 * xarray's stack and unstack. `stack({z: ['y', 'x']})` turns dims y and x
 * into one dim z (C order: x varies fastest), with one level coordinate per
 * stacked dim along z (the dim's index values, or 0…n−1 without one), as
 * xarray's MultiIndex levels. There is no MultiIndex object: the level
 * coordinates carry `encoding.multiIndex = 'z'`, which is how `unstack`
 * finds them again (and why unstack needs coordinates made by stack).
 * Variables with only some of the stacked dims are broadcast first, as in
 * xarray.
 */
import { ToolBoxValueError } from '../errors.js';
import { DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type ArrayData, allocate, dtypeWithNaN } from './dtype.js';
import { fillScalar } from './gather.js';
import { product } from './kernels.js';
import { insertAxes, transposeVariable } from './reshape.js';
import { formatDims } from './common.js';

/** The encoding key marking a level coordinate; its value is the stacked dim. */
export const MULTI_INDEX = 'multiIndex';

type Vars = Map<string, DataArray>;
interface Parts { vars: Vars; coords: Vars; sizes: Record<string, number> }

function partsOf(obj: DataArray | Dataset): Parts {
  if (obj instanceof DataArray) {
    return { vars: new Map([['', obj]]), coords: new Map(Object.entries(obj.coords)), sizes: obj.sizes };
  }
  return { vars: new Map(obj.dataVars.map((n) => [n, obj.variable(n)])), coords: new Map(Object.entries(obj.coords)), sizes: obj.sizes };
}

function rebuild<T extends DataArray | Dataset>(obj: T, p: Parts): T {
  if (obj instanceof DataArray) {
    const v = p.vars.get('') as DataArray;
    return DataArray.fromParts({
      values: v.values, dims: v.dims, shape: v.shape, dtype: v.dtype, coords: Object.fromEntries(p.coords), attrs: obj.attrs, name: obj.name, encoding: obj.encoding,
    }) as T;
  }
  return Dataset.fromParts(p.vars, p.coords, (obj as Dataset).attrs) as T;
}

/** A variable with the stacked dims (broadcast where missing) merged into `newDim`, last. */
function stackVariable(v: DataArray, newDim: string, dims: readonly string[], sizes: Record<string, number>): DataArray {
  if (!dims.some((d) => v.dims.includes(d))) return v;
  const missing = dims.filter((d) => !v.dims.includes(d));
  const full = missing.length ? insertAxes(v, missing, missing.map((d) => sizes[d]), missing.map((_, k) => v.ndim + k)) : v;
  const others = full.dims.filter((d) => !dims.includes(d));
  const t = transposeVariable(full, [...others, ...dims]);
  return DataArray.fromParts({
    values: t.values, dims: [...others, newDim], shape: [...t.shape.slice(0, others.length), product(dims.map((d) => sizes[d]))],
    dtype: t.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding,
  });
}

/** Level coordinate of `dim` along `newDim`: its index values repeated in C order over `dims`. */
function levelCoord(dim: string, index: DataArray | undefined, newDim: string, dims: readonly string[], sizes: Record<string, number>): DataArray {
  const n = sizes[dim];
  const inner = product(dims.slice(dims.indexOf(dim) + 1).map((d) => sizes[d]));
  const total = product(dims.map((d) => sizes[d]));
  const base = index ?? new DataArray(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), { dims: [dim] });
  const pos = Array.from({ length: total }, (_, p) => Math.floor(p / inner) % n);
  const taken = base.isel({ [dim]: pos });
  return DataArray.fromParts({
    values: taken.values, dims: [newDim], shape: [total], dtype: taken.dtype, name: dim, attrs: base.attrs, encoding: { ...base.encoding, [MULTI_INDEX]: newDim },
  });
}

function stackOne(p: Parts, newDim: string, dims: string[], what: string): Parts {
  if (!Array.isArray(dims) || dims.length === 0) throw new ToolBoxValueError(`${what}: give the dims to stack into '${newDim}' as a non-empty list`);
  for (const d of dims) {
    if (!(d in p.sizes)) throw new ToolBoxValueError(`${what}: dimension '${d}' not found; dims are ${formatDims(Object.keys(p.sizes))}`);
  }
  if (new Set(dims).size !== dims.length) throw new ToolBoxValueError(`${what}: dimension repeated in ${formatDims(dims)}`);
  if (newDim in p.sizes || p.coords.has(newDim)) throw new ToolBoxValueError(`${what}: '${newDim}' already exists as a dimension or coordinate`);
  const vars: Vars = new Map([...p.vars].map(([n, v]) => [n, stackVariable(v, newDim, dims, p.sizes)]));
  const coords: Vars = new Map();
  for (const [n, c] of p.coords) {
    if (dims.includes(n) && c.ndim === 1 && c.dims[0] === n) continue;
    coords.set(n, stackVariable(c, newDim, dims, p.sizes));
  }
  for (const d of dims) {
    const index = p.coords.get(d);
    coords.set(d, levelCoord(d, index && index.ndim === 1 && index.dims[0] === d ? index : undefined, newDim, dims, p.sizes));
  }
  const sizes = { ...p.sizes, [newDim]: product(dims.map((d) => p.sizes[d])) };
  for (const d of dims) delete sizes[d];
  return { vars, coords, sizes };
}

/** xarray's stack: each new dim replaces the dims listed for it, with level coordinates. */
export function stack<T extends DataArray | Dataset>(obj: T, dimensions: Record<string, string[]>, what: string): T {
  if (dimensions === null || typeof dimensions !== 'object' || Array.isArray(dimensions)) {
    throw new ToolBoxValueError(`${what}: give the new dims as a record, e.g. { z: ['y', 'x'] }`);
  }
  let p = partsOf(obj);
  for (const [newDim, dims] of Object.entries(dimensions)) p = stackOne(p, newDim, dims, what);
  return rebuild(obj, p);
}

interface Levels {
  names: string[];
  /** Unique values per level, in order of first appearance. */
  uniques: DataArray[];
  /** Flat position in the unstacked block of every position along the stacked dim. */
  target: Int32Array;
  /** Whether every combination of levels is present. */
  complete: boolean;
}

function levelsOf(p: Parts, dim: string, what: string): Levels {
  const names = [...p.coords].filter(([, c]) => c.encoding[MULTI_INDEX] === dim && c.ndim === 1 && c.dims[0] === dim).map(([n]) => n);
  if (names.length === 0) {
    throw new ToolBoxValueError(`${what}: dimension '${dim}' has no MultiIndex levels (the coordinates stack makes); nothing to unstack`);
  }
  const n = p.sizes[dim];
  const codes: Int32Array[] = [], uniques: DataArray[] = [];
  for (const name of names) {
    const c = p.coords.get(name) as DataArray;
    const seen = new Map<unknown, number>(), first: number[] = [], code = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const key = c.values[i];
      let k = seen.get(key);
      if (k === undefined) { k = seen.size; seen.set(key, k); first.push(i); }
      code[i] = k;
    }
    codes.push(code);
    const u = c.isel({ [dim]: first });
    const encoding = { ...u.encoding };
    delete encoding[MULTI_INDEX];
    uniques.push(DataArray.fromParts({ values: u.values, dims: [name], shape: [first.length], dtype: u.dtype, name, attrs: u.attrs, encoding }));
  }
  const target = new Int32Array(n), used = new Set<number>();
  for (let i = 0; i < n; i++) {
    let flat = 0;
    for (let l = 0; l < names.length; l++) flat = flat * uniques[l].size + codes[l][i];
    if (used.has(flat)) throw new ToolBoxValueError(`${what}: the levels (${names.join(', ')}) of '${dim}' repeat a combination; cannot unstack`);
    used.add(flat);
    target[i] = flat;
  }
  return { names, uniques, target, complete: used.size === product(uniques.map((u) => u.size)) };
}

/** A variable along `dim` spread over the level dims (appended last); absent combinations are missing values. */
function unstackVariable(v: DataArray, dim: string, lv: Levels): DataArray {
  if (!v.dims.includes(dim)) return v;
  const others = v.dims.filter((d) => d !== dim);
  const t = transposeVariable(v, [...others, dim]);
  const n = t.shape[t.ndim - 1], block = product(lv.uniques.map((u) => u.size));
  const outer = product(t.shape.slice(0, -1));
  const dtype = lv.complete ? t.dtype : dtypeWithNaN(t.dtype);
  const out = allocate(dtype, outer * block);
  const src = t.values as ArrayLike<unknown>, dst = out as unknown as unknown[];
  if (!lv.complete) dst.fill(fillScalar(dtype, NaN));
  const convert = dtype === t.dtype ? (x: unknown) => x : (x: unknown) => Number(x);
  for (let o = 0; o < outer; o++) for (let i = 0; i < n; i++) dst[o * block + lv.target[i]] = convert(src[o * n + i]);
  return DataArray.fromParts({
    values: out as ArrayData, dims: [...others, ...lv.names], shape: [...t.shape.slice(0, -1), ...lv.uniques.map((u) => u.size)],
    dtype, name: v.name, attrs: v.attrs, encoding: v.encoding,
  });
}

/** xarray's unstack: the given stacked dims (default: all that have levels) back to one dim per level. */
export function unstack<T extends DataArray | Dataset>(obj: T, dim: string | string[] | undefined, what: string): T {
  let p = partsOf(obj);
  const dims = dim === undefined ? [...new Set([...p.coords.values()].map((c) => c.encoding[MULTI_INDEX]).filter((d): d is string => typeof d === 'string'))]
    : typeof dim === 'string' ? [dim] : dim;
  for (const d of dims) {
    if (!(d in p.sizes)) throw new ToolBoxValueError(`${what}: dimension '${d}' not found; dims are ${formatDims(Object.keys(p.sizes))}`);
    const lv = levelsOf(p, d, what);
    const vars: Vars = new Map([...p.vars].map(([n, v]) => [n, unstackVariable(v, d, lv)]));
    const coords: Vars = new Map();
    for (const [n, c] of p.coords) if (!lv.names.includes(n)) coords.set(n, unstackVariable(c, d, lv));
    lv.names.forEach((n, l) => coords.set(n, lv.uniques[l]));
    const sizes = { ...p.sizes };
    delete sizes[d];
    lv.names.forEach((n, l) => { sizes[n] = lv.uniques[l].size; });
    p = { vars, coords, sizes };
  }
  return rebuild(obj, p);
}
