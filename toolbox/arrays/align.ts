/**
 * xarray's alignment: make the index coordinates (a coordinate named like its
 * dimension) of several objects equal, reindexing where labels differ and
 * filling the positions that have no data. Arithmetic, merge and concat all
 * go through the plan computed here; concat uses the plan directly to gather
 * every input into its slot of the result without an aligned intermediate.
 */
import { ToolBoxValueError } from '../errors.js';
import { DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type DType, allocate } from './dtype.js';
import { type GatherAxis, fillDType, fillScalar, gatherInto, sourceFor } from './gather.js';
import { product, stridesOf } from './kernels.js';
import { indexCoordOf, isIndexCoord } from './common.js';
import {
  type LabelKey, compareKeys, describeLabels, indexLookup, indexesEqual, keysToData, labelDType,
} from './index-keys.js';
import { checkOptions } from '../options.js';
import { ALIGN_OPTIONS, BROADCAST_OPTIONS, REINDEX_OPTIONS } from './option-names.js';

/** xarray's join: which index labels the aligned objects keep ('exact': they must match; 'override': take the first's). */
export type Join = 'inner' | 'outer' | 'left' | 'right' | 'exact' | 'override';
/** Options of align. */
export interface AlignOptions {
  /** How indexes combine (align's default 'inner'). */
  join?: Join;
  /** Dims left alone. */
  exclude?: string[];
  /** Value at labels an object lacks (default NaN). */
  fillValue?: number;
}

/** What align and reindex take: either labeled container. */
export type Labeled = DataArray | Dataset;

/** Per object: source position along each reindexed dim (-1 = no data there). */
export type Indexers = Map<string, Int32Array>;

export interface AlignPlan {
  /** The joined index of every dim that has one. */
  indexes: Map<string, DataArray>;
  /** Size of every aligned dim after joining. */
  sizes: Map<string, number>;
  /** Per object, the dims whose data must be reindexed. */
  indexers: Indexers[];
  /** Per object, the dims whose index coordinate must be set to the joined one (no data movement). */
  relabel: Set<string>[];
  /** Dims whose joined index has labels some object lacks (the fill value gets used). */
  withMissing: Set<string>;
}

/** Index coordinates of an object, by dim. */
export function indexesOf(obj: Labeled): Map<string, DataArray> {
  const out = new Map<string, DataArray>();
  const coords = obj.coords;
  const dims = obj instanceof DataArray ? obj.dims : Object.keys(obj.sizes);
  for (const d of dims) {
    const c = indexCoordOf(coords, d);
    if (c) out.set(d, c);
  }
  return out;
}

function sizesOf(obj: Labeled): Map<string, number> {
  return obj instanceof DataArray ? new Map(obj.dims.map((d, i) => [d, obj.shape[i]])) : new Map(Object.entries(obj.sizes));
}

/** Positions in `index` of `keys` (-1 where absent); whether any is absent. */
function positionsOf(index: DataArray, keys: readonly LabelKey[]): { pos: Int32Array; missing: boolean } {
  const map = indexLookup(index).positions;
  const pos = new Int32Array(keys.length);
  let missing = false;
  for (let i = 0; i < keys.length; i++) {
    const p = map.get(keys[i]);
    if (p === undefined) { pos[i] = -1; missing = true; } else pos[i] = p;
  }
  return { pos, missing };
}

/** The index made of some positions of `index` (labels, dtype and attrs kept). */
function takeIndex(index: DataArray, positions: readonly number[]): DataArray {
  const src = index.values as ArrayLike<unknown>;
  const out = allocate(index.dtype, positions.length) as unknown[];
  for (let i = 0; i < positions.length; i++) out[i] = src[positions[i]];
  return DataArray.fromParts({
    values: out as unknown as DataArray['values'], dims: index.dims, shape: [positions.length], dtype: index.dtype, attrs: index.attrs, name: index.name,
  });
}

function joinIndexes(dim: string, indexes: DataArray[], join: Join): DataArray {
  const first = indexes[0];
  if (indexes.every((ix) => indexesEqual(ix, first))) return first;
  switch (join) {
    case 'exact': {
      const other = indexes.find((ix) => !indexesEqual(ix, first))!;
      throw new ToolBoxValueError(`cannot align objects with join='exact' along dimension '${dim}': indexes differ: ${describeLabels(first)} vs ${describeLabels(other)}`);
    }
    case 'override': {
      const other = indexes.find((ix) => ix.size !== first.size);
      if (other) {
        throw new ToolBoxValueError(`cannot align objects with join='override' along dimension '${dim}': index sizes differ (${first.size} vs ${other.size})`);
      }
      return first;
    }
    case 'left': return first;
    case 'right': return indexes[indexes.length - 1];
    case 'inner': {
      labelDType(dim, indexes.map((ix) => ix.dtype));
      const others = indexes.slice(1).map((ix) => indexLookup(ix).positions);
      const keys = indexLookup(first).keys;
      const keep: number[] = [];
      const seen = new Set<LabelKey>();
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (!seen.has(k) && others.every((m) => m.has(k))) { keep.push(i); seen.add(k); }
      }
      return keep.length === first.size ? first : takeIndex(first, keep);
    }
    case 'outer': {
      const dtype: DType = labelDType(dim, indexes.map((ix) => ix.dtype));
      // pandas returns the other index unsorted when one side is empty.
      const nonEmpty = indexes.filter((ix) => ix.size > 0);
      if (nonEmpty.length > 0 && nonEmpty.every((ix) => indexesEqual(ix, nonEmpty[0])) && nonEmpty[0].dtype === dtype) return nonEmpty[0];
      const all = new Set<LabelKey>();
      for (const ix of indexes) for (const k of indexLookup(ix).keys) all.add(k);
      const keys = [...all].sort(compareKeys);
      return DataArray.fromParts({ values: keysToData(keys, dtype), dims: [dim], shape: [keys.length], dtype, attrs: first.attrs, name: dim });
    }
  }
  throw new ToolBoxValueError(`unknown join '${String(join)}'; use one of inner, outer, left, right, exact, override`);
}

/** Work out how to align `objs` without touching their data. */
export function planAlignment(objs: readonly Labeled[], options: AlignOptions = {}): AlignPlan {
  const join = options.join ?? 'inner';
  const exclude = new Set(options.exclude ?? []);
  const allIndexes = objs.map(indexesOf);
  const allSizes = objs.map(sizesOf);
  const plan: AlignPlan = {
    indexes: new Map(), sizes: new Map(), indexers: objs.map(() => new Map()), relabel: objs.map(() => new Set()), withMissing: new Set(),
  };
  const dims: string[] = [];
  for (const s of allSizes) for (const d of s.keys()) if (!exclude.has(d) && !dims.includes(d)) dims.push(d);

  for (const dim of dims) {
    const holders = objs.map((_, i) => i).filter((i) => allSizes[i].has(dim));
    const indexed = holders.filter((i) => allIndexes[i].has(dim));
    const unindexed = holders.filter((i) => !allIndexes[i].has(dim));
    if (indexed.length === 0) {
      const sizes = new Set(holders.map((i) => allSizes[i].get(dim)!));
      if (sizes.size > 1) {
        throw new ToolBoxValueError(`cannot align along dimension '${dim}': it has no index coordinate and its sizes differ (${[...sizes].join(', ')})`);
      }
      plan.sizes.set(dim, allSizes[holders[0]].get(dim)!);
      continue;
    }
    const joined = joinIndexes(dim, indexed.map((i) => allIndexes[i].get(dim)!), join);
    plan.indexes.set(dim, joined);
    plan.sizes.set(dim, joined.size);
    let joinedKeys: LabelKey[] | undefined;
    for (const i of indexed) {
      const own = allIndexes[i].get(dim)!;
      if (own === joined || indexesEqual(own, joined)) continue;
      plan.relabel[i].add(dim);
      if (join === 'override') continue;
      const dup = indexLookup(own).duplicate;
      if (dup !== undefined) {
        throw new ToolBoxValueError(`cannot reindex on an axis with duplicate labels: the index of dimension '${dim}' of object ${i} has label ${String(dup)} more than once`);
      }
      joinedKeys ??= indexLookup(joined).keys;
      const { pos, missing } = positionsOf(own, joinedKeys);
      plan.indexers[i].set(dim, pos);
      if (missing) plan.withMissing.add(dim);
    }
    for (const i of unindexed) {
      const n = allSizes[i].get(dim)!;
      if (n !== joined.size) {
        throw new ToolBoxValueError(`cannot align along dimension '${dim}': object ${i} has no index there and size ${n}, but the aligned index has size ${joined.size}`);
      }
      plan.relabel[i].add(dim);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------
// applying a plan

/** A bare variable with some dims reindexed; shares the input when nothing moves. */
export function reindexVariable(v: DataArray, indexers: Indexers, fill: number): DataArray {
  if (!v.dims.some((d) => indexers.has(d))) return v;
  const shape = v.dims.map((d, k) => indexers.get(d)?.length ?? v.shape[k]);
  let missing = false;
  for (const d of v.dims) {
    const ix = indexers.get(d);
    if (ix && ix.includes(-1)) { missing = true; break; }
  }
  const dtype = missing ? fillDType(v.dtype, fill) : v.dtype;
  const out = allocate(dtype, product(shape));
  const src = stridesOf(v.shape), dst = stridesOf(shape);
  const axes: GatherAxis[] = v.dims.map((d, k) => ({ size: shape[k], srcStride: src[k], dstStride: dst[k], index: indexers.get(d) ?? null }));
  gatherInto(sourceFor(v.values, v.dtype, dtype), 0, out, 0, axes, fillScalar(dtype, fill));
  return DataArray.fromParts({ values: out, dims: v.dims, shape, dtype, attrs: v.attrs, name: v.name, encoding: v.encoding });
}

/** Coordinates after reindexing: index coords of touched dims replaced by the new index. */
function reindexCoords(coords: Record<string, DataArray>, dims: readonly string[], indexers: Indexers, newIndexes: Map<string, DataArray>, relabel: Set<string>, fill: number): Map<string, DataArray> {
  const out = new Map<string, DataArray>();
  for (const [name, c] of Object.entries(coords)) {
    if (relabel.has(name) && isIndexCoord(name, c)) out.set(name, newIndexes.get(name)!);
    else out.set(name, reindexVariable(c, indexers, fill));
  }
  for (const d of dims) if (relabel.has(d) && !out.has(d)) out.set(d, newIndexes.get(d)!);
  return out;
}

/** Reindex `obj` along some dims and set the new index coordinates. */
export function applyReindex<T extends Labeled>(obj: T, indexers: Indexers, newIndexes: Map<string, DataArray>, relabel: Set<string>, fill: number): T {
  if (indexers.size === 0 && relabel.size === 0) return obj;
  if (obj instanceof DataArray) {
    // Only the values, shape and dtype of `data` are used, so obj's coords may ride along.
    const data = reindexVariable(obj, indexers, fill);
    const coords = reindexCoords(obj.coords, obj.dims, indexers, newIndexes, relabel, fill);
    return DataArray.fromParts({
      values: data.values, dims: obj.dims, shape: data.shape, dtype: data.dtype, coords: Object.fromEntries(coords), attrs: obj.attrs, name: obj.name, encoding: obj.encoding,
    }) as T;
  }
  const ds = obj as Dataset;
  const coords = reindexCoords(ds.coords, Object.keys(ds.sizes), indexers, newIndexes, relabel, fill);
  const vars = new Map<string, DataArray>();
  for (const name of ds.dataVars) vars.set(name, reindexVariable(ds.variable(name), indexers, fill));
  return Dataset.fromParts(vars, coords, ds.attrs) as T;
}

/**
 * xarray.align: the objects with index coordinates made equal per `join`
 * (default 'inner'). Objects already aligned are returned as they are.
 */
export function align<T extends Labeled>(objs: T[], options: AlignOptions = {}): T[] {
  checkOptions('align', options, ALIGN_OPTIONS);
  if (objs.length === 0) return [];
  const plan = planAlignment(objs, options);
  const fill = options.fillValue ?? NaN;
  return objs.map((o, i) => applyReindex(o, plan.indexers[i], plan.indexes, plan.relabel[i], fill));
}

/** Labels given to reindex as an index coordinate for `dim`. */
function asIndex(dim: string, labels: DataArray | ArrayLike<unknown>): DataArray {
  if (labels instanceof DataArray) {
    if (labels.ndim !== 1) throw new ToolBoxValueError(`reindex labels for '${dim}' must be 1-D, got dims (${labels.dims.join(', ')})`);
    return DataArray.fromParts({ values: labels.values, dims: [dim], shape: labels.shape, dtype: labels.dtype, attrs: labels.attrs, name: dim });
  }
  const data = ArrayBuffer.isView(labels) ? labels : Array.from(labels);
  if (Array.isArray(data) && data.length === 0) return new DataArray(new Float64Array(0), { dims: [dim], name: dim });
  return new DataArray(data as DataArray['values'], { dims: [dim], name: dim });
}

/**
 * xarray's reindex: conform `obj` to new labels per dim, filling labels it
 * lacks with `fillValue` (NaN by default, promoting integer data to float).
 */
export function reindex<T extends DataArray | Dataset>(obj: T, indexers: Record<string, DataArray | ArrayLike<unknown>>, options: { fillValue?: number } = {}): T {
  checkOptions('reindex', options, REINDEX_OPTIONS);
  const sizes = sizesOf(obj);
  const own = indexesOf(obj);
  const positions: Indexers = new Map();
  const newIndexes = new Map<string, DataArray>();
  const relabel = new Set<string>();
  for (const [dim, labels] of Object.entries(indexers)) {
    if (!sizes.has(dim)) {
      throw new ToolBoxValueError(`cannot reindex along '${dim}': not a dimension of this object (dims: ${[...sizes.keys()].join(', ') || 'none'})`);
    }
    const target = asIndex(dim, labels);
    newIndexes.set(dim, target);
    relabel.add(dim);
    const index = own.get(dim);
    if (!index) {
      if (target.size !== sizes.get(dim)) {
        throw new ToolBoxValueError(`cannot reindex along '${dim}': it has no index coordinate, so ${target.size} labels cannot replace its ${sizes.get(dim)} positions`);
      }
      continue;
    }
    if (indexesEqual(index, target)) continue;
    labelDType(dim, [index.dtype, target.dtype]);
    const dup = indexLookup(index).duplicate;
    if (dup !== undefined) {
      throw new ToolBoxValueError(`cannot reindex on an axis with duplicate labels: the index of dimension '${dim}' has label ${String(dup)} more than once`);
    }
    positions.set(dim, positionsOf(index, indexLookup(target).keys).pos);
  }
  return applyReindex(obj, positions, newIndexes, relabel, options.fillValue ?? NaN);
}

// ---------------------------------------------------------------------------
// broadcast

/** A bare variable given all `dims` (in that order), repeating it along the ones it lacks. */
export function expandVariable(v: DataArray, dims: readonly string[], sizes: Map<string, number>): DataArray {
  if (v.dims.length === dims.length && v.dims.every((d, i) => d === dims[i])) return v;
  const shape = dims.map((d) => sizes.get(d)!);
  const src = stridesOf(v.shape), dst = stridesOf(shape);
  const axes: GatherAxis[] = dims.map((d, k) => {
    const a = v.dims.indexOf(d);
    return { size: shape[k], srcStride: a < 0 ? 0 : src[a], dstStride: dst[k], index: null };
  });
  const out = allocate(v.dtype, product(shape));
  gatherInto(v.values, 0, out, 0, axes, 0);
  return DataArray.fromParts({ values: out, dims, shape, dtype: v.dtype, attrs: v.attrs, name: v.name, encoding: v.encoding });
}

/**
 * xarray.broadcast: outer-align the objects, then give every DataArray and
 * every Dataset data variable all dims of all objects, in order of first
 * appearance. Index coordinates of those dims are shared by all results.
 */
export function broadcast<T extends DataArray | Dataset>(objs: T[], options: { exclude?: string[] } = {}): T[] {
  checkOptions('broadcast', options, BROADCAST_OPTIONS);
  const exclude = new Set(options.exclude ?? []);
  const aligned = align(objs, { join: 'outer', exclude: [...exclude] });
  const sizes = new Map<string, number>();
  const common = new Map<string, DataArray>();
  for (const o of aligned) {
    const idx = indexesOf(o);
    for (const [d, n] of sizesOf(o)) {
      if (exclude.has(d) || sizes.has(d)) continue;
      sizes.set(d, n);
      const ix = idx.get(d);
      if (ix) common.set(d, ix);
    }
  }
  const target = [...sizes.keys()];
  const dimsFor = (v: DataArray) => [...target, ...v.dims.filter((d) => exclude.has(d))];
  const sizesFor = (v: DataArray) => new Map([...sizes, ...v.dims.map((d, i) => [d, v.shape[i]] as [string, number])]);
  return aligned.map((o) => {
    if (o instanceof DataArray) {
      const data = expandVariable(o, dimsFor(o), sizesFor(o));
      const coords: Record<string, DataArray> = { ...o.coords, ...Object.fromEntries(common) };
      return DataArray.fromParts({
        values: data.values, dims: data.dims, shape: data.shape, dtype: o.dtype, coords, attrs: o.attrs, name: o.name, encoding: o.encoding,
      }) as T;
    }
    const ds = o as Dataset;
    const vars = new Map<string, DataArray>();
    for (const n of ds.dataVars) { const v = ds.variable(n); vars.set(n, expandVariable(v, dimsFor(v), sizesFor(v))); }
    return Dataset.fromParts(vars, { ...ds.coords, ...Object.fromEntries(common) }, ds.attrs) as T;
  });
}
