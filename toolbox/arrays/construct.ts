/**
 * Turning what users pass to constructors (flat typed arrays with a shape,
 * nested JS arrays, scalars) into validated flat C-order storage, with the
 * dtype inferred as numpy would (integers → int64, else float64).
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, type Scalar, allocate, castData, dtypeOfData, isBigInt, isDType, matchesDType } from './dtype.js';
import { product } from './kernels.js';
import type { DataArrayOptions, DataInput, NestedArray } from './dataarray.js';

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: number[]): Scalar[] {
  const out: Scalar[] = [];
  const walk = (x: NestedArray, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw new ToolBoxValueError('nested arrays are ragged: more levels than the first element suggests');
      out.push(x === null ? NaN : x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new ToolBoxValueError(`nested arrays are ragged at depth ${depth}: expected length ${shape[depth]}`);
    }
    for (const e of x) walk(e, depth + 1);
  };
  walk(data, 0);
  return out;
}

function inferDType(values: Scalar[]): DType {
  if (values.length === 0) return 'float64';
  const t = typeof values[0];
  for (const v of values) {
    if (typeof v !== t && !(t === 'number' && v === null)) {
      throw new ToolBoxTypeError(`mixed element types (${t} and ${typeof v}) in data`);
    }
  }
  if (t === 'string') return 'string';
  if (t === 'boolean') return 'bool';
  if (t === 'bigint') return 'int64';
  return (values as number[]).every((v) => Number.isInteger(v) && Number.isSafeInteger(v)) ? 'int64' : 'float64';
}

function fromScalars(values: Scalar[], dtype: DType): ArrayData {
  const out = allocate(dtype, values.length);
  if (dtype === 'string') {
    for (let i = 0; i < values.length; i++) (out as string[])[i] = String(values[i]);
  } else if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) (out as Uint8Array)[i] = values[i] ? 1 : 0;
  } else if (isBigInt(dtype)) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number' && !Number.isInteger(v)) throw new ToolBoxTypeError(`cannot store ${v} in ${dtype}`);
      (out as BigInt64Array)[i] = BigInt(v as number | bigint);
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      (out as Float64Array)[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    }
  }
  return out;
}

export function isArrayData(x: unknown): x is ArrayData {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return true;
  return Array.isArray(x) && x.length > 0 && x.every((e) => typeof e === 'string');
}

export function normalizeData(data: DataInput, options: DataArrayOptions): { flat: ArrayData; shape: number[]; dtype: DType } {
  let flat: ArrayData;
  let shape: number[];
  let dtype: DType;
  if (isArrayData(data)) {
    flat = data;
    shape = options.shape ? [...options.shape] : [data.length];
    dtype = dtypeOfData(data);
    if (options.dtype === 'bool' && dtype === 'uint8') dtype = 'bool';
  } else {
    const nested = data as NestedArray;
    const inferred = inferShape(nested);
    shape = options.shape && inferred.length <= 1 && Array.isArray(nested) ? [...options.shape] : inferred;
    const scalars = inferred.length === 0 ? [nested === null ? NaN : (nested as Scalar)] : flattenNested(nested, inferred);
    dtype = options.dtype ?? inferDType(scalars);
    flat = fromScalars(scalars, dtype);
  }
  if (options.dtype && options.dtype !== dtype) {
    if (!isDType(options.dtype)) throw new ToolBoxTypeError(`unknown dtype '${String(options.dtype)}'`);
    flat = castData(flat, options.dtype);
    dtype = options.dtype;
  }
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ToolBoxValueError(`invalid shape [${shape.join(', ')}]`);
  }
  const n = product(shape);
  if (n !== flat.length) {
    throw new ToolBoxValueError(`data has ${flat.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  }
  if (!matchesDType(flat, dtype)) throw new ToolBoxTypeError(`data of type ${dtypeOfData(flat)} does not match dtype ${dtype}`);
  return { flat, shape, dtype };
}

export function normalizeDims(dims: string[] | string | undefined, ndim: number, name: string | null): string[] {
  let out: string[];
  if (dims === undefined) {
    out = ndim === 1 && name ? [name] : Array.from({ length: ndim }, (_, i) => `dim_${i}`);
  } else {
    out = typeof dims === 'string' ? [dims] : [...dims];
  }
  if (out.length !== ndim) {
    throw new ToolBoxValueError(`${out.length} dimension names (${out.join(', ')}) given for data with ${ndim} dimensions`);
  }
  if (new Set(out).size !== out.length) throw new ToolBoxValueError(`duplicate dimension names (${out.join(', ')})`);
  return out;
}
