/**
 * xarray.merge: combine the variables of several Datasets (and named
 * DataArrays) into one Dataset, aligning their indexes first (join 'outer' by
 * default). Variables of the same name must agree per `compat`; the default
 * 'no_conflicts' lets one object fill the NaNs of another.
 */
import { ToolBoxValueError } from '../errors.js';
import { DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type DType, allocate, isFloat, promoteTypes } from './dtype.js';
import { type Join, align, expandVariable } from './align.js';
import { sourceFor } from './gather.js';
import { isIndexCoord } from './common.js';
import { type CombineAttrs, arraysEqual, attrsEqual, combineAttrs, sameValue } from './combine-attrs.js';
import { checkOptions } from '../options.js';
import { MERGE_OPTIONS } from './option-names.js';

/** Options of merge (xarray's). */
export interface MergeOptions {
  /** How the indexes combine (default 'outer'). */
  join?: Join;
  /** When variables of the same name conflict (default 'no_conflicts': equal where both have values). */
  compat?: 'no_conflicts' | 'equals' | 'identical' | 'broadcast_equals' | 'override';
  /** Value at labels an object lacks (default NaN). */
  fillValue?: number;
  /** How the attrs combine (default 'override': the first object's). */
  combineAttrs?: CombineAttrs;
}

function toDataset(o: Dataset | DataArray, i: number): Dataset {
  if (o instanceof Dataset) return o;
  if (!(o instanceof DataArray)) throw new ToolBoxValueError(`merge takes Datasets and DataArrays; object ${i} is ${typeof o}`);
  if (o.name === null) {
    throw new ToolBoxValueError(`merge needs named DataArrays: object ${i} has no name; give it one with rename('name')`);
  }
  const data = DataArray.fromParts({ values: o.values, dims: o.dims, shape: o.shape, dtype: o.dtype, attrs: o.attrs, name: o.name, encoding: o.encoding });
  // Like xarray's to_dataset(promote_attrs=True): the array's attrs are also the Dataset's.
  return Dataset.fromParts({ [o.name]: data }, o.coords, o.attrs);
}

function conflict(name: string, i: number, compat: string): never {
  throw new ToolBoxValueError(`conflicting values for variable '${name}' on objects to be combined (object ${i} differs from the ones before under compat='${compat}'); use compat='override' to keep the first`);
}

function unionDims(vs: DataArray[]): string[] {
  const dims: string[] = [];
  for (const v of vs) for (const d of v.dims) if (!dims.includes(d)) dims.push(d);
  return dims;
}

function sameDimSet(a: DataArray, b: DataArray): boolean {
  return a.dims.length === b.dims.length && a.dims.every((d) => b.dims.includes(d));
}

/** One variable out of the same-named variables of the aligned inputs. */
function resolve(name: string, vs: DataArray[], owners: number[], compat: NonNullable<MergeOptions['compat']>, sizes: Map<string, number>, how: CombineAttrs): DataArray {
  const attrs = combineAttrs(vs.map((v) => v.attrs), how, `variable '${name}'`);
  const first = vs[0];
  if (vs.length === 1 || compat === 'override') return vs.length === 1 ? first : first.with({ attrs });
  if (compat === 'equals' || compat === 'identical') {
    vs.forEach((v, k) => {
      if (k === 0) return;
      const ok = sameDimSet(first, v) && arraysEqual(first.values, expandVariable(v, first.dims, sizes).values)
        && (compat === 'equals' || attrsEqual(first.attrs, v.attrs));
      if (!ok) conflict(name, owners[k], compat);
    });
    return first.with({ attrs });
  }
  const dims = unionDims(vs);
  const wide = vs.map((v) => expandVariable(v, dims, sizes));
  if (compat === 'broadcast_equals') {
    wide.forEach((w, k) => { if (k > 0 && !arraysEqual(wide[0].values, w.values)) conflict(name, owners[k], compat); });
    return wide[0].with({ attrs });
  }
  if (compat !== 'no_conflicts') throw new ToolBoxValueError(`unknown compat '${String(compat)}'; use one of no_conflicts, equals, identical, broadcast_equals, override`);
  let dtype: DType = wide[0].dtype;
  for (const w of wide.slice(1)) {
    if ((w.dtype === 'string') !== (dtype === 'string')) conflict(name, owners[wide.indexOf(w)], compat);
    dtype = promoteTypes(dtype, w.dtype);
  }
  const out = allocate(dtype, wide[0].size);
  const o = out as unknown[];
  if (Array.isArray(out)) (wide[0].values as string[]).forEach((s, k) => { o[k] = s; });
  else (out as Float64Array).set(sourceFor(wide[0].values, wide[0].dtype, dtype) as Float64Array);
  const nullable = isFloat(dtype);
  wide.forEach((w, k) => {
    if (k === 0) return;
    const src = sourceFor(w.values, w.dtype, dtype) as ArrayLike<unknown>;
    for (let j = 0; j < o.length; j++) {
      const a = o[j], b = src[j];
      // x !== x only for NaN: a missing value takes the other's.
      if (nullable && a !== a) { o[j] = b; continue; }
      if (nullable && b !== b) continue;
      if (!sameValue(a, b)) conflict(name, owners[k], compat);
    }
  });
  return DataArray.fromParts({ values: out, dims, shape: wide[0].shape, dtype, attrs, name, encoding: first.encoding });
}

/**
 * xarray.merge. DataArrays must be named (their name becomes the variable
 * name, their attrs the Dataset's). Names that are coordinates in any input
 * are coordinates of the result.
 */
export function merge(objs: Array<Dataset | DataArray>, options: MergeOptions = {}): Dataset {
  checkOptions('merge', options, MERGE_OPTIONS);
  if (objs.length === 0) return new Dataset();
  const aligned = align(objs.map(toDataset), { join: options.join ?? 'outer', fillValue: options.fillValue });
  const how = options.combineAttrs ?? 'override';
  const sizes = new Map<string, number>();
  aligned.forEach((ds, i) => {
    for (const [d, n] of Object.entries(ds.sizes)) {
      if (sizes.has(d) && sizes.get(d) !== n) {
        throw new ToolBoxValueError(`cannot merge: dimension '${d}' has size ${sizes.get(d)} in an earlier object but ${n} in object ${i}`);
      }
      sizes.set(d, n);
    }
  });
  const groups = new Map<string, { vs: DataArray[]; owners: number[]; coord: boolean }>();
  const add = (name: string, v: DataArray, owner: number, coord: boolean) => {
    const g = groups.get(name) ?? { vs: [], owners: [], coord: false };
    g.vs.push(v); g.owners.push(owner); g.coord ||= coord;
    groups.set(name, g);
  };
  aligned.forEach((ds, i) => {
    for (const [n, c] of Object.entries(ds.coords)) add(n, c, i, true);
    for (const n of ds.dataVars) add(n, ds.variable(n), i, false);
  });
  const coords = new Map<string, DataArray>(), vars = new Map<string, DataArray>();
  for (const [name, g] of groups) {
    // Index coordinates are equal after alignment; only their attrs combine.
    const isIndex = g.coord && g.vs.every((v) => isIndexCoord(name, v));
    const v = isIndex
      ? g.vs[0].with({ attrs: combineAttrs(g.vs.map((x) => x.attrs), how, `coordinate '${name}'`) })
      : resolve(name, g.vs, g.owners, options.compat ?? 'no_conflicts', sizes, how);
    (g.coord ? coords : vars).set(name, v);
  }
  return Dataset.fromParts(vars, coords, combineAttrs(aligned.map((ds) => ds.attrs), how, 'the merged Dataset'));
}
