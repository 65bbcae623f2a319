/**
 * xarray's groupby and groupby_bins. Grouping computes one code per position
 * along the grouped dimension; reductions then scatter every element into
 * per-group float64 accumulators in a single pass over the data (no group is
 * ever materialised), which is what makes binning 1e7 values fast.
 *
 * Results follow xarray 2023.01 (Debian's): labels sorted, NaN labels dropped,
 * a DataArray keeps the new dimension where the grouped one was while Dataset
 * variables get it first, attrs are kept by default, and groupby_bins keeps
 * EMPTY bins as NaN (xarray reindexes the result onto all bins, so even sum and
 * count give NaN there and integer results turn float).
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { DataArray, type GroupByBinsOptions, type ReduceOptions } from './dataarray.js';
import { Dataset } from './dataset.js';
import type { ArrayData, DType } from './dtype.js';
import { type AggOp, type AggResult, NUMERIC_ONLY, aggregate, fillNaN } from './aggregate.js';
import { reduce, parseReduceArgs } from './reduce.js';
import { factorize } from './factorize.js';
import { product, transposeData } from './kernels.js';
import { stack } from './stack.js';
import { binCodes, groupNumbers, intervalLabels, resolveBins } from './groupby-bins.js';
import { concatAlong, stackFirst, takeAlong, takeAlongDataset, transposeArray } from './groupby-combine.js';

/** xarray's GroupBy: the result of groupby() and groupbyBins(), reduced per group. */
export interface GroupBy<T extends DataArray | Dataset> {
  /** Label → positions along the grouped dim, for the groups that have members. */
  readonly groups: Map<unknown, number[]>;
  /** Sum of each group (NaN skipped by default). */
  sum(options?: ReduceOptions): T;
  /** Mean of each group (NaN skipped by default). */
  mean(options?: ReduceOptions): T;
  /** Standard deviation of each group (NaN skipped by default; `ddof` as in numpy). */
  std(options?: ReduceOptions): T;
  /** Variance of each group (NaN skipped by default; `ddof` as in numpy). */
  var(options?: ReduceOptions): T;
  /** Minimum of each group (NaN skipped by default). */
  min(options?: ReduceOptions): T;
  /** Maximum of each group (NaN skipped by default). */
  max(options?: ReduceOptions): T;
  /** Number of non-NaN values in each group. */
  count(options?: ReduceOptions): T;
  /**
   * Apply `fn` to every non-empty group and combine: results that keep the
   * grouped dim are concatenated back in the original order, others are
   * stacked along the new dim (empty bins become NaN).
   */
  map(fn: (group: T, label: unknown) => T): T;
}

/** Where each position along the grouped dim goes. */
interface Grouper {
  /** The dimension being grouped. */
  dim: string;
  /** The new dimension (the group's name, or `<name>_bins`). */
  name: string;
  /** Group of each position along `dim`; -1 for none (NaN label, outside the bins). */
  codes: Int32Array;
  nGroups: number;
  /** Coordinate of the new dimension: one label per group. */
  labels: DataArray;
  /** Positions per group (0 for an empty bin). */
  sizes: Float64Array;
  /** Data variable grouped by, left out of Dataset results (it becomes the labels). */
  groupVar: string | null;
}

interface ResolvedGroup { dim: string; name: string; values: ArrayData; dtype: DType; groupVar: string | null }

function resolveGroup(obj: DataArray | Dataset, group: string | DataArray): ResolvedGroup {
  const sizes = obj.sizes;
  let g: DataArray | null = null;
  let name: string;
  let groupVar: string | null = null;
  if (typeof group === 'string') {
    name = group;
    if (obj instanceof DataArray) {
      g = obj.coords[group] ?? null;
    } else if (obj.has(group)) {
      g = obj.variable(group);
      if (obj.dataVars.includes(group)) groupVar = group;
    }
    if (!g) {
      if (!(group in sizes)) {
        const coords = Object.keys(obj.coords);
        throw new ToolBoxValueError(`groupby: no coordinate${obj instanceof Dataset ? ', variable' : ''} or dimension '${group}'; coordinates: ${coords.join(', ') || '(none)'}; dims: ${Object.keys(sizes).join(', ')}`);
      }
      // A dimension without coordinate groups by position, like xarray's dummy group.
      const n = sizes[group];
      return { dim: group, name, values: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), dtype: 'int64', groupVar };
    }
  } else if (group instanceof DataArray) {
    if (!group.name) throw new ToolBoxValueError('groupby: a DataArray group must have a name (it names the new dimension)');
    g = group;
    name = group.name;
  } else {
    throw new ToolBoxTypeError(`groupby: group must be a coordinate name or a 1-D DataArray, got ${String(group)}`);
  }
  if (g.ndim !== 1) throw new ToolBoxValueError(`groupby: group '${name}' must be 1-D, it has dims (${g.dims.join(', ')})`);
  const dim = g.dims[0];
  if (!(dim in sizes)) throw new ToolBoxValueError(`groupby: group '${name}' lies along '${dim}', which is not a dimension here (dims: ${Object.keys(sizes).join(', ')})`);
  if (sizes[dim] !== g.shape[0]) throw new ToolBoxValueError(`groupby: group '${name}' has length ${g.shape[0]} but dimension '${dim}' has ${sizes[dim]}`);
  return { dim, name, values: g.values, dtype: g.dtype, groupVar };
}

function groupSizes(codes: Int32Array, ng: number): Float64Array {
  const sizes = new Float64Array(ng);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) sizes[codes[i]]++;
  return sizes;
}

function checkNewDim(obj: DataArray | Dataset, dim: string, name: string): void {
  if (name !== dim && name in obj.sizes) {
    throw new ToolBoxValueError(`groupby: the result dimension '${name}' would clash with an existing dimension of that name`);
  }
}

/**
 * xarray groups over an N-D group (a radial bin per pixel) by stacking the
 * group's dims into one, `stacked_<dim>_<dim>`, in the object and the group
 * alike; reductions then remove that dim.
 */
function stackForGroup<T extends DataArray | Dataset>(obj: T, group: string | DataArray): { obj: T; group: string | DataArray } {
  let g: DataArray | undefined;
  if (group instanceof DataArray) g = group;
  else if (typeof group === 'string') g = obj instanceof DataArray ? obj.coords[group] : obj.has(group) ? obj.variable(group) : undefined;
  if (!g || g.ndim < 2) return { obj, group };
  const sizes = obj.sizes;
  for (const d of g.dims) {
    if (!(d in sizes)) throw new ToolBoxValueError(`groupby: group '${g.name ?? group}' lies along '${d}', which is not a dimension here (dims: ${Object.keys(sizes).join(', ')})`);
  }
  const dim = `stacked_${g.dims.join('_')}`;
  const stacked = stack(obj, { [dim]: [...g.dims] }, 'groupby');
  if (typeof group === 'string') return { obj: stacked, group };
  const bare = DataArray.fromParts({ values: g.values, dims: g.dims, shape: g.shape, dtype: g.dtype, name: g.name });
  return { obj: stacked, group: stack(bare, { [dim]: [...g.dims] }, 'groupby') };
}

export function groupby<T extends DataArray | Dataset>(input: T, by: string | DataArray): GroupBy<T> {
  const { obj, group } = stackForGroup(input, by);
  const r = resolveGroup(obj, group);
  checkNewDim(obj, r.dim, r.name);
  const { codes, labels } = factorize(r.values, r.dtype);
  if (labels.length === 0) throw new ToolBoxValueError(`groupby: failed to group by '${r.name}': all of its values are NaN`);
  const labelCoord = DataArray.fromParts({ values: labels, dims: [r.name], shape: [labels.length], dtype: r.dtype, name: r.name });
  return new GroupByImpl(obj, {
    dim: r.dim, name: r.name, codes, nGroups: labels.length, labels: labelCoord, sizes: groupSizes(codes, labels.length), groupVar: r.groupVar,
  });
}

export function groupbyBins<T extends DataArray | Dataset>(input: T, by: string | DataArray, bins: number[] | ArrayLike<number> | number, options: GroupByBinsOptions = {}): GroupBy<T> {
  const { obj, group } = stackForGroup(input, by);
  const r = resolveGroup(obj, group);
  const name = `${r.name}_bins`;
  checkNewDim(obj, r.dim, name);
  const right = options.right ?? true;
  const includeLowest = options.includeLowest ?? false;
  const x = groupNumbers(r.values, `group '${r.name}'`);
  const b = resolveBins(bins, x, right, `group '${r.name}'`);
  const nb = b.edges.length - 1;
  let codes = binCodes(x, b.edges, right, includeLowest);
  let labels: DataArray;
  if (options.labels !== undefined) {
    if (options.labels.length !== nb) throw new ToolBoxValueError(`groupbyBins: ${options.labels.length} labels given for ${nb} bins; give one label per bin`);
    if (new Set(options.labels).size !== nb) throw new ToolBoxValueError('groupbyBins: labels must be unique');
    labels = new DataArray(options.labels, { dims: [name], name });
  } else {
    const l = intervalLabels(b, right, includeLowest);
    labels = DataArray.fromParts({ values: l, dims: [name], shape: [nb], dtype: 'string', name });
  }
  let sizes = groupSizes(codes, nb);
  if (!sizes.some((s) => s > 0)) {
    throw new ToolBoxValueError(`groupbyBins: none of the values of '${r.name}' falls within bins with edges [${Array.from(b.edges).join(', ')}]`);
  }
  if (options.restoreCoordOrder === false) {
    // Drop empty bins: renumber the codes over the bins that have data.
    const keep: number[] = [];
    const remap = new Int32Array(nb).fill(-1);
    sizes.forEach((s, i) => { if (s > 0) { remap[i] = keep.length; keep.push(i); } });
    codes = codes.map((c) => (c >= 0 ? remap[c] : -1));
    labels = takeAlong(labels, name, keep);
    sizes = Float64Array.from(keep, (i) => sizes[i]);
  }
  return new GroupByImpl(obj, { dim: r.dim, name, codes, nGroups: sizes.length, labels, sizes, groupVar: r.groupVar });
}

class GroupByImpl<T extends DataArray | Dataset> implements GroupBy<T> {
  private _groups?: Map<unknown, number[]>;
  private _positions?: number[][];

  constructor(private readonly obj: T, private readonly g: Grouper) {}

  /** Positions along the grouped dim of each group (empty groups included, as []). */
  private positions(): number[][] {
    if (!this._positions) {
      const pos: number[][] = Array.from({ length: this.g.nGroups }, () => []);
      const codes = this.g.codes;
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) pos[codes[i]].push(i);
      this._positions = pos;
    }
    return this._positions;
  }

  private label(c: number): unknown {
    const v = this.g.labels.values[c];
    return this.g.labels.dtype === 'bool' ? v === 1 : v;
  }

  /** Label → positions along the grouped dim, for the groups that have members. */
  get groups(): Map<unknown, number[]> {
    if (!this._groups) {
      const m = new Map<unknown, number[]>();
      this.positions().forEach((p, c) => { if (p.length) m.set(this.label(c), p); });
      this._groups = m;
    }
    return this._groups;
  }

  sum(options?: ReduceOptions): T { return this.reduce('sum', options); }
  mean(options?: ReduceOptions): T { return this.reduce('mean', options); }
  std(options?: ReduceOptions): T { return this.reduce('std', options); }
  var(options?: ReduceOptions): T { return this.reduce('var', options); }
  min(options?: ReduceOptions): T { return this.reduce('min', options); }
  max(options?: ReduceOptions): T { return this.reduce('max', options); }
  count(options?: ReduceOptions): T { return this.reduce('count', options); }

  private reduce(op: AggOp, options: ReduceOptions = {}): T {
    const { dims, options: o } = parseReduceArgs(`GroupBy.${op}`, options);
    if (dims !== null && (dims.length !== 1 || dims[0] !== this.g.dim)) {
      throw new ToolBoxValueError(`groupby ${op}: reduces over the grouped dimension '${this.g.dim}' only; got dim (${dims.join(', ')})`);
    }
    const keepAttrs = o.keepAttrs ?? true;
    const obj = this.obj;
    if (obj instanceof DataArray) return this.reduceArray(obj, op, o, keepAttrs) as T;
    return this.reduceDataset(obj as Dataset, op, o, keepAttrs) as T;
  }

  /** Grouped aggregation of a variable having the grouped dim: values laid out [before, group, after]. */
  private aggregate(v: DataArray, op: AggOp, o: ReduceOptions, what: string): AggResult {
    const g = this.g, axis = v.dims.indexOf(g.dim);
    const O = product(v.shape.slice(0, axis));
    const I = product(v.shape.slice(axis + 1));
    const n = v.shape[axis], ng = g.nGroups, codes = g.codes;
    const nSlots = O * ng * I;
    const sizes = new Float64Array(nSlots);
    for (let s = 0; s < nSlots; s++) sizes[s] = g.sizes[Math.floor(s / I) % ng];
    let maxPerSlot = 0;
    for (let c = 0; c < ng; c++) if (g.sizes[c] > maxPerSlot) maxPerSlot = g.sizes[c];
    const res = aggregate(op, {
      values: v.values, dtype: v.dtype, nSlots, sizes, maxPerSlot,
      feed: (acc) => { for (let b = 0; b < O; b++) acc.rowsInto(b * n * I, n, I, b * ng * I, codes); },
    }, o, what);
    const empty: number[] = [];
    for (let c = 0; c < ng; c++) {
      if (g.sizes[c] > 0) continue;
      for (let b = 0; b < O; b++) for (let i = 0; i < I; i++) empty.push((b * ng + c) * I + i);
    }
    return empty.length ? fillNaN(res, empty) : res;
  }

  private reduceArray(da: DataArray, op: AggOp, o: ReduceOptions, keepAttrs: boolean): DataArray {
    const g = this.g, axis = da.dims.indexOf(g.dim);
    const res = this.aggregate(da, op, o, da.name ? `'${da.name}'` : 'the array');
    const dims = da.dims.slice(), shape = da.shape.slice();
    dims[axis] = g.name;
    shape[axis] = g.nGroups;
    return DataArray.fromParts({
      values: res.values, dims, shape, dtype: res.dtype, coords: this.resultCoords(da.coords),
      attrs: keepAttrs ? da.attrs : {}, name: da.name,
    });
  }

  private resultCoords(coords: Readonly<Record<string, DataArray>>): Record<string, DataArray> {
    const out: Record<string, DataArray> = {};
    for (const [n, c] of Object.entries(coords)) if (!c.dims.includes(this.g.dim) && n !== this.g.name) out[n] = c;
    out[this.g.name] = this.g.labels;
    return out;
  }

  private reduceDataset(ds: Dataset, op: AggOp, o: ReduceOptions, keepAttrs: boolean): Dataset {
    const g = this.g;
    const vars = new Map<string, DataArray>();
    for (const name of ds.dataVars) {
      if (name === g.groupVar) continue;
      const v = ds.variable(name);
      const attrs = keepAttrs ? v.attrs : {};
      const axis = v.dims.indexOf(g.dim);
      if (axis >= 0) {
        if (v.dtype === 'string' && (NUMERIC_ONLY.has(op) || op === 'any' || op === 'all')) continue;
        const res = this.aggregate(v, op, o, `variable '${name}'`);
        const O = product(v.shape.slice(0, axis));
        const I = product(v.shape.slice(axis + 1));
        // xarray's Dataset results put the new dim first.
        const values = transposeData(res.values, [O, g.nGroups, I], [1, 0, 2]);
        const rest = v.dims.filter((d) => d !== g.dim), restShape = v.shape.filter((_, a) => a !== axis);
        vars.set(name, DataArray.fromParts({ values, dims: [g.name, ...rest], shape: [g.nGroups, ...restShape], dtype: res.dtype, attrs, name }));
        continue;
      }
      // Without the grouped dim every group sees the whole variable (reduced over no axis), as in xarray.
      if (v.dtype === 'string' && (op === 'std' || op === 'var')) continue;
      const r = reduce(v, op, v.ndim > 0 ? [] : null, { ...o, keepAttrs: true });
      const parts = Array.from(g.sizes, (s) => (s > 0 ? r : null));
      const stacked = stackFirst(parts, g.name, g.labels, `variable '${name}'`);
      vars.set(name, stacked.with({ coords: {}, attrs, name }));
    }
    const coords = this.resultCoords(ds.coords);
    return Dataset.fromParts(vars, coords, keepAttrs ? ds.attrs : {});
  }

  /**
   * Apply `fn` to every non-empty group and combine. Results that keep the
   * grouped dim are concatenated back along it in the original order; results
   * without it are stacked along the new dim (empty bins become NaN).
   */
  map(fn: (group: T, label: unknown) => T): T {
    const pos = this.positions();
    const members = pos.map((_, c) => c).filter((c) => pos[c].length > 0);
    const obj = this.obj;
    if (obj instanceof DataArray) {
      const results = members.map((c) => fn(takeAlong(obj, this.g.dim, pos[c]) as T, this.label(c)) as DataArray);
      return this.combineArrays(results, members, obj.dims) as T;
    }
    const ds = obj as Dataset;
    const results = members.map((c) => fn(takeAlongDataset(ds, this.g.dim, pos[c]) as T, this.label(c)) as Dataset);
    return this.combineDatasets(results, members) as T;
  }

  /** Original order of the concatenated groups' members, when each result kept its group's length. */
  private reorder(lengths: number[], members: number[]): number[] | null {
    const pos = this.positions();
    if (!members.every((c, k) => lengths[k] === pos[c].length)) return null;
    const flat = members.flatMap((c) => pos[c]);
    return flat.map((p, i) => [p, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  }

  private combineArrays(results: DataArray[], members: number[], objDims: readonly string[]): DataArray {
    const g = this.g;
    for (const r of results) if (!(r instanceof DataArray)) throw new ToolBoxTypeError('groupby map: the function must return a DataArray for DataArray groups');
    const withDim = results.filter((r) => r.dims.includes(g.dim)).length;
    let out: DataArray;
    if (withDim === results.length) {
      out = concatAlong(results, g.dim, `groupby map over '${g.name}'`);
      const order = this.reorder(results.map((r) => r.sizes[g.dim]), members);
      if (order) out = takeAlong(out, g.dim, order);
    } else if (withDim === 0) {
      const parts = this.fullParts(results, members);
      out = stackFirst(parts, g.name, g.labels, `groupby map over '${g.name}'`);
    } else {
      throw new ToolBoxValueError(`groupby map: some results keep dimension '${g.dim}' and some do not; they cannot be combined`);
    }
    // xarray restores the original dim order, the new dim standing where the grouped one was.
    const key = (d: string) => { const a = objDims.indexOf(d === g.name ? g.dim : d); return a < 0 ? 1e6 : a; };
    const dims = out.dims.map((d, i) => [d, i] as const).sort((a, b) => key(a[0]) - key(b[0]) || a[1] - b[1]).map(([d]) => d);
    return transposeArray(out, dims);
  }

  /** Results for every group in label order, null for empty groups. */
  private fullParts<R>(results: R[], members: number[]): Array<R | null> {
    const parts: Array<R | null> = new Array(this.g.nGroups).fill(null);
    members.forEach((c, k) => { parts[c] = results[k]; });
    return parts;
  }

  private combineDatasets(results: Dataset[], members: number[]): Dataset {
    const g = this.g;
    for (const r of results) if (!(r instanceof Dataset)) throw new ToolBoxTypeError('groupby map: the function must return a Dataset for Dataset groups');
    const first = results[0];
    const transform = first.dataVars.some((n) => first.variable(n).dims.includes(g.dim));
    const vars = new Map<string, DataArray>();
    const coords = new Map<string, DataArray>();
    const what = `groupby map over '${g.name}'`;
    const pick = (r: Dataset, n: string) => {
      if (!r.has(n)) throw new ToolBoxValueError(`${what}: variable '${n}' is missing from some results`);
      return r.variable(n);
    };
    if (transform) {
      const order = this.reorder(results.map((r) => r.sizes[g.dim] ?? 0), members);
      const fix = (da: DataArray) => (order ? takeAlong(da, g.dim, order) : da);
      for (const n of first.dataVars) {
        const v = first.variable(n);
        vars.set(n, v.dims.includes(g.dim) ? fix(concatAlong(results.map((r) => pick(r, n)), g.dim, what)) : v);
      }
      for (const [n, c] of Object.entries(first.coords)) {
        coords.set(n, c.dims.includes(g.dim) ? fix(concatAlong(results.map((r) => r.coords[n] ?? pick(r, n)), g.dim, what)) : c);
      }
    } else {
      for (const n of first.dataVars) {
        const stacked = stackFirst(this.fullParts(results.map((r) => pick(r, n)), members), g.name, g.labels, what);
        vars.set(n, stacked.with({ coords: {} }));
      }
      for (const [n, c] of Object.entries(first.coords)) if (n !== g.name) coords.set(n, c);
      coords.set(g.name, g.labels);
    }
    return Dataset.fromParts(vars, coords, first.attrs);
  }
}
