/**
 * Array plumbing for groupby: taking positions along a dim, transposing, and
 * concatenating/stacking the pieces GroupBy.map gets back, on the layout
 * kernels. Kept apart so grouping does not depend on the indexing and combine
 * modules.
 */
import { ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, allocate, castData, dtypeWithNaN, promoteTypes } from './dtype.js';
import { DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { copyRun, fullAxis, product, take, transposeData } from './kernels.js';


/** Values at `positions` along `axis` (C order kept). */
function takeValues(values: ArrayData, shape: readonly number[], axis: number, positions: ArrayLike<number>): ArrayData {
  const idx = Int32Array.from(positions);
  return take(values, shape, shape.map((s, a) => (a === axis ? { n: idx.length, idx, start: 0, step: 1 } : fullAxis(s))));
}

/** A DataArray restricted to `positions` along `dim` (coords on that dim follow). */
export function takeAlong(da: DataArray, dim: string, positions: ArrayLike<number>): DataArray {
  const axis = da.dims.indexOf(dim);
  if (axis < 0) return da;
  const shape = da.shape.slice();
  shape[axis] = positions.length;
  const coords: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(da.coords)) coords[n] = c.dims.includes(dim) ? takeAlong(c, dim, positions) : c;
  return da.with({ values: takeValues(da.values, da.shape, axis, positions), shape, dtype: da.dtype, coords });
}

export function takeAlongDataset(ds: Dataset, dim: string, positions: ArrayLike<number>): Dataset {
  const vars = new Map<string, DataArray>();
  for (const n of ds.dataVars) vars.set(n, takeAlong(ds.variable(n), dim, positions));
  const coords = new Map<string, DataArray>();
  for (const [n, c] of Object.entries(ds.coords)) coords.set(n, takeAlong(c, dim, positions));
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function transposeArray(da: DataArray, dims: readonly string[]): DataArray {
  const perm = dims.map((d) => da.dims.indexOf(d));
  return da.with({ values: transposeData(da.values, da.shape, perm), dims, shape: perm.map((p) => da.shape[p]), dtype: da.dtype });
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
    copyRun(out, k * m, p.dtype === dtype ? p.values : castData(p.values, dtype), 0, m);
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
  const O = product(first.shape.slice(0, axis)), I = product(first.shape.slice(axis + 1));
  const total = parts.reduce((s, p) => s + p.shape[axis], 0);
  const out = allocate(dtype, O * total * I);
  const vals = parts.map((p) => (p.dtype === dtype ? p.values : castData(p.values, dtype)));
  let w = 0;
  for (let o = 0; o < O; o++) {
    parts.forEach((p, k) => {
      const len = p.shape[axis] * I;
      copyRun(out, w, vals[k], o * len, len);
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
