/**
 * Attribute values ⇄ HDF5 attributes.
 *
 * Python must read what we write sensibly (xarray with h5netcdf or netCDF4),
 * and everything JSON can hold must come back here exactly. h5wasm writes
 * only little-endian numbers and strings (no enums, no byte-order marks), so
 * the JS type is recovered from the HDF5 type and dataspace alone:
 *
 * | JS value                        | HDF5 attribute                    | Python sees          |
 * | ------------------------------- | --------------------------------- | -------------------- |
 * | string                          | vlen UTF-8 string, scalar         | str                  |
 * | number, safe integer            | int64 scalar                      | numpy.int64          |
 * | number, otherwise (NaN, -0 ...) | float64 scalar                    | numpy.float64        |
 * | bigint ≥ 0 / < 0                | uint64 / int64 scalar             | numpy.uint64 / int64 |
 * | boolean                         | int8 scalar 0/1 (netCDF has no bool) | numpy.int8        |
 * | string[] (2+ items)             | vlen UTF-8 strings, 1-D           | list of str          |
 * | number[] (2+ items)             | int64 (all safe integers) or float64, 1-D | numpy array  |
 * | typed array                     | its own dtype, 1-D                | numpy array          |
 * | null, objects, boolean[], arrays of 0 or 1 items, nested or mixed arrays | JSON text in a vlen *ASCII* string (non-ASCII escaped) | str (json.loads) |
 *
 * Reading reverses the table: an int8 scalar 0/1 is a boolean; a vlen ASCII
 * string holding `{...}`, `[...]` or `null` is parsed as JSON (every plain
 * string we write is UTF-8, so a JSON-looking string stays a string);
 * float64 and safely-integral int64 arrays become number[]; uint64 scalars
 * stay bigint; int64 scalars become numbers when safe. h5py's numpy-bool
 * enums read as booleans. As in netCDF and xarray, a 1-element array
 * attribute reads as a scalar.
 *
 * Not exact, by these rules: a typed array of one element comes back as a
 * scalar; Float64Array comes back as number[], and so does BigInt64Array
 * when its values are safe integers; a negative bigint comes back as a number
 * when safe; bigint[] comes back as BigInt64Array/BigUint64Array (or number[]).
 * Foreign files: an int8 scalar 0/1 attribute reads as a boolean.
 */
import type { Metadata, OutputData } from 'h5wasm/node';
import { ToolBoxTypeError } from '../errors.js';
import type { AttrValue, Attrs } from '../arrays/dataarray.js';
import { type TypedData, dtypeOfData } from '../arrays/dtype.js';
import { H5T, H5_DTYPE, REFERENCE_ATTRS, isBoolEnum } from './conventions.js';
import type { H5Dataset, H5Group } from './h5file.js';

export type EncodedAttr =
  | { kind: 'number'; dtype: string; data: TypedData; shape: number[] }
  | { kind: 'string'; data: string[]; shape: number[]; ascii: boolean };

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function isSafeInt(v: number): boolean {
  return Number.isSafeInteger(v) && !Object.is(v, -0);
}

/** The HDF5 form of an attribute value; `where` names it in errors ("attribute 'x' of variable 'v'"). */
export function encodeAttr(value: AttrValue, where: string): EncodedAttr {
  if (typeof value === 'string') return { kind: 'string', data: [value], shape: [], ascii: false };
  if (typeof value === 'number') {
    return isSafeInt(value)
      ? { kind: 'number', dtype: '<q', data: BigInt64Array.of(BigInt(value)), shape: [] }
      : { kind: 'number', dtype: '<d', data: Float64Array.of(value), shape: [] };
  }
  if (typeof value === 'bigint') return encodeBigInts([value], [], where);
  if (typeof value === 'boolean') return { kind: 'number', dtype: '<b', data: Int8Array.of(value ? 1 : 0), shape: [] };
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) throw new ToolBoxTypeError(`${where}: a DataView cannot be stored; use a typed array`);
    const view = value as ArrayBufferView;
    const data = view instanceof Uint8ClampedArray ? new Uint8Array(view.buffer, view.byteOffset, view.length) : view as TypedData;
    const dtype = dtypeOfData(data) as Exclude<ReturnType<typeof dtypeOfData>, 'string'>;
    return { kind: 'number', dtype: H5_DTYPE[dtype], data, shape: [data.length] };
  }
  if (Array.isArray(value) && value.length >= 2) {
    const arr = value as unknown[];
    if (arr.every((v) => typeof v === 'string')) return { kind: 'string', data: arr as string[], shape: [arr.length], ascii: false };
    if (arr.every((v) => typeof v === 'number')) {
      const nums = arr as number[];
      return nums.every(isSafeInt)
        ? { kind: 'number', dtype: '<q', data: BigInt64Array.from(nums, (v) => BigInt(v)), shape: [nums.length] }
        : { kind: 'number', dtype: '<d', data: Float64Array.from(nums), shape: [nums.length] };
    }
    if (arr.every((v) => typeof v === 'bigint')) return encodeBigInts(arr as bigint[], [arr.length], where);
  }
  return { kind: 'string', data: [toAsciiJson(value, where)], shape: [], ascii: true };
}

function encodeBigInts(values: bigint[], shape: number[], where: string): EncodedAttr {
  const unsigned = values.every((v) => v >= 0n);
  for (const v of values) {
    if (v > UINT64_MAX || v < INT64_MIN || (!unsigned && v >= 2n ** 63n)) {
      throw new ToolBoxTypeError(`${where}: ${v} does not fit in a 64-bit integer`);
    }
  }
  return unsigned
    ? { kind: 'number', dtype: '<Q', data: BigUint64Array.from(values), shape }
    : { kind: 'number', dtype: '<q', data: BigInt64Array.from(values), shape };
}

/** JSON text, all ASCII so its string type (vlen ASCII) marks it as JSON. */
function toAsciiJson(value: unknown, where: string): string {
  checkJsonable(value, where, '');
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function checkJsonable(v: unknown, where: string, path: string): void {
  const bad = (what: string) => {
    throw new ToolBoxTypeError(`${where}: ${what}${path ? ` at ${path}` : ''} cannot be stored in an HDF5 attribute inside an object or list (JSON holds only strings, finite numbers, booleans, null, arrays and plain objects)`);
  };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) bad(String(v));
    return;
  }
  if (typeof v === 'bigint') bad(`bigint ${v}n`);
  if (Array.isArray(v)) {
    v.forEach((e, i) => checkJsonable(e, where, `${path}[${i}]`));
    return;
  }
  if (typeof v === 'object') {
    if (ArrayBuffer.isView(v)) bad(`a ${v.constructor.name}`);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) bad(`a ${(v as object).constructor?.name ?? 'non-plain'} object`);
    for (const [k, e] of Object.entries(v as object)) checkJsonable(e, where, `${path}.${k}`);
    return;
  }
  bad(v === undefined ? 'undefined' : `a ${typeof v}`);
}

/** Write one encoded attribute (it must not exist yet). */
export function writeAttr(obj: H5Group | H5Dataset, name: string, enc: EncodedAttr): void {
  if (enc.kind === 'string') obj.create_attribute(name, enc.data, enc.shape, enc.ascii ? 'A' : 'S');
  else obj.create_attribute(name, enc.data, enc.shape, enc.dtype);
}

function looksLikeJson(s: string): boolean {
  return s === 'null' || (s.startsWith('{') && s.endsWith('}')) || (s.startsWith('[') && s.endsWith(']'));
}

/**
 * The JS value of an attribute, or undefined when it has none we can
 * represent (compound, reference, empty dataspace). `plain` reads netCDF/CF
 * machinery (`_FillValue`, dimension ids) without the boolean and JSON
 * conventions, which only apply to user attributes.
 */
export function decodeAttr(meta: Metadata, value: OutputData | null, plain = false): AttrValue | undefined {
  if (value === null || value === undefined || !meta.shape) return undefined;
  const shape = meta.shape;
  const scalarLike = shape.length === 0 || (shape.length === 1 && shape[0] === 1);
  if (meta.type === H5T.STRING) {
    const arr = (Array.isArray(value) ? value : [value]) as string[];
    if (!plain && meta.vlen && meta.cset === 0 && shape.length === 0 && looksLikeJson(arr[0])) {
      try {
        return JSON.parse(arr[0]) as AttrValue;
      } catch { /* not ours after all: a plain string */ }
    }
    return scalarLike ? arr[0] : [...arr];
  }
  if (meta.type === H5T.ENUM && isBoolEnum(meta)) {
    const ints = ArrayBuffer.isView(value) ? [...(value as Int8Array)] : [value as number];
    return scalarLike ? ints[0] !== 0 : ints.map((v) => v !== 0);
  }
  if (meta.type !== H5T.INTEGER && meta.type !== H5T.FLOAT && meta.type !== H5T.ENUM) return undefined;
  if (scalarLike) {
    const v = (ArrayBuffer.isView(value) ? (value as TypedData)[0] : value) as number | bigint;
    if (typeof v === 'bigint') {
      // uint64 only ever comes from a bigint here; int64 is how numbers are stored.
      if (!meta.signed) return v;
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    if (!plain && shape.length === 0 && meta.type === H5T.INTEGER && meta.size === 1 && meta.signed && (v === 0 || v === 1)) return v === 1;
    return v;
  }
  const data = value as TypedData;
  if (data.length >= 2 && data instanceof Float64Array) return Array.from(data);
  if (data.length >= 2 && data instanceof BigInt64Array && data.every((v) => Number.isSafeInteger(Number(v)))) {
    return Array.from(data, (v) => Number(v));
  }
  return data;
}

/**
 * All attributes of an object, decoded, in stored order (references skipped).
 * Names in `plainNames` are decoded with `plain` (see decodeAttr).
 */
export function readAttrs(obj: H5Group | H5Dataset, plainNames: ReadonlySet<string> = new Set()): Attrs {
  const out: Attrs = {};
  const attrs = obj.attrs;
  for (const name of Object.keys(attrs)) {
    if (REFERENCE_ATTRS.has(name)) continue;
    let decoded: AttrValue | undefined;
    try {
      const a = attrs[name];
      decoded = decodeAttr(a.metadata, a.value, plainNames.has(name));
    } catch {
      decoded = undefined; // a type h5wasm cannot read (e.g. float16): left out, like a reference
    }
    if (decoded !== undefined) out[name] = decoded;
  }
  return out;
}

