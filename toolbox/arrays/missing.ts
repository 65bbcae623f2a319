/**
 * Missing values as xarray sees them: NaN in float data; integer, bool and
 * string data never hold a missing value. `where` and `fillna` are one
 * three-operand select (cond ? x : other) with xarray's broadcasting,
 * alignment (inner join for where without `other`, exact with it, left for
 * fillna) and dtype promotion (the NaN fill is a weak float scalar, so ints
 * become float64 and float32 stays float32).
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, type Scalar, allocate, isFloat, isInt, promoteTypes } from './dtype.js';
import { DataArray, type Operand } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type Join } from './align.js';
import { broadcastStrides, product, walkBlocks } from './kernels.js';
import { select } from './elementwise.js';
import { alignOperands, broadcastDims, inDomain, mergeCoords, scalarInDomain, weakScalarType } from './arithmetic.js';
import { applySelections, applySelectionsDataset, positionsTake } from './indexing.js';

type Other = Operand | string;

export function isnull(da: DataArray): DataArray {
  const out = new Uint8Array(da.size);
  if (isFloat(da.dtype)) {
    const v = da.values as Float64Array;
    for (let i = 0; i < v.length; i++) out[i] = v[i] !== v[i] ? 1 : 0;
  }
  return da.with({ values: out, dtype: 'bool', attrs: {} });
}

export function notnull(da: DataArray): DataArray {
  const out = new Uint8Array(da.size);
  if (isFloat(da.dtype)) {
    const v = da.values as Float64Array;
    for (let i = 0; i < v.length; i++) out[i] = v[i] !== v[i] ? 0 : 1;
  } else {
    out.fill(1);
  }
  return da.with({ values: out, dtype: 'bool', attrs: {} });
}

/** dtype of `x` where `other` replaces some values. */
function otherType(d: DType, other: DataArray | Scalar): DType {
  if (other instanceof DataArray) {
    if ((d === 'string') !== (other.dtype === 'string')) {
      throw new ToolBoxTypeError(`cannot combine ${d} data with ${other.dtype} replacement values`);
    }
    return promoteTypes(d, other.dtype);
  }
  if (typeof other === 'string' || d === 'string') {
    if (typeof other === 'string' && d === 'string') return 'string';
    throw new ToolBoxTypeError(`cannot combine ${d} data with the ${typeof other} replacement ${String(other)}`);
  }
  const integral = typeof other === 'bigint' || (typeof other === 'number' && Number.isInteger(other));
  if (isInt(d) && integral) {
    // Unlike arithmetic, an out-of-range fill widens the dtype instead of failing.
    try { return weakScalarType(d, other); } catch { return promoteTypes(d, other > 2n ** 63n - 1n ? 'uint64' : 'int64'); }
  }
  return weakScalarType(d, other);
}

/** Condition as something truthy per element (float NaN counts as true, like numpy's bool()). */
function condData(c: DataArray): ArrayData {
  if (c.dtype === 'bool' || isInt(c.dtype)) return c.values;
  if (isFloat(c.dtype)) {
    const v = c.values as Float64Array, out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
    return out;
  }
  throw new ToolBoxTypeError(`condition must be bool (or numeric), got dtype ${c.dtype}`);
}

/** cond ? x : other, broadcast over all three (dims in order x, cond, other). */
function selectWhere(x: DataArray, cond: DataArray, other: DataArray | Scalar, join: Join): DataArray {
  const arrays = other instanceof DataArray ? [x, cond, other] : [x, cond];
  const aligned = alignOperands(arrays, join);
  [x, cond] = aligned;
  if (other instanceof DataArray) other = aligned[2];
  const { dims, shape } = broadcastDims(aligned);
  const r = otherType(x.dtype, other);
  const X = r === 'string' ? x.values : inDomain(x.values, x.dtype, r);
  let Y: ArrayData, sy: number[];
  if (other instanceof DataArray) {
    Y = r === 'string' ? other.values : inDomain(other.values, other.dtype, r);
    sy = broadcastStrides(other.dims, other.shape, dims);
  } else {
    Y = typeof other === 'string' ? [other] : scalarInDomain(other, r);
    sy = dims.map(() => 0);
  }
  const C = condData(cond);
  const out = allocate(r, product(shape));
  const sc = broadcastStrides(cond.dims, cond.shape, dims), sx = broadcastStrides(x.dims, x.shape, dims);
  walkBlocks(shape, [sc, sx, sy], (o, m, n, off, t, s) =>
    select(out, o, C, off[0], s[0], t[0], X, off[1], s[1], t[1], Y, off[2], s[2], t[2], m, n));
  const coords = mergeCoords(aligned.map((a) => a.coords));
  return DataArray.fromParts({ values: out, dims, shape, dtype: r, coords, name: x.name, attrs: x.attrs });
}

function asCond(cond: DataArray | boolean): DataArray {
  if (typeof cond === 'boolean') return new DataArray(Uint8Array.of(cond ? 1 : 0), { dtype: 'bool', shape: [], dims: [] });
  if (!(cond instanceof DataArray)) throw new ToolBoxTypeError(`where: cond must be a DataArray or boolean, got ${typeof cond}`);
  return cond;
}

function checkOther(other: unknown): asserts other is DataArray | Scalar {
  const t = typeof other;
  if (!(other instanceof DataArray) && t !== 'number' && t !== 'bigint' && t !== 'boolean' && t !== 'string') {
    throw new ToolBoxTypeError(`replacement value must be a DataArray, number, bigint, boolean or string, got ${t}`);
  }
}

export function where(da: DataArray, cond: DataArray | boolean, other?: Other): DataArray {
  if (other === undefined) {
    if (da.dtype === 'string') throw new ToolBoxTypeError("where on string data needs an explicit 'other' (strings have no NaN)");
    return selectWhere(da, asCond(cond), NaN, 'inner');
  }
  checkOther(other);
  return selectWhere(da, asCond(cond), other, 'exact');
}

export function fillna(da: DataArray, value: Other): DataArray {
  checkOther(value);
  if (value instanceof DataArray) return selectWhere(da, notnull(da), value, 'left');
  const r = otherType(da.dtype, value);
  if (!isFloat(da.dtype)) return r === da.dtype ? da : da.astype(r);
  if (r !== da.dtype) return selectWhere(da, notnull(da), value, 'left');
  const v = da.values as Float64Array;
  const fill = Number(value);
  const out = allocate(da.dtype, v.length) as Float64Array;
  for (let i = 0; i < v.length; i++) { const e = v[i]; out[i] = e !== e ? fill : e; }
  return da.with({ values: out });
}

// ---------------------------------------------------------------------------
// dropna

interface DropOptions { how?: 'any' | 'all'; thresh?: number }

function checkDropOptions({ how = 'any', thresh }: DropOptions): void {
  if (how !== 'any' && how !== 'all') throw new ToolBoxValueError(`dropna: how must be 'any' or 'all', got '${String(how)}'`);
  if (thresh !== undefined && (!Number.isInteger(thresh) || thresh < 0)) {
    throw new ToolBoxValueError(`dropna: thresh must be a non-negative integer, got ${thresh}`);
  }
}

/** Add each position's count of non-NaN values along `axis` into `counts`. */
function countValid(v: DataArray, axis: number, counts: Float64Array): void {
  const n = v.shape[axis];
  let inner = 1;
  for (let a = axis + 1; a < v.ndim; a++) inner *= v.shape[a];
  const outer = n === 0 || inner === 0 ? 0 : v.size / (n * inner);
  if (!isFloat(v.dtype)) {
    for (let j = 0; j < n; j++) counts[j] += outer * inner;
    return;
  }
  const x = v.values as Float64Array;
  let p = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let k = 0; k < inner; k++, p++) if (x[p] === x[p]) c++;
      counts[j] += c;
    }
  }
}

/** Positions along the dim to keep, given valid counts and the number of values per position. */
function keptPositions(counts: Float64Array, total: number, { how = 'any', thresh }: DropOptions): number[] {
  const keep: number[] = [];
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j];
    const ok = thresh !== undefined ? c >= thresh : how === 'any' ? c === total : c > 0;
    if (ok) keep.push(j);
  }
  return keep;
}

export function dropna(da: DataArray, dim: string, options: DropOptions = {}): DataArray {
  checkDropOptions(options);
  const axis = da.axis(dim);
  const n = da.shape[axis];
  const counts = new Float64Array(n);
  countValid(da, axis, counts);
  const keep = keptPositions(counts, n === 0 ? 0 : da.size / n, options);
  if (keep.length === n) return da;
  return applySelections(da, new Map([[dim, { take: positionsTake(keep, n, dim), drop: false }]]));
}

// ---------------------------------------------------------------------------
// Dataset versions

export function whereDataset(ds: Dataset, cond: DataArray | boolean, other?: Other): Dataset {
  const c0 = asCond(cond);
  if (other !== undefined) checkOther(other);
  const join: Join = other === undefined ? 'inner' : 'exact';
  const objs: Array<Dataset | DataArray> = other instanceof DataArray ? [ds, c0, other] : [ds, c0];
  const aligned = alignOperands(objs, join);
  const x = aligned[0] as Dataset, c = aligned[1] as DataArray;
  const o = other instanceof DataArray ? (aligned[2] as DataArray) : other;
  const bareC = c.with({ coords: {} });
  const bareO = o instanceof DataArray ? o.with({ coords: {} }) : o;
  const vars = new Map<string, DataArray>();
  for (const n of x.dataVars) {
    const v = x.variable(n);
    vars.set(n, bareO === undefined ? where(v, bareC) : selectWhere(v, bareC, bareO, 'exact'));
  }
  const coords = mergeCoords([x.coords, c.coords, ...(o instanceof DataArray ? [o.coords] : [])]);
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function fillnaDataset(ds: Dataset, value: Other): Dataset {
  checkOther(value);
  let x = ds, v: DataArray | Scalar = value;
  if (value instanceof DataArray) {
    const aligned = alignOperands<Dataset | DataArray>([ds, value], 'left');
    x = aligned[0] as Dataset;
    v = (aligned[1] as DataArray).with({ coords: {} });
  }
  const vars = new Map<string, DataArray>();
  for (const n of x.dataVars) vars.set(n, fillna(x.variable(n), v));
  const coords = value instanceof DataArray ? mergeCoords([x.coords, value.coords]) : x.coords;
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function dropnaDataset(ds: Dataset, dim: string, options: DropOptions & { subset?: string[] } = {}): Dataset {
  checkDropOptions(options);
  const sizes = ds.sizes;
  if (!(dim in sizes)) {
    throw new ToolBoxValueError(`dimension '${dim}' not found; this Dataset has dims (${Object.keys(sizes).join(', ')})`);
  }
  const names = options.subset ?? ds.dataVars;
  for (const name of names) {
    if (!ds.dataVars.includes(name)) {
      throw new ToolBoxValueError(`dropna: subset names '${name}', which is not a data variable; data variables: ${ds.dataVars.join(', ') || '(none)'}`);
    }
  }
  const n = sizes[dim];
  const counts = new Float64Array(n);
  let total = 0;
  for (const name of names) {
    const v = ds.variable(name);
    const axis = v.dims.indexOf(dim);
    if (axis < 0) continue;
    countValid(v, axis, counts);
    total += n === 0 ? 0 : v.size / n;
  }
  const keep = keptPositions(counts, total, options);
  if (keep.length === n) return ds;
  return applySelectionsDataset(ds, new Map([[dim, { take: positionsTake(keep, n, dim), drop: false }]]));
}
