/**
 * isel/sel/head/tail for DataArray and Dataset with xarray semantics. Every
 * indexer is first resolved to positions along its dimension (a DimSel),
 * then one outer-indexing pass (kernels.take) is applied to the data and to
 * each coordinate that has the dimension, so coords always stay consistent.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type Scalar, isInt } from './dtype.js';
import { DataArray, type IselIndexer, type SelIndexer, type SelOptions } from './dataarray.js';
import { Dataset } from './dataset.js';
import { Slice, sliceIndices } from './slice.js';
import { type AxisTake, fullAxis, take } from './kernels.js';
import { dimNotFound, formatDims, formatLabel, indexCoordOf, sameVariable } from './common.js';
import { exactPositions, inexactPosition, labelSlice, notFound } from './sel-labels.js';

/** What an indexer does to one dimension. */
export interface DimSel {
  take: AxisTake;
  /** Scalar indexer: the dimension disappears. */
  drop: boolean;
  /** A 1-D DataArray indexer along another dimension renames the result's dimension. */
  newDim?: string;
  /** The DataArray indexer, whose coordinates join the result. */
  indexer?: DataArray;
}

// ---------------------------------------------------------------------------
// positional indexers

function position(i: number, size: number, dim: string): number {
  if (!Number.isInteger(i)) throw new ToolBoxTypeError(`index ${i} for dimension '${dim}' is not an integer`);
  const p = i < 0 ? i + size : i;
  if (p < 0 || p >= size) throw new ToolBoxValueError(`index ${i} is out of range for dimension '${dim}' of size ${size}`);
  return p;
}

/** Positions as a take; runs of consecutive positions stay symbolic so the data can be shared. */
export function positionsTake(list: ArrayLike<number>, size: number, dim: string): AxisTake {
  const n = list.length;
  const idx = new Int32Array(n);
  let consecutive = true;
  for (let j = 0; j < n; j++) {
    idx[j] = position(list[j], size, dim);
    if (j > 0 && idx[j] !== idx[j - 1] + 1) consecutive = false;
  }
  if (consecutive && n > 0) return { n, idx: null, start: idx[0], step: 1 };
  return { n, idx, start: 0, step: 1 };
}

function scalarSel(p: number): DimSel {
  return { take: { n: 1, idx: null, start: p, step: 1 }, drop: true };
}

function sliceSel(s: Slice, size: number, dim: string): DimSel {
  for (const b of [s.start, s.stop]) {
    if (b !== null && typeof b !== 'number') {
      throw new ToolBoxTypeError(`isel slice bounds for '${dim}' must be positions (numbers), got ${formatLabel(b)}; use sel for labels`);
    }
  }
  if (s.step !== null && (!Number.isInteger(s.step) || s.step === 0)) {
    throw new ToolBoxValueError(`slice step for '${dim}' must be a non-zero integer, got ${s.step}`);
  }
  const r = sliceIndices(s as Slice<number | null>, size);
  return { take: { n: r.length, idx: null, start: r.length ? r.start : 0, step: r.step }, drop: false };
}

function arrayIndexerSel(ix: DataArray, size: number, dim: string): DimSel {
  if (ix.ndim > 1) {
    throw new ToolBoxValueError(`indexer for '${dim}' has dims ${formatDims(ix.dims)}; only 0-d and 1-D DataArray indexers are supported`);
  }
  if (ix.dtype === 'bool') {
    if (ix.ndim === 0 || ix.size !== size) {
      throw new ToolBoxValueError(`boolean indexer for '${dim}' has length ${ix.ndim ? ix.size : 0} but the dimension has size ${size}`);
    }
    const v = ix.values as Uint8Array;
    const pos: number[] = [];
    for (let i = 0; i < v.length; i++) if (v[i]) pos.push(i);
    return { take: positionsTake(pos, size, dim), drop: false, newDim: ix.dims[0] !== dim ? ix.dims[0] : undefined };
  }
  if (!isInt(ix.dtype)) throw new ToolBoxTypeError(`indexer for '${dim}' must hold integers, got dtype ${ix.dtype}`);
  const nums = Array.isArray(ix.values) ? [] : Array.from(ix.values as ArrayLike<number | bigint>, Number);
  if (ix.ndim === 0) return { ...scalarSel(position(nums[0], size, dim)), indexer: ix };
  return { take: positionsTake(nums, size, dim), drop: false, newDim: ix.dims[0] !== dim ? ix.dims[0] : undefined, indexer: ix };
}

function iselSel(ix: IselIndexer, size: number, dim: string): DimSel {
  if (typeof ix === 'number') return scalarSel(position(ix, size, dim));
  if (ix instanceof Slice) return sliceSel(ix, size, dim);
  if (ix instanceof DataArray) return arrayIndexerSel(ix, size, dim);
  if (Array.isArray(ix) || ArrayBuffer.isView(ix)) {
    const list = ix as ArrayLike<unknown>;
    for (let j = 0; j < list.length; j++) {
      if (typeof list[j] !== 'number') {
        throw new ToolBoxTypeError(`isel indexer for '${dim}' must hold positions (numbers), got ${formatLabel(list[j])}; use sel for labels`);
      }
    }
    return { take: positionsTake(list as ArrayLike<number>, size, dim), drop: false };
  }
  throw new ToolBoxTypeError(`unsupported indexer for '${dim}': ${String(ix)}`);
}

// ---------------------------------------------------------------------------
// label indexers

function selSel(coord: DataArray | undefined, ix: SelIndexer, size: number, dim: string, options: SelOptions): DimSel {
  const { method, tolerance } = options;
  if (!coord) {
    // xarray falls back to positions for a dimension without index coordinate.
    if (method) throw new ToolBoxValueError(`dimension '${dim}' has no index coordinate, so method '${method}' cannot be used; use isel for positions`);
    const positional = typeof ix === 'number' || ix instanceof Slice || ix instanceof DataArray
      || (Array.isArray(ix) && ix.every((x) => typeof x === 'number'));
    if (!positional) {
      throw new ToolBoxValueError(`dimension '${dim}' has no index coordinate to look up ${formatLabel(ix)}; use isel for positions or assignCoords to give it labels`);
    }
    return iselSel(ix as IselIndexer, size, dim);
  }
  if (ix instanceof Slice) {
    if (method) throw new ToolBoxValueError(`method '${method}' cannot be used with a slice for '${dim}'`);
    return { take: labelSlice(coord, ix, dim), drop: false };
  }
  if (ix instanceof DataArray) {
    if (ix.dtype === 'bool') return arrayIndexerSel(ix, size, dim);
    if (ix.ndim > 1) throw new ToolBoxValueError(`label indexer for '${dim}' has dims ${formatDims(ix.dims)}; only 0-d and 1-D are supported`);
    const labels = Array.from(ix.values as ArrayLike<Scalar>);
    if (ix.ndim === 0) return { ...scalarLabelSel(coord, labels[0], dim, options), indexer: ix };
    const newDim = ix.dims[0] !== dim ? ix.dims[0] : undefined;
    return { take: listLabelTake(coord, labels, dim, options), drop: false, newDim, indexer: ix };
  }
  if (Array.isArray(ix)) return { take: listLabelTake(coord, ix, dim, options), drop: false };
  if (tolerance !== undefined && !method) throw new ToolBoxValueError(`tolerance for '${dim}' needs a method ('nearest', 'pad' or 'backfill')`);
  return scalarLabelSel(coord, ix as Scalar, dim, options);
}

function scalarLabelSel(coord: DataArray, label: Scalar, dim: string, { method, tolerance }: SelOptions): DimSel {
  if (method) {
    const p = inexactPosition(coord, label, dim, method, tolerance);
    if (p < 0) throw notFound(coord, dim, [label]);
    return scalarSel(p);
  }
  const p = exactPositions(coord, label, dim);
  if (Array.isArray(p)) return { take: positionsTake(p, coord.size, dim), drop: false };
  if (p < 0) throw notFound(coord, dim, [label]);
  return scalarSel(p);
}

function listLabelTake(coord: DataArray, labels: Scalar[], dim: string, { method, tolerance }: SelOptions): AxisTake {
  const pos = new Array<number>(labels.length);
  const missing: Scalar[] = [];
  for (let j = 0; j < labels.length; j++) {
    let p: number | number[];
    if (method) {
      p = inexactPosition(coord, labels[j], dim, method, tolerance);
    } else {
      p = exactPositions(coord, labels[j], dim);
      if (Array.isArray(p)) {
        throw new ToolBoxValueError(`cannot select a list of labels from index '${dim}': it has duplicate labels (${formatLabel(labels[j])} occurs ${p.length} times)`);
      }
    }
    if (p < 0) missing.push(labels[j]);
    pos[j] = p;
  }
  if (missing.length) throw notFound(coord, dim, missing);
  return positionsTake(pos, coord.size, dim);
}

// ---------------------------------------------------------------------------
// applying selections

/** Index one bare variable (no coords) by the selections of the dims it has. */
export function selectVariable(v: DataArray, sels: ReadonlyMap<string, DimSel>): DataArray {
  if (!v.dims.some((d) => sels.has(d))) return v;
  const takes = v.dims.map((d, a) => sels.get(d)?.take ?? fullAxis(v.shape[a]));
  const values = take(v.values, v.shape, takes);
  const dims: string[] = [], shape: number[] = [];
  v.dims.forEach((d, a) => {
    const s = sels.get(d);
    if (s?.drop) return;
    dims.push(s?.newDim ?? d);
    shape.push(takes[a].n);
  });
  return DataArray.fromParts({ values, dims, shape, dtype: v.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding });
}

/** Coordinates of the result: the old ones indexed, the indexers' own added. */
function selectCoords(coords: Iterable<[string, DataArray]>, sels: ReadonlyMap<string, DimSel>, drop: boolean, resultDims: ReadonlySet<string>): Map<string, DataArray> {
  const out = new Map<string, DataArray>();
  for (const [name, c] of coords) {
    const touched = c.dims.some((d) => sels.has(d));
    const r = selectVariable(c, sels);
    if (drop && touched && r.ndim === 0) continue;
    out.set(name, r);
  }
  for (const [dim, s] of sels) {
    if (!s.indexer) continue;
    for (const [name, c] of Object.entries(s.indexer.coords)) {
      if (!c.dims.every((d) => resultDims.has(d))) continue;
      const have = out.get(name);
      if (have && !sameVariable(have, c)) {
        throw new ToolBoxValueError(`coordinate '${name}' of the indexer for '${dim}' conflicts with the indexed array's coordinate '${name}'`);
      }
      if (!(drop && c.ndim === 0)) out.set(name, c);
    }
  }
  return out;
}

/** Reject unknown dims and dim renames that would need vectorized (pointwise) indexing. */
function checkSels(sels: ReadonlyMap<string, DimSel>, dims: readonly string[]): void {
  const targets = new Set<string>();
  for (const [dim, s] of sels) {
    if (!s.newDim) continue;
    if (dims.includes(s.newDim) || targets.has(s.newDim)) {
      throw new ToolBoxValueError(
        `indexer for '${dim}' is along dimension '${s.newDim}', which another dimension already has; pointwise (vectorized) indexing is not supported, index each dimension separately`);
    }
    targets.add(s.newDim);
  }
}

function resolve<I>(indexers: Record<string, I>, sizes: Record<string, number>, dims: readonly string[], what: string,
  one: (ix: I, size: number, dim: string) => DimSel): Map<string, DimSel> {
  const sels = new Map<string, DimSel>();
  for (const [dim, ix] of Object.entries(indexers)) {
    if (!(dim in sizes)) throw dimNotFound(dim, dims, what);
    sels.set(dim, one(ix, sizes[dim], dim));
  }
  checkSels(sels, dims);
  return sels;
}

function resultDimsOf(dims: readonly string[], sels: ReadonlyMap<string, DimSel>): Set<string> {
  const out = new Set<string>();
  for (const d of dims) {
    const s = sels.get(d);
    if (!s?.drop) out.add(s?.newDim ?? d);
  }
  return out;
}

/** Apply resolved selections to a DataArray (data and coords). */
export function applySelections(da: DataArray, sels: ReadonlyMap<string, DimSel>, drop = false): DataArray {
  if (sels.size === 0) return da;
  // Every dim in sels is one of da's, so selectVariable builds a new (coord-less) array.
  const bare = selectVariable(da, sels);
  const coords = selectCoords(Object.entries(da.coords), sels, drop, resultDimsOf(da.dims, sels));
  return bare.with({ coords: Object.fromEntries(coords), attrs: da.attrs, name: da.name });
}

/** Apply resolved selections to every variable and coordinate of a Dataset. */
export function applySelectionsDataset(ds: Dataset, sels: ReadonlyMap<string, DimSel>, drop = false): Dataset {
  const vars = new Map<string, DataArray>();
  for (const n of ds.dataVars) vars.set(n, selectVariable(ds.variable(n), sels));
  const coords = selectCoords(Object.entries(ds.coords), sels, drop, resultDimsOf(Object.keys(ds.sizes), sels));
  return Dataset.fromParts(vars, coords, ds.attrs);
}

// ---------------------------------------------------------------------------
// public API

export function isel(da: DataArray, indexers: Record<string, IselIndexer>, options: { drop?: boolean } = {}): DataArray {
  const sels = resolve(indexers, da.sizes, da.dims, 'this array', iselSel);
  return applySelections(da, sels, options.drop ?? false);
}

export function sel(da: DataArray, indexers: Record<string, SelIndexer>, options: SelOptions = {}): DataArray {
  const sels = resolve(indexers, da.sizes, da.dims, 'this array',
    (ix, size, dim) => selSel(indexCoordOf(da.coords, dim), ix, size, dim, options));
  return applySelections(da, sels, options.drop ?? false);
}

function headTail(sizes: Record<string, number>, n: Record<string, number> | number, fromEnd: boolean): Record<string, Slice<number | null>> {
  const counts = typeof n === 'number' ? Object.fromEntries(Object.keys(sizes).map((d) => [d, n])) : n;
  const out: Record<string, Slice<number | null>> = {};
  for (const [dim, k] of Object.entries(counts)) {
    if (!Number.isInteger(k) || k < 0) {
      throw new ToolBoxValueError(`${fromEnd ? 'tail' : 'head'} needs a non-negative integer for dimension '${dim}', got ${k}`);
    }
    out[dim] = fromEnd ? (k === 0 ? new Slice(0, 0) : new Slice(-k, null)) : new Slice(0, k);
  }
  return out;
}

export function head(da: DataArray, n: Record<string, number> | number = 5): DataArray {
  return isel(da, headTail(da.sizes, n, false));
}

export function tail(da: DataArray, n: Record<string, number> | number = 5): DataArray {
  return isel(da, headTail(da.sizes, n, true));
}

export function iselDataset(ds: Dataset, indexers: Record<string, IselIndexer>, options: { drop?: boolean } = {}): Dataset {
  const sizes = ds.sizes;
  const sels = resolve(indexers, sizes, Object.keys(sizes), 'this Dataset', iselSel);
  return applySelectionsDataset(ds, sels, options.drop ?? false);
}

export function selDataset(ds: Dataset, indexers: Record<string, SelIndexer>, options: SelOptions = {}): Dataset {
  const sizes = ds.sizes;
  const coords = ds.coords;
  const sels = resolve(indexers, sizes, Object.keys(sizes), 'this Dataset',
    (ix, size, dim) => selSel(indexCoordOf(coords, dim), ix, size, dim, options));
  return applySelectionsDataset(ds, sels, options.drop ?? false);
}

/** head/tail for Datasets (not wired to Dataset methods yet; exported for callers). */
export function headDataset(ds: Dataset, n: Record<string, number> | number = 5): Dataset {
  return iselDataset(ds, headTail(ds.sizes, n, false));
}
export function tailDataset(ds: Dataset, n: Record<string, number> | number = 5): Dataset {
  return iselDataset(ds, headTail(ds.sizes, n, true));
}

