/**
 * Small helpers shared by the indexing, arithmetic, missing-value and reshape
 * modules: index-coordinate lookup, value equality of coordinates, and the
 * wording of errors about dimensions so every module names them the same way.
 */
import { ToolBoxValueError } from '../errors.js';
import type { ArrayData } from './dtype.js';
import type { DataArray } from './dataarray.js';

/** The index coordinate of `dim` (a 1-D coordinate named and dimensioned `dim`), if any. */
export function indexCoordOf(coords: Readonly<Record<string, DataArray>>, dim: string): DataArray | undefined {
  const c = coords[dim];
  return c && c.dims.length === 1 && c.dims[0] === dim ? c : undefined;
}

/** Whether a coordinate is the index of its own dimension. */
export function isIndexCoord(name: string, c: DataArray): boolean {
  return c.dims.length === 1 && c.dims[0] === name;
}

/** Element-wise equality of two flat buffers (NaN equals NaN, bigint equals same-valued bigint). */
export function sameData(a: ArrayData, b: ArrayData): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const x = a as ArrayLike<unknown>, y = b as ArrayLike<unknown>;
  for (let i = 0; i < x.length; i++) {
    const u = x[i], v = y[i];
    // Loose equality compares bigint with number exactly, which is what labels need.
    // eslint-disable-next-line eqeqeq
    if (u != v && !(u !== u && v !== v)) return false;
  }
  return true;
}

/** Same dims, shape and values (dtype may differ, as xarray's `equals` on values). */
export function sameVariable(a: DataArray, b: DataArray): boolean {
  if (a === b) return true;
  if (a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i] || a.shape[i] !== b.shape[i])) return false;
  if ((a.dtype === 'string') !== (b.dtype === 'string')) return false;
  return sameData(a.values, b.values);
}

export function formatDims(dims: readonly string[]): string {
  return `(${dims.join(', ')})`;
}

export function dimNotFound(dim: string, dims: readonly string[], what = 'this array'): ToolBoxValueError {
  return new ToolBoxValueError(`dimension '${dim}' not found; ${what} has dims ${formatDims(dims)}`);
}

/** Names given as a string or a list, as a list. */
export function asList(names: string | readonly string[] | undefined | null): string[] {
  if (names === undefined || names === null) return [];
  return typeof names === 'string' ? [names] : [...names];
}

/** How a label reads in messages: strings quoted, bigints without the `n`. */
export function formatLabel(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}
