/**
 * xarray.concat: stack DataArrays or Datasets along an existing dimension or
 * a new one. The other dimensions are aligned first (join 'outer' by default,
 * 'inner' for the usual "16 DSSC modules on common trains"); each input is
 * then gathered straight into its slot of the result, so an input that needs
 * reindexing is copied once, not twice, and an aligned one is one block copy.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type Attrs, DataArray } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type DType, allocate, promoteTypes } from './dtype.js';
import { type Indexers, type Join, planAlignment, reindexVariable } from './align.js';
import { type GatherAxis, fillDType, fillScalar, gatherInto, sourceFor } from './gather.js';
import { product, stridesOf } from './kernels.js';
import { isIndexCoord, sameVariable } from './common.js';
import { type CombineAttrs, combineAttrs } from './combine-attrs.js';
import { merge, type MergeOptions } from './merge.js';
import { checkOptions } from '../options.js';
import { CONCAT_OPTIONS } from './option-names.js';

export { merge };
export type { MergeOptions, CombineAttrs };

/** Options of concat (xarray's). */
export interface ConcatOptions {
  /** How the indexes of the other dims combine (default 'outer'). */
  join?: Join;
  /** Value at labels an object lacks (default NaN). */
  fillValue?: number;
  /** Which coordinates without the concat dim get concatenated: those that differ (default), none, or all. */
  coords?: 'minimal' | 'different' | 'all';
  /** 'override' takes coordinates that are not concatenated from the first object without comparing. */
  compat?: 'equals' | 'override';
  /** How the attrs combine (default 'override': the first object's). */
  combineAttrs?: CombineAttrs;
}

/** Variables of one input as concat sees them. */
interface Parts {
  vars: Map<string, DataArray>;
  coords: Map<string, DataArray>;
  sizes: Map<string, number>;
  attrs: Attrs;
}

// A DataArray's data travels as a variable of this name (never a user name: it has a NUL).
const DATA = '\0data';

function partsOf(o: DataArray | Dataset): Parts {
  if (o instanceof DataArray) {
    const data = DataArray.fromParts({ values: o.values, dims: o.dims, shape: o.shape, dtype: o.dtype, attrs: o.attrs, name: DATA, encoding: o.encoding });
    return { vars: new Map([[DATA, data]]), coords: new Map(Object.entries(o.coords)), sizes: new Map(o.dims.map((d, i) => [d, o.shape[i]])), attrs: o.attrs };
  }
  const vars = new Map(o.dataVars.map((n) => [n, o.variable(n)] as [string, DataArray]));
  return { vars, coords: new Map(Object.entries(o.coords)), sizes: new Map(Object.entries(o.sizes)), attrs: o.attrs };
}

function label(name: string): string {
  return name === DATA ? 'the data' : `variable '${name}'`;
}

/** The concat dim's name and, when given as a DataArray, its coordinate. */
function concatDim(dim: string | DataArray, n: number): { name: string; coord: DataArray | null } {
  if (typeof dim === 'string') return { name: dim, coord: null };
  if (!(dim instanceof DataArray) || dim.ndim !== 1) {
    throw new ToolBoxTypeError(`concat dim must be a dimension name or a 1-D DataArray of labels, got ${dim instanceof DataArray ? `dims (${dim.dims.join(', ')})` : typeof dim}`);
  }
  if (dim.size !== n) {
    throw new ToolBoxValueError(`concat dim '${dim.dims[0]}' has ${dim.size} labels but ${n} objects are concatenated`);
  }
  const name = dim.dims[0];
  return { name, coord: DataArray.fromParts({ values: dim.values, dims: [name], shape: [dim.size], dtype: dim.dtype, attrs: dim.attrs, name }) };
}

/**
 * Concatenate the same variable of every input along `dim`. `vs[i]` is the
 * unaligned variable of input i; `indexers[i]` says how to align it.
 */
function concatVariable(
  name: string, vs: DataArray[], indexers: Indexers[], lens: number[], dim: string,
  sizes: Map<string, number>, fill: number, how: CombineAttrs,
): DataArray {
  const dims: string[] = [];
  for (const v of vs) for (const d of v.dims) if (!dims.includes(d)) dims.push(d);
  if (!dims.includes(dim)) dims.unshift(dim);
  const total = lens.reduce((a, b) => a + b, 0);
  const shape = dims.map((d) => (d === dim ? total : sizes.get(d)!));

  let dtype: DType = vs[0].dtype;
  let missing = false;
  vs.forEach((v, i) => {
    if ((v.dtype === 'string') !== (dtype === 'string')) {
      throw new ToolBoxTypeError(`cannot concatenate ${label(name)}: object ${i} holds ${v.dtype} but earlier objects hold ${dtype}`);
    }
    dtype = promoteTypes(dtype, v.dtype);
    for (const d of v.dims) if (indexers[i].get(d)?.includes(-1)) missing = true;
  });
  if (missing) dtype = fillDType(dtype, fill);

  const out = allocate(dtype, product(shape));
  const dst = stridesOf(shape);
  const axis = dims.indexOf(dim);
  const fillWith = fillScalar(dtype, fill);
  let offset = 0;
  vs.forEach((v, i) => {
    const src = stridesOf(v.shape);
    const axes: GatherAxis[] = dims.map((d, k) => {
      const a = v.dims.indexOf(d);
      return {
        size: d === dim ? lens[i] : shape[k],
        srcStride: a < 0 ? 0 : src[a],
        dstStride: dst[k],
        index: d === dim || a < 0 ? null : indexers[i].get(d) ?? null,
      };
    });
    gatherInto(sourceFor(v.values, v.dtype, dtype), 0, out, offset * dst[axis], axes, fillWith);
    offset += lens[i];
  });
  return DataArray.fromParts({
    values: out, dims, shape, dtype, name, encoding: vs[0].encoding,
    attrs: combineAttrs(vs.map((v) => v.attrs), how, label(name)),
  });
}

function requireInAll(name: string, parts: Parts[], where: 'vars' | 'coords'): DataArray[] {
  return parts.map((p, i) => {
    const v = p[where].get(name) ?? p.vars.get(name) ?? p.coords.get(name);
    if (!v) {
      const has = parts.findIndex((q) => q.vars.has(name) || q.coords.has(name));
      throw new ToolBoxValueError(`cannot concatenate: ${label(name)} is present in object ${has} but missing from object ${i}`);
    }
    return v;
  });
}

/**
 * xarray.concat. `dim` is a dimension name (existing or new, the latter
 * without a coordinate) or a 1-D DataArray whose values label the new
 * dimension (e.g. module numbers). Data variables are always concatenated,
 * gaining `dim` if they lack it (xarray's data_vars='all').
 */
export function concat<T extends DataArray | Dataset>(objs: T[], dim: string | DataArray, options: ConcatOptions = {}): T {
  checkOptions('concat', options, CONCAT_OPTIONS);
  if (objs.length === 0) throw new ToolBoxValueError('concat needs at least one object to concatenate');
  const isArray = objs[0] instanceof DataArray;
  objs.forEach((o, i) => {
    if ((o instanceof DataArray) !== isArray || !(o instanceof DataArray || o instanceof Dataset)) {
      throw new ToolBoxTypeError(`concat needs all DataArrays or all Datasets: object 0 is a ${isArray ? 'DataArray' : 'Dataset'} but object ${i} is ${o instanceof Dataset ? 'a Dataset' : o instanceof DataArray ? 'a DataArray' : typeof o}`);
    }
  });
  const { name: d, coord } = concatDim(dim, objs.length);
  const fill = options.fillValue ?? NaN;
  const how = options.combineAttrs ?? 'override';
  const coordsMode = options.coords ?? 'different';

  const plan = planAlignment(objs, { join: options.join ?? 'outer', exclude: [d], fillValue: fill });
  const parts = objs.map(partsOf);
  const lens = parts.map((p) => p.sizes.get(d) ?? 1);
  const total = lens.reduce((a, b) => a + b, 0);
  if (coord && coord.size !== total) {
    throw new ToolBoxValueError(`concat dim '${d}' has ${coord.size} labels but the result has ${total} positions along it`);
  }
  const sizes = plan.sizes;
  const cat = (name: string, vs: DataArray[]) => concatVariable(name, vs, plan.indexers, lens, d, sizes, fill, how);

  // Variables named in any input must be in every input (xarray raises too).
  const names = new Set<string>();
  for (const p of parts) for (const n of [...p.coords.keys(), ...p.vars.keys()]) names.add(n);
  for (const n of names) requireInAll(n, parts, 'coords');

  const first = parts[0];
  const outCoords = new Map<string, DataArray>();
  for (const [name, c] of first.coords) {
    if (plan.indexes.has(name) && isIndexCoord(name, c)) { outCoords.set(name, plan.indexes.get(name)!); continue; }
    const vs = requireInAll(name, parts, 'coords');
    if (vs.some((v) => v.dims.includes(d)) || (coordsMode === 'all' && name !== d)) { outCoords.set(name, cat(name, vs)); continue; }
    const aligned = vs.map((v, i) => reindexVariable(v, plan.indexers[i], fill));
    // First object whose coordinate differs from object 0's (-1: all equal).
    const i = options.compat === 'override' ? -1 : aligned.findIndex((v) => !sameVariable(v, aligned[0]));
    if (i < 0) {
      outCoords.set(name, aligned[0]);
    } else if (coordsMode === 'different') {
      outCoords.set(name, cat(name, vs));
    } else {
      throw new ToolBoxValueError(`cannot concatenate with coords='minimal': coordinate '${name}' differs between object 0 and object ${i}; use coords='different' to concatenate it or compat='override' to keep the first`);
    }
  }
  // Inputs without an index on some dim get the joined one, like every other input.
  for (const [name, ix] of plan.indexes) if (!outCoords.has(name)) outCoords.set(name, ix);
  if (coord) outCoords.set(d, coord);

  const outVars = new Map<string, DataArray>();
  for (const name of first.vars.keys()) outVars.set(name, cat(name, requireInAll(name, parts, 'vars')));

  const attrs = combineAttrs(parts.map((p) => p.attrs), how, isArray ? 'the concatenated DataArray' : 'the concatenated Dataset');
  if (isArray) {
    const data = outVars.get(DATA)!;
    const coords: Record<string, DataArray> = {};
    for (const [n, c] of outCoords) if (c.dims.every((x) => data.dims.includes(x))) coords[n] = c;
    const first0 = objs[0] as DataArray;
    return DataArray.fromParts({
      values: data.values, dims: data.dims, shape: data.shape, dtype: data.dtype, coords, attrs, name: first0.name, encoding: first0.encoding,
    }) as T;
  }
  return Dataset.fromParts(outVars, outCoords, attrs) as T;
}
