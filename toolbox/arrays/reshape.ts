/**
 * Shape and label operations with xarray semantics: transpose (with '...'),
 * squeeze, expandDims, assignCoords, rename, swapDims, resetCoords and
 * dropVars. Most only relabel: data buffers are shared unless the element
 * order really changes (transpose, broadcasting expandDims).
 * Dataset versions live in reshape-dataset.ts and are re-exported here.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { DataArray, type CoordInput, type Dims, toCoordArray } from './dataarray.js';
import { stridesOf, stridedCopy, transposeData } from './kernels.js';
import { asList, dimNotFound, formatDims, isIndexCoord } from './common.js';
import { applySelections, type DimSel } from './indexing.js';

export {
  assignCoordsDataset, dropVarsDataset, renameDataset, swapDimsDataset, transposeDataset, squeezeDataset,
  expandDimsDataset, setCoords, resetCoordsDataset,
} from './reshape-dataset.js';

// ---------------------------------------------------------------------------
// helpers shared with reshape-dataset.ts

/** A bare variable with new dimension names (same data and shape). */
export function withDims(v: DataArray, dims: readonly string[]): DataArray {
  return DataArray.fromParts({ values: v.values, dims, shape: v.shape, dtype: v.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding });
}

/**
 * The full dimension order asked for by `order` (xarray's infix_dims):
 * empty means reversed; '...' stands for the dims not named, in their order.
 */
export function resolveOrder(dims: readonly string[], order: readonly string[], what = 'this array'): string[] {
  if (order.length === 0) return [...dims].reverse();
  const named = order.filter((d) => d !== '...');
  const ellipses = order.length - named.length;
  if (ellipses > 1) throw new ToolBoxValueError("transpose: '...' may appear only once");
  if (new Set(named).size !== named.length) throw new ToolBoxValueError(`transpose: repeated dimension in ${formatDims(order)}`);
  for (const d of named) if (!dims.includes(d)) throw dimNotFound(d, dims, what);
  if (!ellipses) {
    if (named.length !== dims.length) {
      throw new ToolBoxValueError(`transpose order ${formatDims(order)} must list every dimension of ${formatDims(dims)}, or include '...'`);
    }
    return named;
  }
  const rest = dims.filter((d) => !named.includes(d));
  const at = order.indexOf('...');
  return [...order.slice(0, at), ...rest, ...order.slice(at + 1)];
}

/** Reorder a bare variable's dims to `dims` (a permutation of its own). */
export function transposeVariable(v: DataArray, dims: readonly string[]): DataArray {
  if (dims.every((d, i) => d === v.dims[i])) return v;
  const perm = dims.map((d) => v.dims.indexOf(d));
  const values = transposeData(v.values, v.shape, perm);
  return DataArray.fromParts({
    values, dims, shape: perm.map((p) => v.shape[p]), dtype: v.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding,
  });
}

/** Dims of a variable in the order they take in `order` (xarray transposes coords along). */
export function orderedLike(v: DataArray, order: readonly string[]): string[] {
  return order.filter((d) => v.dims.includes(d));
}

/** Insert new axes (size per name) into a bare variable; size-1 axes share the buffer. */
export function insertAxes(v: DataArray, names: readonly string[], sizes: readonly number[], axes: readonly number[]): DataArray {
  const ndim = v.ndim + names.length;
  const dims = new Array<string>(ndim), shape = new Array<number>(ndim), strides = new Array<number>(ndim);
  const isNew = new Array<boolean>(ndim).fill(false);
  axes.forEach((a, k) => { dims[a] = names[k]; shape[a] = sizes[k]; strides[a] = 0; isNew[a] = true; });
  const st = stridesOf(v.shape);
  for (let a = 0, src = 0; a < ndim; a++) {
    if (isNew[a]) continue;
    dims[a] = v.dims[src]; shape[a] = v.shape[src]; strides[a] = st[src]; src++;
  }
  const values = sizes.every((s) => s === 1) ? v.values : stridedCopy(v.values, shape, strides);
  return DataArray.fromParts({ values, dims, shape, dtype: v.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding });
}

/** Parse expandDims' argument into names, sizes and result axes. */
export function expandSpec(dim: Dims | Record<string, number>, axis: number | number[] | undefined, ndim: number, existing: readonly string[]): { names: string[]; sizes: number[]; axes: number[] } {
  let names: string[], sizes: number[];
  if (typeof dim === 'string' || Array.isArray(dim)) {
    names = asList(dim);
    sizes = names.map(() => 1);
  } else {
    names = Object.keys(dim);
    sizes = Object.values(dim);
  }
  if (new Set(names).size !== names.length) throw new ToolBoxValueError(`expandDims: repeated dimension in ${formatDims(names)}`);
  names.forEach((d, k) => {
    if (existing.includes(d)) throw new ToolBoxValueError(`expandDims: dimension '${d}' already exists (dims ${formatDims(existing)})`);
    if (!Number.isInteger(sizes[k]) || sizes[k] < 0) {
      throw new ToolBoxValueError(`expandDims: size of new dimension '${d}' must be a non-negative integer, got ${sizes[k]}`);
    }
  });
  const total = ndim + names.length;
  let axes: number[];
  if (axis === undefined) {
    axes = names.map((_, k) => k);
  } else {
    const list = typeof axis === 'number' ? [axis] : axis;
    if (list.length !== names.length) {
      throw new ToolBoxValueError(`expandDims: ${list.length} axis positions given for ${names.length} new dimensions`);
    }
    axes = list.map((a) => {
      if (!Number.isInteger(a) || a < -total || a >= total) {
        throw new ToolBoxValueError(`expandDims: axis ${a} is out of range for a result with ${total} dimensions`);
      }
      return a < 0 ? a + total : a;
    });
    if (new Set(axes).size !== axes.length) throw new ToolBoxValueError(`expandDims: repeated axis in [${list.join(', ')}]`);
  }
  return { names, sizes, axes };
}

/**
 * A scalar coordinate named like a new dimension becomes its index
 * coordinate (xarray's expand_dims does this), so it needs size 1.
 */
export function promoteScalarCoord(name: string, size: number, c: DataArray | undefined): DataArray | undefined {
  if (!c) return undefined;
  if (c.ndim !== 0) {
    throw new ToolBoxValueError(`expandDims: coordinate '${name}' has dims ${formatDims(c.dims)} and cannot become the index of new dimension '${name}'`);
  }
  if (size !== 1) {
    throw new ToolBoxValueError(`expandDims: new dimension '${name}' must have size 1 because scalar coordinate '${name}' becomes its index, got size ${size}`);
  }
  return withDimsShape(c, [name], [1]);
}

function withDimsShape(v: DataArray, dims: string[], shape: number[]): DataArray {
  return DataArray.fromParts({ values: v.values, dims, shape, dtype: v.dtype, name: v.name, attrs: v.attrs, encoding: v.encoding });
}

/** CoordInput (a plain scalar gives a 0-d coordinate) as a bare coordinate. */
export function coordFromInput(name: string, c: CoordInput): DataArray {
  return toCoordArray(name, c);
}

/** Check a new coordinate against dimension sizes; `allowNew` lets Datasets gain dims. */
export function checkCoord(name: string, c: DataArray, sizes: Record<string, number>, what: string, allowNew = false): void {
  c.dims.forEach((d, i) => {
    if (!(d in sizes)) {
      if (allowNew) return;
      throw new ToolBoxValueError(
        `cannot assign coordinate '${name}' along dimension '${d}', which ${what} does not have (dims ${formatDims(Object.keys(sizes))}); give it as [dim, values]`);
    }
    if (sizes[d] !== c.shape[i]) {
      throw new ToolBoxValueError(`coordinate '${name}' has length ${c.shape[i]} along '${d}' but ${what} has ${sizes[d]}`);
    }
  });
}

export function squeezeDims(sizes: Record<string, number>, dim: Dims | undefined, what: string): string[] {
  if (dim === undefined) return Object.keys(sizes).filter((d) => sizes[d] === 1);
  const dims = asList(dim);
  for (const d of dims) {
    if (!(d in sizes)) throw dimNotFound(d, Object.keys(sizes), what);
    if (sizes[d] !== 1) throw new ToolBoxValueError(`cannot squeeze dimension '${d}' of size ${sizes[d]}; only length-1 dimensions can be squeezed`);
  }
  return dims;
}

export function squeezeSels(dims: string[]): Map<string, DimSel> {
  return new Map(dims.map((d) => [d, { take: { n: 1, idx: null, start: 0, step: 1 }, drop: true }]));
}

// ---------------------------------------------------------------------------
// DataArray operations

export function transpose(da: DataArray, dims: string[]): DataArray {
  const order = resolveOrder(da.dims, dims);
  // transposeVariable leaves coords out; the transposed ones are set below.
  const out = transposeVariable(da, order);
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(da.coords)) coords[n] = c.ndim > 1 ? transposeVariable(c, orderedLike(c, order)) : c;
  return out.with({ coords, name: da.name, attrs: da.attrs });
}

export function squeeze(da: DataArray, dim: Dims | undefined, options: { drop?: boolean } = {}): DataArray {
  const dims = squeezeDims(da.sizes, dim, 'this array');
  return applySelections(da, squeezeSels(dims), options.drop ?? false);
}

export function expandDims(da: DataArray, dim: Dims | Record<string, number>, options: { axis?: number | number[] } = {}): DataArray {
  const { names, sizes, axes } = expandSpec(dim, options.axis, da.ndim, da.dims);
  const coords: Record<string, DataArray> = { ...da.coords };
  names.forEach((n, k) => {
    const c = promoteScalarCoord(n, sizes[k], da.coords[n]);
    if (c) coords[n] = c;
  });
  return insertAxes(da.with({ coords: {} }), names, sizes, axes).with({ coords, name: da.name, attrs: da.attrs });
}

export function assignCoords(da: DataArray, coords: Record<string, CoordInput>): DataArray {
  const sizes = da.sizes;
  const out: Record<string, DataArray> = { ...da.coords };
  for (const [name, input] of Object.entries(coords)) {
    const c = coordFromInput(name, input);
    checkCoord(name, c, sizes, 'this array');
    out[name] = c;
  }
  return da.with({ coords: out });
}

/** Check a rename mapping: known keys, and no two names ending up the same. */
export function checkRename(mapping: Record<string, string>, known: readonly string[], what: string): void {
  for (const [k, v] of Object.entries(mapping)) {
    if (typeof v !== 'string') throw new ToolBoxTypeError(`rename: new name for '${k}' must be a string, got ${typeof v}`);
    if (!known.includes(k)) {
      throw new ToolBoxValueError(`cannot rename '${k}': it is not a dimension, coordinate${what === 'this Dataset' ? ' or variable' : ''} of ${what} (names: ${known.join(', ') || 'none'})`);
    }
  }
}

function renameList(names: readonly string[], mapping: Record<string, string>, what: string): string[] {
  const out = names.map((n) => mapping[n] ?? n);
  const seen = new Set<string>();
  for (const n of out) {
    if (seen.has(n)) throw new ToolBoxValueError(`rename would give ${what} two entries named '${n}'`);
    seen.add(n);
  }
  return out;
}

export function renameDimsOf(v: DataArray, mapping: Record<string, string>): DataArray {
  return v.dims.some((d) => d in mapping) ? withDims(v, v.dims.map((d) => mapping[d] ?? d)) : v;
}

export function rename(da: DataArray, nameOrMapping: string | null | Record<string, string>): DataArray {
  if (nameOrMapping === null || typeof nameOrMapping === 'string') return da.with({ name: nameOrMapping });
  const mapping = nameOrMapping;
  checkRename(mapping, [...new Set([...da.dims, ...Object.keys(da.coords)])], 'this array');
  const dims = renameList(da.dims, mapping, 'the dimensions');
  const names = renameList(Object.keys(da.coords), mapping, 'the coordinates');
  const coords: Record<string, DataArray> = {};
  Object.values(da.coords).forEach((c, i) => { coords[names[i]] = renameDimsOf(c, mapping); });
  return withDims(da.with({ coords: {} }), dims).with({ coords, name: da.name, attrs: da.attrs });
}

/** The coordinate that takes over a swapped dim must be 1-D along the old one. */
export function checkSwap(old: string, nw: string, v: DataArray | undefined): void {
  if (v && !(v.ndim === 1 && v.dims[0] === old)) {
    throw new ToolBoxValueError(`swapDims: replacement dimension '${nw}' is not a 1-D variable along the old dimension '${old}' (it has dims ${formatDims(v.dims)})`);
  }
}

export function swapDims(da: DataArray, mapping: Record<string, string>): DataArray {
  for (const [old, nw] of Object.entries(mapping)) {
    if (!da.dims.includes(old)) throw dimNotFound(old, da.dims);
    checkSwap(old, nw, da.coords[nw]);
  }
  const dims = renameList(da.dims, mapping, 'the dimensions');
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(da.coords)) coords[n] = renameDimsOf(c, mapping);
  return withDims(da.with({ coords: {} }), dims).with({ coords, name: da.name, attrs: da.attrs });
}

/** Names of coordinates to reset: the given ones (validated) or every non-index one. */
export function resetNames(coords: Record<string, DataArray>, names: Dims | undefined, what: string): string[] {
  if (names === undefined) return Object.keys(coords).filter((n) => !isIndexCoord(n, coords[n]));
  const list = asList(names);
  for (const n of list) {
    if (!(n in coords)) throw new ToolBoxValueError(`'${n}' is not a coordinate of ${what}; coordinates: ${Object.keys(coords).join(', ') || '(none)'}`);
    if (isIndexCoord(n, coords[n])) throw new ToolBoxValueError(`cannot reset index coordinate '${n}'; use dropVars to remove it`);
  }
  return list;
}

/**
 * Non-index coordinates removed. xarray returns a Dataset unless drop=True;
 * a DataArray cannot hold them as data, so here they are always dropped
 * (use Dataset.resetCoords to keep them as data variables).
 */
export function resetCoords(da: DataArray, names: Dims | undefined, _options: { drop?: boolean } = {}): DataArray {
  const drop = resetNames(da.coords, names, 'this array');
  const coords = { ...da.coords };
  for (const n of drop) delete coords[n];
  return da.with({ coords });
}

export function dropVars(da: DataArray, names: Dims): DataArray {
  const coords = { ...da.coords };
  for (const n of asList(names)) {
    if (!(n in coords)) throw new ToolBoxValueError(`cannot drop '${n}': not a coordinate of this array; coordinates: ${Object.keys(coords).join(', ') || '(none)'}`);
    delete coords[n];
  }
  return da.with({ coords });
}
