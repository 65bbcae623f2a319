/**
 * CF encoding of variable values, matching xarray's defaults (the coders
 * behind `mask_and_scale=True` and its bool handling):
 *
 * writing — floats get `_FillValue = NaN` unless `encoding._FillValue` says
 * otherwise (`null` for none; a number also replaces NaN in the data); bools
 * are stored as int8 with the attribute `dtype = 'bool'`; `encoding.dtype`
 * casts numeric data on the way out (NaN becoming `_FillValue`) unless the
 * encoding also carries scale_factor/add_offset, which are never applied
 * when writing (data is written unpacked).
 *
 * reading — `_Unsigned` reinterprets the integers; values equal to
 * `_FillValue`/`missing_value` become NaN (integers turn into float32 up to
 * 16 bits, float64 above, as xarray does); `scale_factor`/`add_offset`
 * unpack; `dtype = 'bool'` gives bools. The attributes used end up in
 * `encoding`, not `attrs`.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import type { AttrValue, Attrs, DataArray } from '../arrays/dataarray.js';
import {
  type ArrayData, type DType, type NumericDType, type TypedData,
  allocate, castData, isBigInt, isDType, isFloat, isInt, itemSize, matchesDType,
} from '../arrays/dtype.js';
import { type EncodedAttr, encodeAttr } from './attrs.js';
import { H5_DTYPE } from './conventions.js';
import { chooseChunks, ioTuning } from './slabs.js';

export interface EncodedValues {
  data: TypedData | string[];
  /** h5wasm dtype string ('<f', 'S' for vlen UTF-8 strings, ...). */
  h5dtype: string;
  /** `_FillValue` and `dtype` attributes the encoding adds. */
  cfAttrs: [string, EncodedAttr][];
  chunks: number[] | null;
  gzipLevel: number | null;
}

function has(rec: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(rec, key);
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'bigint' || typeof b === 'bigint' ? String(a) === String(b) : false);
}

/** Check values against the dtype before anything touches a file. */
function checkValues(v: DataArray, where: string): void {
  if (!isDType(v.dtype)) throw new ToolBoxTypeError(`${where}: dtype '${String(v.dtype)}' cannot be stored (supported: numeric, bool, string)`);
  let ok: boolean;
  try {
    ok = matchesDType(v.values, v.dtype);
  } catch {
    ok = false;
  }
  if (!ok) throw new ToolBoxTypeError(`${where}: values of type ${(v.values as object)?.constructor?.name} cannot be stored as dtype ${v.dtype}`);
  if (v.dtype === 'string') {
    const bad = (v.values as unknown[]).findIndex((s) => typeof s !== 'string');
    if (bad >= 0) throw new ToolBoxTypeError(`${where}: element ${bad} is ${typeof (v.values as unknown[])[bad]} (${String((v.values as unknown[])[bad])}), not a string; objects cannot be stored`);
  }
}

function fillOf(v: DataArray, where: string): AttrValue | undefined {
  const inEncoding = has(v.encoding, '_FillValue');
  const inAttrs = has(v.attrs, '_FillValue');
  if (inEncoding && inAttrs && !sameValue(v.encoding._FillValue, v.attrs._FillValue)) {
    throw new ToolBoxValueError(`${where}: _FillValue is set in both attrs (${String(v.attrs._FillValue)}) and encoding (${String(v.encoding._FillValue)})`);
  }
  if (inEncoding) return v.encoding._FillValue;
  if (inAttrs) return v.attrs._FillValue;
  return isFloat(v.dtype) ? NaN : undefined;
}

function targetDtype(v: DataArray): DType {
  const want = v.encoding.dtype;
  if (v.dtype === 'bool' || v.dtype === 'string' || !isDType(want) || want === 'bool' || want === 'string') return v.dtype;
  if (has(v.encoding, 'scale_factor') || has(v.encoding, 'add_offset')) return v.dtype;
  return want;
}

/** `fill` as a one-element array of `dtype`, or an error naming the variable. */
function fillArray(fill: AttrValue, dtype: NumericDType, where: string): TypedData {
  if (typeof fill !== 'number' && typeof fill !== 'bigint') {
    throw new ToolBoxValueError(`${where}: _FillValue must be a number, got ${JSON.stringify(fill)}`);
  }
  if (isInt(dtype)) {
    if (typeof fill === 'number' && !Number.isInteger(fill)) throw new ToolBoxValueError(`${where}: _FillValue ${fill} is not an integer, but the data is stored as ${dtype}`);
    return castData(isBigInt(dtype) ? BigInt64Array.of(BigInt(fill)) : Float64Array.of(Number(fill)), dtype) as TypedData;
  }
  return castData(Float64Array.of(Number(fill)), dtype) as TypedData;
}

function validChunks(c: AttrValue | undefined, shape: readonly number[]): number[] | null {
  if (!Array.isArray(c) || c.length !== shape.length || shape.length === 0) return null;
  const ok = c.every((x, i) => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= Math.max(1, shape[i]));
  return ok ? (c as number[]) : null;
}

/** Values ready for HDF5 plus the attributes and storage the encoding implies. */
export function encodeValues(v: DataArray, where: string): EncodedValues {
  checkValues(v, where);
  const cfAttrs: [string, EncodedAttr][] = [];
  const nbytes = v.size * Math.max(1, itemSize(v.dtype));
  const gzip = v.encoding.zlib === true || v.encoding.compression === 'gzip';
  const level = typeof v.encoding.complevel === 'number' ? v.encoding.complevel : typeof v.encoding.compression_opts === 'number' ? v.encoding.compression_opts : 4;
  const storage = (dtype: DType) => {
    if (dtype === 'string' || v.ndim === 0 || v.size === 0) return { chunks: null, gzipLevel: null };
    const chunks = validChunks(v.encoding.chunksizes, v.shape)
      ?? (gzip || nbytes > ioTuning.contiguousBytes ? chooseChunks(v.shape, itemSize(dtype)) : null);
    return { chunks, gzipLevel: gzip ? level : null };
  };

  if (v.dtype === 'string') return { data: v.values as string[], h5dtype: 'S', cfAttrs, ...storage('string') };
  if (v.dtype === 'bool') {
    if (has(v.attrs, 'dtype')) throw new ToolBoxValueError(`${where}: a bool variable cannot carry an attribute 'dtype' (the file uses it to mark bools)`);
    const u8 = v.values as Uint8Array;
    cfAttrs.push(['dtype', encodeAttr('bool', where)]);
    return { data: new Int8Array(u8.buffer, u8.byteOffset, u8.length), h5dtype: H5_DTYPE.bool, cfAttrs, ...storage('int8') };
  }

  const target = targetDtype(v) as NumericDType;
  const fill = fillOf(v, where);
  let data = v.values as TypedData;
  const fillNum = typeof fill === 'number' ? fill : typeof fill === 'bigint' ? Number(fill) : undefined;
  if (isFloat(v.dtype) && (target !== v.dtype || (fillNum !== undefined && !Number.isNaN(fillNum)))) {
    const src = data as Float32Array | Float64Array;
    const needsFill = isInt(target) || (fillNum !== undefined && !Number.isNaN(fillNum));
    if (needsFill && src.some(Number.isNaN)) {
      if (fillNum === undefined || Number.isNaN(fillNum)) {
        throw new ToolBoxValueError(`${where}: holds NaN but is stored as ${target} (encoding.dtype) without a _FillValue to stand for it`);
      }
      const filled = src.slice();
      for (let i = 0; i < filled.length; i++) if (Number.isNaN(filled[i])) filled[i] = fillNum;
      data = filled;
    }
  }
  if (target !== v.dtype) {
    try {
      data = castData(data as ArrayData, target) as TypedData;
    } catch (err) {
      throw new ToolBoxValueError(`${where}: cannot store as ${target} (encoding.dtype): ${(err as Error).message}`);
    }
  }
  if (fill !== undefined && fill !== null) {
    const arr = fillArray(fill, target, where);
    cfAttrs.push(['_FillValue', { kind: 'number', dtype: H5_DTYPE[target], data: arr, shape: [] }]);
  }
  return { data, h5dtype: H5_DTYPE[target], cfAttrs, ...storage(target) };
}

// ---------------------------------------------------------------------------
// reading

function numbersOf(x: AttrValue | undefined): (number | bigint)[] {
  if (x === undefined || x === null) return [];
  if (typeof x === 'number' || typeof x === 'bigint') return [x];
  if (ArrayBuffer.isView(x) || Array.isArray(x)) return Array.from(x as ArrayLike<number | bigint>).filter((e) => typeof e === 'number' || typeof e === 'bigint');
  return [];
}

const UNSIGNED_VIEW: Partial<Record<DType, [DType, new (b: ArrayBufferLike, o: number, n: number) => TypedData]>> = {
  int8: ['uint8', Uint8Array], int16: ['uint16', Uint16Array], int32: ['uint32', Uint32Array], int64: ['uint64', BigUint64Array],
  uint8: ['int8', Int8Array], uint16: ['int16', Int16Array], uint32: ['int32', Int32Array], uint64: ['int64', BigInt64Array],
};

/** The float dtype xarray's CF mask coder gives masked integers (dtypes.maybe_promote as of 2023.01). */
function maskDtype(d: DType): 'float32' | 'float64' {
  return itemSize(d) <= 2 ? 'float32' : 'float64';
}

/** xarray's `_choose_float_dtype` for unpacking. */
function unpackDtype(d: DType, hasOffset: boolean): 'float32' | 'float64' {
  if (d === 'float32') return 'float32';
  if (isInt(d) && itemSize(d) <= 2 && !hasOffset) return 'float32';
  return 'float64';
}

export interface Decoded {
  values: ArrayData;
  dtype: DType;
  attrs: Attrs;
  encoding: Record<string, AttrValue>;
}

/**
 * Decode raw values read from disk. `attrs` are all the variable's decoded
 * attributes; the CF ones are consumed into the returned encoding. The raw
 * buffer is reused when possible (it is freshly read and ours).
 */
export function decodeValues(raw: ArrayData, diskDtype: DType, attrs: Attrs): Decoded {
  const rest: Attrs = { ...attrs };
  const encoding: Record<string, AttrValue> = { dtype: diskDtype };
  const take = (k: string) => {
    const val = rest[k];
    if (has(rest, k)) {
      encoding[k] = val;
      delete rest[k];
    }
    return val;
  };
  let values = raw;
  let dtype = diskDtype;
  const unsigned = take('_Unsigned');
  const fills = [...numbersOf(take('_FillValue')), ...numbersOf(take('missing_value'))];
  const scale = take('scale_factor');
  const offset = take('add_offset');
  take('_Encoding');
  if (dtype === 'string' || dtype === 'bool') return { values, dtype, attrs: rest, encoding };

  const view = UNSIGNED_VIEW[dtype];
  if (view && isInt(dtype) && (unsigned === 'true' ? dtype.startsWith('int') : unsigned === 'false' ? dtype.startsWith('uint') : false)) {
    const t = values as TypedData;
    values = new view[1](t.buffer, t.byteOffset, t.length);
    dtype = view[0];
  }

  if (fills.length > 0) {
    if (isFloat(dtype)) {
      const f = values as Float32Array | Float64Array;
      const set = fills.map(Number).filter((x) => !Number.isNaN(x)).map((x) => (dtype === 'float32' ? Math.fround(x) : x));
      if (set.length > 0) for (let i = 0; i < f.length; i++) if (set.includes(f[i])) f[i] = NaN;
    } else {
      const to = maskDtype(dtype);
      const out = allocate(to, values.length) as Float32Array | Float64Array;
      if (isBigInt(dtype)) {
        const src = values as BigInt64Array | BigUint64Array;
        const set = fills.filter((x) => typeof x === 'bigint' || Number.isInteger(x)).map((x) => BigInt(x));
        for (let i = 0; i < src.length; i++) out[i] = set.includes(src[i]) ? NaN : Number(src[i]);
      } else {
        const src = values as Exclude<TypedData, BigInt64Array | BigUint64Array>;
        const set = fills.map(Number);
        for (let i = 0; i < src.length; i++) out[i] = set.includes(src[i]) ? NaN : src[i];
      }
      values = out;
      dtype = to;
    }
  }

  const s = typeof scale === 'number' ? scale : typeof scale === 'bigint' ? Number(scale) : undefined;
  const o = typeof offset === 'number' ? offset : typeof offset === 'bigint' ? Number(offset) : undefined;
  if (s !== undefined || o !== undefined) {
    const to = unpackDtype(dtype, o !== undefined);
    const out = allocate(to, values.length) as Float32Array | Float64Array;
    const src = values as TypedData;
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]) * (s ?? 1) + (o ?? 0);
    values = out;
    dtype = to;
  }

  if (rest.dtype === 'bool' && isInt(dtype)) {
    delete rest.dtype;
    encoding.dtype = 'bool';
    const src = values as TypedData;
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    values = out;
    dtype = 'bool';
  }
  return { values, dtype, attrs: rest, encoding };
}
