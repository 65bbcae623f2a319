/**
 * Array plumbing for groupby: taking positions along a dim, transposing, and
 * concatenating/stacking the pieces GroupBy.map gets back. Kept local so
 * grouping does not depend on the indexing and combine modules.
 */
import { ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, allocate, castData, dtypeWithNaN, promoteTypes } from './dtype.js';
import { DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';

type Writable = { [i: number]: unknown; length: number };

function prod(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

function copyRange(src: ArrayData, s: number, dst: ArrayData, d: number, len: number): void {
  if (len >= 16 && !Array.isArray(src)) {
    (dst as Float64Array).set((src as Float64Array).subarray(s, s + len), d);
    return;
  }
  const out = dst as Writable;
  for (let i = 0; i < len; i++) out[d + i] = src[s + i];
}

/** Values at `positions` along `axis` (C order kept). */
export function takeValues(values: ArrayData, dtype: DType, shape: readonly number[], axis: number, positions: ArrayLike<number>): ArrayData {
  const O = prod(shape.slice(0, axis)), n = shape[axis], I = prod(shape.slice(axis + 1));
  const out = allocate(dtype, O * positions.length * I);
  let w = 0;
  for (let o = 0; o < O; o++) {
    for (let k = 0; k < positions.length; k++, w += I) copyRange(values, (o * n + positions[k]) * I, out, w, I);
  }
  return out;
}

/** A DataArray restricted to `positions` along `dim` (coords on that dim follow). */
export function takeAlong(da: DataArray, dim: string, positions: ArrayLike<number>): DataArray {
  const axis = da.dims.indexOf(dim);
  if (axis < 0) return da;
  const shape = da.shape.slice();
  shape[axis] = positions.length;
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(da.coords)) coords[n] = c.dims.includes(dim) ? takeAlong(c, dim, positions) : c;
  return da.with({ values: takeValues(da.values, da.dtype, da.shape, axis, positions), shape, dtype: da.dtype, coords });
}

export function takeAlongDataset(ds: Dataset, dim: string, positions: ArrayLike<number>): Dataset {
  const vars = new Map<string, DataArray>();
  for (const n of ds.dataVars) vars.set(n, takeAlong(ds.variable(n), dim, positions));
  const coords = new Map<string, DataArray>();
  for (const [n, c] of Object.entries(ds.coords)) coords.set(n, takeAlong(c, dim, positions));
  return Dataset.fromParts(vars, coords, ds.attrs);
}

/** Transpose flat C-order values: output axis k is input axis perm[k]. */
export function transposeValues(values: ArrayData, dtype: DType, shape: readonly number[], perm: readonly number[]): ArrayData {
  if (perm.every((p, k) => p === k)) return values;
  const n = values.length;
  const out = allocate(dtype, n) as Writable;
  const inStrides = new Array<number>(shape.length);
  let st = 1;
  for (let a = shape.length - 1; a >= 0; a--) { inStrides[a] = st; st *= shape[a]; }
  const oShape = perm.map((p) => shape[p]);
  const oStrides = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(perm.length).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = values[src];
    for (let k = perm.length - 1; k >= 0; k--) {
      if (++idx[k] < oShape[k]) { src += oStrides[k]; break; }
      idx[k] = 0;
      src -= (oShape[k] - 1) * oStrides[k];
    }
  }
  return out as ArrayData;
}

export function transposeArray(da: DataArray, dims: readonly string[]): DataArray {
  const perm = dims.map((d) => da.dims.indexOf(d));
  return da.with({ values: transposeValues(da.values, da.dtype, da.shape, perm), dims, shape: perm.map((p) => da.shape[p]), dtype: da.dtype });
}

/** Common dtype of the parts, with NaN room when some part is missing. */
function commonDType(parts: Array<DataArray | null>, what: string): DType {
  let dtype: DType | null = null;
  for (const p of parts) {
    if (!p) continue;
    try {
      dtype = dtype === null ? p.dtype : promoteTypes(dtype, p.dtype);
    } catch {
      throw new ToolBoxValueError(`cannot combine the results for ${what}: dtypes ${dtype} and ${p.dtype} do not mix`);
    }
  }
  if (dtype === null) throw new ToolBoxValueError(`no results to combine for ${what}`);
  return parts.some((p) => !p) ? dtypeWithNaN(dtype) : dtype;
}

/**
 * Stack same-shaped arrays along a new first dimension `newDim`; a null part is
 * a row of NaN (an empty bin). Coords are taken from the first part.
 */
export function stackFirst(parts: Array<DataArray | null>, newDim: string, label: DataArray, what: string): DataArray {
  const first = parts.find((p) => p) as DataArray;
  for (const p of parts) {
    if (p && (p.dims.join() !== first.dims.join() || p.shape.join() !== first.shape.join())) {
      throw new ToolBoxValueError(`cannot combine the results for ${what}: dims (${p.dims.join(', ')}) shape [${p.shape.join(', ')}] differ from (${first.dims.join(', ')}) [${first.shape.join(', ')}]`);
    }
  }
  if (first.dims.includes(newDim)) throw new ToolBoxValueError(`cannot combine the results for ${what}: they already have a dimension '${newDim}'`);
  const dtype = commonDType(parts, what);
  const m = first.size;
  const out = allocate(dtype, m * parts.length);
  parts.forEach((p, k) => {
    if (!p) { (out as Float64Array | string[]).fill((dtype === 'string' ? 'nan' : NaN) as never, k * m, (k + 1) * m); return; }
    copyRange(p.dtype === dtype ? p.values : castData(p.values, dtype), 0, out, k * m, m);
  });
  const coords: Record<string, DataArray> = { ...first.coords, [newDim]: label };
  return DataArray.fromParts({
    values: out, dims: [newDim, ...first.dims], shape: [parts.length, ...first.shape], dtype,
    coords, attrs: first.attrs, name: first.name,
  });
}

/** Concatenate arrays along their existing `dim` (other dims equal); coords on `dim` are concatenated too. */
export function concatAlong(parts: DataArray[], dim: string, what: string): DataArray {
  const first = parts[0];
  const axis = first.dims.indexOf(dim);
  for (const p of parts) {
    const same = p.dims.join() === first.dims.join() && p.shape.every((s, a) => a === axis || s === first.shape[a]);
    if (!same) throw new ToolBoxValueError(`cannot concatenate the results for ${what} along '${dim}': dims (${p.dims.join(', ')}) shape [${p.shape.join(', ')}] do not match (${first.dims.join(', ')}) [${first.shape.join(', ')}]`);
  }
  const dtype = commonDType(parts, what);
  const O = prod(first.shape.slice(0, axis)), I = prod(first.shape.slice(axis + 1));
  const total = parts.reduce((s, p) => s + p.shape[axis], 0);
  const out = allocate(dtype, O * total * I);
  const vals = parts.map((p) => (p.dtype === dtype ? p.values : castData(p.values, dtype)));
  let w = 0;
  for (let o = 0; o < O; o++) {
    parts.forEach((p, k) => {
      const len = p.shape[axis] * I;
      copyRange(vals[k], o * len, out, w, len);
      w += len;
    });
  }
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(first.coords)) {
    if (!c.dims.includes(dim)) { coords[n] = c; continue; }
    if (parts.every((p) => p.coords[n])) coords[n] = concatAlong(parts.map((p) => p.coords[n]), dim, `coordinate '${n}'`);
  }
  const shape = first.shape.slice();
  shape[axis] = total;
  return DataArray.fromParts({ values: out, dims: first.dims, shape, dtype, coords, attrs: first.attrs, name: first.name });
}
