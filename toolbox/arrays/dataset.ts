/**
 * Dataset: named data variables sharing dimensions, plus coordinates and
 * attrs, the role xarray.Dataset plays. Variables and coordinates are stored
 * as bare DataArrays (no coords of their own); `get(name)` attaches the
 * coordinates whose dims the variable has, as xarray's `ds[name]` does.
 */
import { ToolBoxTypeError, ToolBoxValueError, VariableNameError } from '../errors.js';
import { closeMatches } from '../names.js';
import { type Attrs, type CoordInput, type Dims, type IselIndexer, type ReduceOptions, type SelIndexer, type SelOptions,
  type GroupByBinsOptions, type Operand, DataArray, toCoordArray } from './dataarray.js';
import type { Scalar } from './dtype.js';
import * as indexing from './indexing.js';
import * as arithmetic from './arithmetic.js';
import * as missing from './missing.js';
import * as reshape from './reshape.js';
import * as stacking from './stack.js';
import * as reduce from './reduce.js';
import * as groupby from './groupby.js';
import * as combine from './combine.js';
import { MIME_BUNDLE, type DisplayOutput } from '../display/mime.js';
import * as repr from './repr.js';
import * as convert from './convert.js';
import { checkOptions } from '../options.js';
import * as optionLists from './option-names.js';

/** A data variable as given to the constructor: a DataArray or a tuple [dims, data, attrs?]. */
export type VariableInput = DataArray | [string | string[], DataArray['values'] | unknown[], Attrs?];

/** Options of the Dataset constructor. */
export interface DatasetOptions {
  /** Coordinates by name (DataArrays, or tuples [dims, values, attrs?]). */
  coords?: Record<string, CoordInput>;
  /** Dataset attributes. */
  attrs?: Attrs;
}

/**
 * Property names that JavaScript machinery probes on any object (promise
 * resolution, test and UI libraries): they read as undefined, never as
 * unknown variables.
 */
const PROBES = new Set(['then', 'catch', 'asymmetricMatch', '$$typeof', 'nodeType', 'tagName', 'toBSON', 'inspect', 'prototype', 'length']);

/**
 * `ds['name']` and `'name' in ds` as in xarray. Members of the class win over
 * variables of the same name (`ds.get('attrs')` reaches a variable called
 * attrs); any other name that is not a variable or coordinate is a
 * VariableNameError naming the close matches, and assigning one is a
 * ToolBoxTypeError (Datasets are immutable: `assign`).
 */
const ITEM_ACCESS: ProxyHandler<Dataset> = {
  get(target, key, receiver) {
    if (typeof key === 'symbol' || key in target) return Reflect.get(target, key, receiver) as unknown;
    if (target.has(key)) return target.get(key);
    if (PROBES.has(key) || key.startsWith('@@') || key.startsWith('__')) return undefined;
    return target.get(key);
  },
  has(target, key) {
    return key in target || (typeof key === 'string' && target.has(key));
  },
  set(target, key, value, receiver) {
    if (typeof key === 'symbol' || key in target) return Reflect.set(target, key, value, receiver);
    throw new ToolBoxTypeError(`cannot set '${key}' on a Dataset: Datasets are immutable here; use ds.assign({ ${JSON.stringify(key)}: value }) for a new Dataset with that variable`);
  },
};

/** xarray's Dataset: data variables sharing dimensions and coordinates. */
export class Dataset {
  /** Free-form metadata of the dataset (becomes the file attributes in saveXarray). */
  readonly attrs: Attrs;
  private readonly _vars: Map<string, DataArray>;
  private readonly _coords: Map<string, DataArray>;

  constructor(dataVars: Record<string, VariableInput> = {}, options: DatasetOptions = {}) {
    checkOptions('Dataset', options, optionLists.DATASET_OPTIONS);
    this.attrs = { ...(options.attrs ?? {}) };
    this._vars = new Map();
    this._coords = new Map();
    for (const [name, c] of Object.entries(options.coords ?? {})) this._coords.set(name, toCoordArray(name, c));
    for (const [name, v] of Object.entries(dataVars)) {
      if (v instanceof DataArray) {
        for (const [cn, c] of Object.entries(v.coords)) {
          if (!this._coords.has(cn)) this._coords.set(cn, c);
        }
        this._vars.set(name, toCoordArray(name, v));
      } else {
        this._vars.set(name, toCoordArray(name, v as CoordInput));
      }
    }
    this.checkSizes();
    // ds['name'] works as in xarray; a misspelt name fails instead of giving undefined.
    return new Proxy(this, ITEM_ACCESS);
  }

  /** Build from bare variables and coords already consistent (used by operations). */
  static fromParts(vars: Map<string, DataArray> | Record<string, DataArray>, coords: Map<string, DataArray> | Record<string, DataArray>, attrs: Attrs = {}): Dataset {
    const ds = new Dataset({}, { attrs });
    const vm = vars instanceof Map ? vars : new Map(Object.entries(vars));
    const cm = coords instanceof Map ? coords : new Map(Object.entries(coords));
    for (const [n, c] of cm) ds._coords.set(n, toCoordArray(n, c));
    for (const [n, v] of vm) ds._vars.set(n, toCoordArray(n, v));
    ds.checkSizes();
    return ds;
  }

  private checkSizes(): void {
    const sizes = new Map<string, [number, string]>();
    for (const [name, v] of [...this._coords, ...this._vars]) {
      v.dims.forEach((d, i) => {
        const seen = sizes.get(d);
        if (seen && seen[0] !== v.shape[i]) {
          throw new ToolBoxValueError(`conflicting sizes for dimension '${d}': ${seen[0]} in '${seen[1]}' but ${v.shape[i]} in '${name}'`);
        }
        if (!seen) sizes.set(d, [v.shape[i], name]);
      });
    }
  }

  /** Names of the data variables, in insertion order. */
  get dataVars(): string[] { return [...this._vars.keys()]; }
  /** Coordinates (bare DataArrays) by name. */
  get coords(): Record<string, DataArray> { return Object.fromEntries(this._coords); }
  /** Size of each dimension, like xarray's `ds.sizes` (and `ds.dims` mapping). */
  get sizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const v of [...this._coords.values(), ...this._vars.values()]) v.dims.forEach((d, i) => { out[d] = v.shape[i]; });
    return out;
  }
  /** Same as `sizes` (xarray's Dataset.dims mapping). */
  get dims(): Record<string, number> { return this.sizes; }
  /** All variables (coords first) by name. */
  get variables(): Record<string, DataArray> { return Object.fromEntries([...this._coords, ...this._vars]); }
  /** Bytes held by all variables and coordinates. */
  get nbytes(): number {
    let n = 0;
    for (const v of [...this._coords.values(), ...this._vars.values()]) n += v.nbytes;
    return n;
  }

  /** Whether a data variable or coordinate of this name exists. */
  has(name: string): boolean { return this._vars.has(name) || this._coords.has(name); }

  /** A data variable or coordinate with its coordinates attached. */
  get(name: string): DataArray {
    const v = this._vars.get(name) ?? this._coords.get(name);
    if (!v) throw this.unknownName(name);
    const coords: Record<string, DataArray> = {};
    for (const [cn, c] of this._coords) {
      if (c.dims.every((d) => v.dims.includes(d))) coords[cn] = c;
    }
    return v.with({ coords, name });
  }

  /** The bare variable (no coords attached). */
  variable(name: string): DataArray {
    const v = this._vars.get(name) ?? this._coords.get(name);
    if (!v) throw this.unknownName(name);
    return v;
  }

  /** The error for a name that is neither a data variable nor a coordinate, with close matches. */
  private unknownName(name: string): VariableNameError {
    const available = [...this._vars.keys(), ...this._coords.keys()];
    const suggestions = closeMatches(String(name), available);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((n) => `'${n}'`).join(' or ')}?` : '';
    return new VariableNameError(`no variable '${String(name)}' in this Dataset.${hint} Data variables: ${this.dataVars.join(', ') || '(none)'}; coordinates: ${[...this._coords.keys()].join(', ') || '(none)'}`,
      { variable: String(name), available, suggestions });
  }

  /** A new Dataset with variables added or replaced (xarray's assign). */
  assign(vars: Record<string, VariableInput>): Dataset {
    const added = new Dataset(vars);
    const v = new Map(this._vars), c = new Map(this._coords);
    for (const n of added.dataVars) v.set(n, added.variable(n));
    for (const [n, coord] of Object.entries(added.coords)) if (!c.has(n)) c.set(n, coord);
    return Dataset.fromParts(v, c, this.attrs);
  }
  /** A copy with attrs added or replaced. */
  assignAttrs(attrs: Attrs): Dataset { return Dataset.fromParts(this._vars, this._coords, { ...this.attrs, ...attrs }); }
  /** A copy with coordinates added or replaced. */
  assignCoords(coords: Record<string, CoordInput>): Dataset { return reshape.assignCoordsDataset(this, coords); }
  /** A copy without the named variables or coordinates. */
  dropVars(names: Dims): Dataset { return reshape.dropVarsDataset(this, names); }
  /** Variables, coordinates and dims renamed (xarray's rename). */
  rename(mapping: Record<string, string>): Dataset { return reshape.renameDataset(this, mapping); }
  /** Dims renamed to a coordinate that takes over as their index, as xarray.swap_dims. */
  swapDims(mapping: Record<string, string>): Dataset { return reshape.swapDimsDataset(this, mapping); }
  /** Every variable's dims reordered (named, one `'...'` for the rest, or none: reversed). */
  transpose(...dims: string[]): Dataset { return reshape.transposeDataset(this, dims); }
  /** Length-1 dims removed (all of them, or the ones given). */
  squeeze(dim?: Dims, options: optionLists.DropOption = {}): Dataset { return reshape.squeezeDataset(this, dim, checkOptions('Dataset.squeeze', options, optionLists.DROP_OPTION)); }
  /** New dims of length 1 (or the lengths of a record) on every data variable. */
  expandDims(dim: Dims | Record<string, number>, options: optionLists.ExpandDimsOptions = {}): Dataset {
    return reshape.expandDimsDataset(this, dim, checkOptions('Dataset.expandDims', options, optionLists.EXPAND_DIMS_OPTIONS));
  }
  /** Data variables turned into coordinates. */
  setCoords(names: Dims): Dataset { return reshape.setCoords(this, names); }
  /** Non-index coordinates turned into data variables, or dropped with `drop`. */
  resetCoords(names?: Dims, options: optionLists.DropOption = {}): Dataset { return reshape.resetCoordsDataset(this, names, checkOptions('Dataset.resetCoords', options, optionLists.DROP_OPTION)); }
  /** Dims merged into new ones, e.g. `{ z: ['y', 'x'] }`, in every variable, with a level coordinate per merged dim (xarray's stack). */
  stack(dimensions: Record<string, string[]>): Dataset { return stacking.stack(this, dimensions, 'Dataset.stack'); }
  /** Stacked dims (default: all) split back into one dim per level coordinate; missing combinations are NaN (xarray's unstack). */
  unstack(dim?: Dims): Dataset { return stacking.unstack(this, dim, 'Dataset.unstack'); }
  /** Map a function over the data variables (xarray's map). */
  map(fn: (v: DataArray, name: string) => DataArray): Dataset {
    const out: Record<string, DataArray> = {};
    for (const n of this.dataVars) out[n] = fn(this.get(n), n);
    return new Dataset(out, { attrs: this.attrs });
  }

  /** Select by position along named dims, in every variable. */
  isel(indexers: Record<string, IselIndexer>, options: optionLists.DropOption = {}): Dataset { return indexing.iselDataset(this, indexers, checkOptions('Dataset.isel', options, optionLists.DROP_OPTION)); }
  /** Select by coordinate label along named dims, in every variable. */
  sel(indexers: Record<string, SelIndexer>, options: SelOptions = {}): Dataset { return indexing.selDataset(this, indexers, checkOptions('Dataset.sel', options, optionLists.SEL_OPTIONS)); }
  /** The first `n` positions along every dim, or per dim with a record. */
  head(n: Record<string, number> | number = 5): Dataset { return indexing.headDataset(this, n); }
  /** The last `n` positions along every dim, or per dim with a record. */
  tail(n: Record<string, number> | number = 5): Dataset { return indexing.tailDataset(this, n); }

  /** Variable-wise this + other (a scalar, a DataArray, or a Dataset matched by variable name). */
  add(other: Operand | Dataset): Dataset { return arithmetic.binaryDataset(this, other, 'add'); }
  /** Variable-wise this − other (as add). */
  sub(other: Operand | Dataset): Dataset { return arithmetic.binaryDataset(this, other, 'sub'); }
  /** Variable-wise this × other (as add). */
  mul(other: Operand | Dataset): Dataset { return arithmetic.binaryDataset(this, other, 'mul'); }
  /** Variable-wise this / other (as add). */
  div(other: Operand | Dataset): Dataset { return arithmetic.binaryDataset(this, other, 'div'); }

  /** Keep values where `cond` holds, else `other` (default NaN), in every data variable. */
  where(cond: DataArray | boolean, other?: Operand): Dataset { return missing.whereDataset(this, cond, other); }
  /** Missing (NaN) values of every data variable replaced by `value`. */
  fillna(value: Operand): Dataset { return missing.fillnaDataset(this, value); }
  /** Drop the labels along `dim` with all (`how: "all"`) or any (default) values missing in the variables (`subset`: only those). */
  dropna(dim: string, options: optionLists.DatasetDropnaOptions = {}): Dataset {
    return missing.dropnaDataset(this, dim, checkOptions('Dataset.dropna', options, optionLists.DATASET_DROPNA_OPTIONS));
  }

  /** Sum of every data variable over the given dims (default all). */
  sum(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'sum', dim, options, 'Dataset.sum'); }
  /** Mean of every data variable over the given dims (default all). */
  mean(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'mean', dim, options, 'Dataset.mean'); }
  /** Standard deviation of every data variable over the given dims (default all). */
  std(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'std', dim, options, 'Dataset.std'); }
  /** Variance of every data variable over the given dims (default all). */
  var(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'var', dim, options, 'Dataset.var'); }
  /** Minimum of every data variable over the given dims (default all). */
  min(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'min', dim, options, 'Dataset.min'); }
  /** Maximum of every data variable over the given dims (default all). */
  max(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'max', dim, options, 'Dataset.max'); }
  /** Non-missing values of every data variable over the given dims (default all). */
  count(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return reduce.reduceDataset(this, 'count', dim, options, 'Dataset.count'); }

  /** Group by the values of a coordinate (or a DataArray along one dim). */
  groupby(group: string | DataArray): groupby.GroupBy<Dataset> { return groupby.groupby(this, group); }
  /** Group by the bin of a coordinate's values (pandas.cut bins: a count or the edges). */
  groupbyBins(group: string | DataArray, bins: number[] | ArrayLike<number> | number, options: GroupByBinsOptions = {}): groupby.GroupBy<Dataset> {
    return groupby.groupbyBins(this, group, bins, checkOptions('Dataset.groupbyBins', options, optionLists.GROUPBY_BINS_OPTIONS));
  }
  /** Merge with other Datasets/DataArrays (xarray's Dataset.merge). */
  merge(other: Dataset | DataArray, options: combine.MergeOptions = {}): Dataset { return combine.merge([this, other], checkOptions('Dataset.merge', options, optionLists.MERGE_OPTIONS)); }

  /** xarray's to_dict(): {coords, attrs, dims, data_vars}, values included unless `data: false`. */
  toDict(options: optionLists.DictOptions = {}): Record<string, unknown> { return convert.toDictDataset(this, checkOptions('Dataset.toDict', options, optionLists.DICT_OPTIONS)); }
  /** The to_dict() form with data, JSON-safe; JSON.stringify uses it. */
  toJSON(): unknown { return convert.toDictDataset(this, { data: true, json: true }); }
  /** xarray's text repr. */
  toString(): string { return repr.formatDataset(this); }
  /** xarray's HTML repr, for notebooks. */
  toHTML(): string { return repr.htmlDataset(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
  /** Rich output for notebooks: the HTML summary, with the text repr for plain front ends. */
  [MIME_BUNDLE](): DisplayOutput { return { data: { 'text/plain': this.toString(), 'text/html': this.toHTML() } }; }
}

export type { Scalar };
