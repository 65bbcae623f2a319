/**
 * numpy-style dtypes over JS typed arrays. 64-bit integers live in BigInt
 * arrays so no value is silently rounded; bool is a Uint8Array of 0/1 with its
 * own dtype name; strings (coordinate labels, mostly) are plain string arrays.
 */
import { ToolBoxTypeError } from '../errors.js';

/** The floating-point dtypes. */
export type FloatDType = 'float32' | 'float64';
/** The integer dtypes; the 64-bit ones hold BigInts. */
export type IntDType = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';
/** Integer or float. */
export type NumericDType = FloatDType | IntDType;
/** numpy-style element type of a DataArray. */
export type DType = NumericDType | 'bool' | 'string';

/** Typed arrays of JS numbers (every dtype up to 32 bits, and bool). */
export type NumberArray =
  | Float32Array | Float64Array
  | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint16Array | Uint32Array;
/** Typed arrays of BigInts (int64, uint64). */
export type BigIntArray = BigInt64Array | BigUint64Array;
/** Any typed array a numeric or bool DataArray stores. */
export type TypedData = NumberArray | BigIntArray;
/** What DataArray.values holds: a typed array, or strings. */
export type ArrayData = TypedData | string[];

/** A single element as JS sees it. */
export type Scalar = number | bigint | boolean | string;

/** The array type that holds each dtype's values. */
export interface ValuesByDType {
  float32: Float32Array; float64: Float64Array;
  int8: Int8Array; int16: Int16Array; int32: Int32Array; int64: BigInt64Array;
  uint8: Uint8Array; uint16: Uint16Array; uint32: Uint32Array; uint64: BigUint64Array;
  bool: Uint8Array; string: string[];
}
/** `values` of a DataArray of dtype D (a union for a union of dtypes; ArrayData for any). */
export type ValuesOf<D extends DType> = ValuesByDType[D];
/** One element of dtype D as `item()` gives it: bigint for 64-bit integers, boolean for bool. */
export type ScalarOf<D extends DType> = D extends 'int64' | 'uint64' ? bigint : D extends 'bool' ? boolean : D extends 'string' ? string : number;

/** Every supported dtype. */
export const DTYPES: readonly DType[] = [
  'float32', 'float64', 'int8', 'int16', 'int32', 'int64',
  'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'string',
];

const CONSTRUCTORS = {
  float32: Float32Array, float64: Float64Array,
  int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  bool: Uint8Array,
} as const;

/** Whether `x` names one of the supported dtypes. */
export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

/** float32 or float64. */
export function isFloat(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}
/** A signed or unsigned integer dtype of any width. */
export function isInt(d: DType): d is IntDType {
  return d.startsWith('int') || d.startsWith('uint');
}
/** Whether the dtype holds negative values (signed integers and floats). */
export function isSigned(d: DType): boolean {
  return d.startsWith('int') || isFloat(d);
}
/** int64 or uint64: values are BigInts in JavaScript. */
export function isBigInt(d: DType): d is 'int64' | 'uint64' {
  return d === 'int64' || d === 'uint64';
}
/** An integer or float dtype (not bool, not string). */
export function isNumeric(d: DType): d is NumericDType {
  return isFloat(d) || isInt(d);
}

/** Bytes per element (strings: 0, they have no fixed size). */
export function itemSize(d: DType): number {
  switch (d) {
    case 'float64': case 'int64': case 'uint64': return 8;
    case 'float32': case 'int32': case 'uint32': return 4;
    case 'int16': case 'uint16': return 2;
    case 'int8': case 'uint8': case 'bool': return 1;
    case 'string': return 0;
  }
}

/** A zero-filled array of n elements of the dtype. */
export function allocate(dtype: DType, n: number): ArrayData {
  if (dtype === 'string') return new Array<string>(n).fill('');
  return new CONSTRUCTORS[dtype](n);
}

/**
 * n elements of the dtype over the start of `bytes` (not cleared), or null
 * when they do not fit or the bytes are not aligned for the dtype.
 */
export function viewOver(dtype: Exclude<DType, 'string'>, bytes: Uint8Array, n: number): TypedData | null {
  const size = itemSize(dtype);
  if (n * size > bytes.byteLength || bytes.byteOffset % size !== 0) return null;
  return new CONSTRUCTORS[dtype](bytes.buffer as ArrayBuffer, bytes.byteOffset, n) as TypedData;
}

/** The dtype a typed array stores natively (Uint8Array reads as uint8, not bool). */
export function dtypeOfData(data: ArrayData): DType {
  if (Array.isArray(data)) return 'string';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigUint64Array) return 'uint64';
  throw new ToolBoxTypeError(`unsupported array type ${(data as object).constructor?.name}`);
}

/** Whether `data` is a valid store for `dtype`. */
export function matchesDType(data: ArrayData, dtype: DType): boolean {
  const native = dtypeOfData(data);
  return native === dtype || (dtype === 'bool' && native === 'uint8');
}

/**
 * numpy's result_type for two dtypes (value-independent, NEP 50 rules):
 * int64 with uint64 gives float64, a signed/unsigned pair takes the next
 * signed size up, ints with float32 keep float32 only up to 16 bits.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'string' || b === 'string') {
    throw new ToolBoxTypeError(`cannot combine dtypes ${a} and ${b}`);
  }
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  if (isFloat(a) || isFloat(b)) {
    if (a === 'float64' || b === 'float64') return 'float64';
    const other = isFloat(a) ? b : a;
    if (isFloat(other)) return 'float32';
    return itemSize(other) <= 2 ? 'float32' : 'float64';
  }
  const sa = a.startsWith('int'), sb = b.startsWith('int');
  const za = itemSize(a), zb = itemSize(b);
  if (sa === sb) return za >= zb ? a : b;
  const [signedSize, unsignedSize] = sa ? [za, zb] : [zb, za];
  if (signedSize > unsignedSize) return sa ? a : b;
  const need = unsignedSize * 2;
  if (need > 8) return 'float64';
  return (`int${need * 8}`) as DType;
}

/** Division and mean results: floats stay, everything else becomes float64. */
export function floatResultType(d: DType): FloatDType {
  return d === 'float32' ? 'float32' : 'float64';
}

/** Convert an array to another dtype; NaN to int is an error, like numpy's safe cast intent. */
export function castData(data: ArrayData, to: DType): ArrayData {
  const from = dtypeOfData(data);
  if (from === to && !(to === 'bool')) return data.slice();
  const n = data.length;
  const out = allocate(to, n);
  if (to === 'string') {
    for (let i = 0; i < n; i++) (out as string[])[i] = String(data[i]);
    return out;
  }
  if (from === 'string') throw new ToolBoxTypeError(`cannot convert strings to ${to}`);
  if (to === 'bool') {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) { const v = data[i] as number | bigint; o[i] = v ? 1 : 0; }
    return o;
  }
  if (isBigInt(to)) {
    const o = out as BigIntArray;
    if (isBigInt(from)) {
      for (let i = 0; i < n; i++) o[i] = data[i] as bigint;
    } else {
      for (let i = 0; i < n; i++) {
        const v = data[i] as number;
        if (!Number.isFinite(v)) throw new ToolBoxTypeError(`cannot convert non-finite value ${v} to ${to}`);
        o[i] = BigInt(Math.trunc(v));
      }
    }
    return o;
  }
  const o = out as NumberArray;
  if (isBigInt(from)) {
    for (let i = 0; i < n; i++) o[i] = Number(data[i] as bigint);
  } else {
    for (let i = 0; i < n; i++) o[i] = data[i] as number;
  }
  return o;
}

/** Values as float64 (for maths on any numeric dtype). */
export function toFloat64(data: ArrayData): Float64Array {
  if (data instanceof Float64Array) return data;
  return castData(data, 'float64') as Float64Array;
}

/**
 * The missing-value marker of a dtype as xarray uses it: NaN for floats;
 * integers and bools have none (xarray promotes them to float to hold NaN).
 */
export function hasNaN(d: DType): boolean {
  return isFloat(d);
}

/**
 * The dtype xarray promotes to when a missing value must be stored (reindex,
 * align, where, min_count): floats keep theirs, every integer and bool becomes
 * float64 (checked against xarray 2023.01 with numpy 1.24).
 */
export function dtypeWithNaN(d: DType): DType {
  if (isFloat(d) || d === 'string') return d;
  return 'float64';
}
