/**
 * Conversions to plain JS structures: nested arrays (numpy's tolist) and
 * xarray's to_dict / from_dict layout, optionally JSON-safe for sending to a
 * notebook front end or writing to disk. JSON has no bigint, NaN or infinity:
 * bigints become numbers when exact and decimal strings otherwise, and
 * non-finite floats become null (what pandas' to_json does with NaN).
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type AttrValue, type Attrs, type NestedArray, DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type ArrayData, type DType, isBigInt, isDType } from './dtype.js';
import { product } from './kernels.js';

export interface ToDictOptions {
  /** Include the values (default); false gives dtype and shape instead, like xarray. */
  data?: boolean;
  /** Make the result JSON-safe (bigint → number or decimal string, NaN/±Infinity → null). */
  json?: boolean;
}

function jsonScalar(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/** Nested arrays of `values` in C order; bool as boolean; `json` applies jsonScalar. */
function nest(values: ArrayData, shape: readonly number[], dtype: DType, json: boolean): NestedArray {
  const conv = dtype === 'bool'
    ? (v: unknown) => v === 1
    : json ? jsonScalar : (v: unknown) => v;
  if (shape.length === 0) return conv(values[0]) as NestedArray;
  const rec = (axis: number, off: number, stride: number): NestedArray[] => {
    const n = shape[axis];
    const inner = stride / (n || 1);
    const out = new Array<NestedArray>(n);
    if (axis === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = conv(values[off + i]) as NestedArray;
    } else {
      for (let i = 0; i < n; i++) out[i] = rec(axis + 1, off + i * inner, inner);
    }
    return out;
  };
  const size = product(shape);
  if (size === 0) {
    // Strides vanish with a zero-length axis; build the empty structure from the shape alone.
    const empty = (axis: number): NestedArray[] => (shape[axis] === 0 ? [] : Array.from({ length: shape[axis] }, () => empty(axis + 1)));
    return empty(0);
  }
  return rec(0, 0, size);
}

/** The values as nested JS arrays (numpy's tolist): bool → boolean, int64/uint64 stay bigint. */
export function toNested(da: DataArray): NestedArray {
  return nest(da.values, da.shape, da.dtype, false);
}

/** Attribute values as plain JS: typed arrays become arrays; JSON-safe when `json`. */
export function plainAttrValue(v: AttrValue, json: boolean): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return json ? jsonScalar(v) : v;
  if (ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<unknown>, (x) => (json ? jsonScalar(x) : x));
  if (Array.isArray(v)) return v.map((x) => plainAttrValue(x as AttrValue, json));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainAttrValue(x, json)]));
}

function plainAttrs(attrs: Attrs, json: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, plainAttrValue(v, json)]));
}

function variableDict(v: DataArray, { data = true, json = false }: ToDictOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { dims: [...v.dims], attrs: plainAttrs(v.attrs, json) };
  if (data) out.data = nest(v.values, v.shape, v.dtype, json);
  else { out.dtype = v.dtype; out.shape = [...v.shape]; }
  return out;
}

/** xarray's DataArray.to_dict: {dims, attrs, data, coords: {name: {dims, attrs, data}}, name}. */
export function toDict(da: DataArray, options: ToDictOptions = {}): Record<string, unknown> {
  const coords = Object.fromEntries(Object.entries(da.coords).map(([n, c]) => [n, variableDict(c, options)]));
  return { ...variableDict(da, options), coords, name: da.name };
}

/** xarray's Dataset.to_dict: {coords, attrs, dims: {dim: size}, data_vars}. */
export function toDictDataset(ds: Dataset, options: ToDictOptions = {}): Record<string, unknown> {
  return {
    coords: Object.fromEntries(Object.entries(ds.coords).map(([n, c]) => [n, variableDict(c, options)])),
    attrs: plainAttrs(ds.attrs, options.json ?? false),
    dims: { ...ds.sizes },
    data_vars: Object.fromEntries(ds.dataVars.map((n) => [n, variableDict(ds.variable(n), options)])),
  };
}

// ---------------------------------------------------------------------------
// the inverse

type VariableDict = { dims?: string[] | string; data?: unknown; attrs?: Attrs; dtype?: string; name?: string | null };

function asObject(x: unknown, what: string): Record<string, unknown> {
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new ToolBoxTypeError(`${what} must be an object, got ${Array.isArray(x) ? 'an array' : typeof x}`);
  return x as Record<string, unknown>;
}

const INT_STRING = /^-?\d+$/;
const INT64_MAX = 2n ** 63n - 1n;

/** JSON brought bigints back as decimal strings; turn them into bigints for an integer dtype. */
function reviveBigInts(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(reviveBigInts);
  if (typeof data === 'string' && INT_STRING.test(data)) return BigInt(data);
  if (typeof data === 'number' && Number.isInteger(data)) return BigInt(data);
  return data;
}

/**
 * The 64-bit integer dtype of JSON data that mixes integers with decimal
 * strings (what toDict's json mode makes of bigints beyond 2^53), or null.
 */
function jsonIntDType(data: unknown): 'int64' | 'uint64' | null {
  let strings = false, big = false, ok = true;
  const walk = (x: unknown) => {
    if (!ok) return;
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (typeof x === 'string' && INT_STRING.test(x)) { strings = true; if (BigInt(x) > INT64_MAX) big = true; return; }
    if (typeof x === 'number' && Number.isInteger(x)) return;
    ok = false;
  };
  walk(data);
  return ok && strings ? (big ? 'uint64' : 'int64') : null;
}

function variableFromDict(name: string | null, x: unknown): DataArray {
  const d = asObject(x, `variable '${name ?? ''}'`) as VariableDict;
  if (!('data' in d)) {
    throw new ToolBoxValueError(`cannot rebuild variable '${name ?? ''}' from a dict without 'data' (to_dict was called with data: false?)`);
  }
  const dtype = d.dtype !== undefined ? d.dtype : jsonIntDType(d.data) ?? undefined;
  if (dtype !== undefined && !isDType(dtype)) throw new ToolBoxTypeError(`variable '${name ?? ''}' has unknown dtype '${dtype}'`);
  const data = dtype && isBigInt(dtype) ? reviveBigInts(d.data) : d.data;
  const dims = d.dims === undefined ? undefined : typeof d.dims === 'string' ? [d.dims] : [...d.dims];
  return new DataArray(data as NestedArray, { dims, attrs: d.attrs ?? {}, name, dtype });
}

/**
 * Inverse of toDict / toDictDataset (xarray's from_dict): a DataArray for a
 * dict with `data`, a Dataset for one with `data_vars`. An optional `dtype`
 * per variable restores exact dtypes (e.g. uint64 train IDs sent as strings).
 */
export function fromDict(d: Record<string, unknown>): DataArray | Dataset {
  const obj = asObject(d, 'fromDict input');
  const coordsIn = obj.coords === undefined ? {} : asObject(obj.coords, "'coords'");
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(coordsIn)) coords[n] = variableFromDict(n, c);
  if ('data_vars' in obj) {
    const vars = new Map<string, DataArray>();
    for (const [n, v] of Object.entries(asObject(obj.data_vars, "'data_vars'"))) vars.set(n, variableFromDict(n, v));
    return Dataset.fromParts(vars, coords, (obj.attrs as Attrs | undefined) ?? {});
  }
  if (!('data' in obj)) throw new ToolBoxValueError("fromDict needs 'data' (a DataArray dict) or 'data_vars' (a Dataset dict)");
  const name = (obj.name as string | null | undefined) ?? null;
  const v = variableFromDict(name, obj);
  return DataArray.fromParts({ values: v.values, dims: v.dims, shape: v.shape, dtype: v.dtype, coords, attrs: v.attrs, name });
}
