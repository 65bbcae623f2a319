/**
 * DataArray: a named N-d array with dimension names, coordinates and attrs,
 * the role xarray.DataArray plays for the Python toolbox. Data is one flat
 * typed array in C order. Instances are treated as immutable: every operation
 * returns a new object (buffers may be shared when nothing is written).
 *
 * The class holds construction, validation and accessors; the operations live
 * in one module per concept (indexing, arithmetic, reduce, groupby, ...) and
 * the methods here delegate to them.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type ArrayData, type DType, type FloatDType, type Scalar, type ScalarOf, type ValuesOf, castData, dtypeOfData, isDType } from './dtype.js';
import type { Slice } from './slice.js';
import { normalizeData, normalizeDims } from './construct.js';
import * as indexing from './indexing.js';
import * as arithmetic from './arithmetic.js';
import * as missing from './missing.js';
import * as reshape from './reshape.js';
import * as stacking from './stack.js';
import * as reduce from './reduce.js';
import * as groupby from './groupby.js';
import * as repr from './repr.js';
import * as convert from './convert.js';
import { MIME_BUNDLE, type DisplayOutput } from '../display/mime.js';
import { checkOptions, optionNames } from '../options.js';
import { type DataArrayPlot, plotAccessor } from '../plots/accessor.js';
import * as optionLists from './option-names.js';

/** Attribute values: anything JSON can hold, plus typed arrays and bigint. */
export type AttrValue =
  | string | number | boolean | bigint | null
  | ArrayData
  | AttrValue[]
  | { [key: string]: AttrValue };
/** Attributes of a variable or dataset by name. */
export type Attrs = Record<string, AttrValue>;

/** Nested JS arrays as accepted by the constructor (xarray accepts nested lists). */
export type NestedArray = Scalar | null | NestedArray[];

/** What may be given as data: a flat typed/string array (with `shape`), nested arrays, or a scalar. */
export type DataInput = ArrayData | NestedArray | number[] | boolean[];

/**
 * A coordinate as given to a constructor, like xarray:
 * a DataArray; a 1-D array along the dimension of the same name;
 * or a tuple [dims, data, attrs?].
 */
export type CoordInput = DataArray | DataInput | [string | string[], DataInput, Attrs?];

/** Options of the DataArray constructor. */
export interface DataArrayOptions<D extends DType = DType> {
  /** Dimension names (default `dim_0`, `dim_1`, …; a named 1-D array: its name). */
  dims?: string[] | string;
  /** Coordinates by name (see CoordInput). */
  coords?: Record<string, CoordInput>;
  /** Attributes (units, long_name…). */
  attrs?: Attrs;
  /** Variable name. */
  name?: string | null;
  /** Target dtype; also disambiguates Uint8Array (uint8) from bool. It types `values` (`dtype: 'float64'` gives a Float64Array). */
  dtype?: D;
  /** Needed when data is a flat array of more than one dimension. */
  shape?: number[];
  /** Encoding hints used when writing files (e.g. `_FillValue`, `dtype`). */
  encoding?: Record<string, AttrValue>;
}

/** Indexers for isel: a position, a list of positions, or a slice, per dimension. */
export type IselIndexer = number | number[] | Slice<number | null> | DataArray;
/** Indexers for sel: a label, a list of labels, or a label slice, per dimension. */
export type SelIndexer = Scalar | Scalar[] | Slice | DataArray;
/** Options of sel. */
export interface SelOptions {
  /** Inexact matches: 'nearest', 'pad'/'ffill' (previous label), 'backfill'/'bfill' (next label). */
  method?: 'nearest' | 'pad' | 'ffill' | 'backfill' | 'bfill';
  /** Largest allowed distance between the label asked for and the one found. */
  tolerance?: number;
  /** Drop the coordinates indexed by scalars instead of keeping them as 0-d coordinates (xarray's drop). */
  drop?: boolean;
}

/** One dimension name or several. */
export type Dims = string | string[];
/** Options of the reductions (sum, mean, std…). */
export interface ReduceOptions {
  /** Dims to reduce over (default, or null: all). */
  dim?: Dims | null;
  /** Skip NaN (default: true for float data, as xarray). */
  skipna?: boolean;
  /** Delta degrees of freedom for std/var. */
  ddof?: number;
  /** Fewer valid values than this gives NaN (sum/prod). */
  minCount?: number;
  /** Keep the attrs in the result (default false, as xarray). */
  keepAttrs?: boolean;
}

/** ReduceOptions naming at most one dim: the reduction then removes at least one axis (or all). */
export type OneDimReduceOptions = ReduceOptions & { dim?: string | null };

/** The other side of arithmetic and comparisons: a DataArray or a scalar. */
export type Operand = DataArray | number | bigint | boolean;

/** Options of groupbyBins (pandas.cut's). */
export interface GroupByBinsOptions {
  /** Bins include the right edge (a, b] (default true, like xarray/pandas.cut). */
  right?: boolean;
  /** The first interval also includes its left edge. */
  includeLowest?: boolean;
  /** Labels for the bins instead of interval strings. */
  labels?: Scalar[];
  /** Keep empty bins in the result (default true: xarray 2023.01 keeps them, filled with NaN for every reduction). */
  restoreCoordOrder?: boolean;
}

/** The parts DataArray.with replaces. */
export type DataArrayParts = Partial<{
  values: ArrayData; dims: readonly string[]; shape: readonly number[]; dtype: DType;
  coords: Record<string, DataArray>; attrs: Attrs; name: string | null; encoding: Record<string, AttrValue>;
}>;
const WITH_PARTS = optionNames<DataArrayParts>({ values: true, dims: true, shape: true, dtype: true, coords: true, attrs: true, name: true, encoding: true });

/**
 * xarray's DataArray: an n-dimensional array with named dims, coordinates
 * and attrs. Operations return new arrays; broadcasting and alignment go by
 * dimension name, as in xarray.
 */
export class DataArray<D extends DType = DType> {
  /** Variable name (null: unnamed). */
  readonly name: string | null;
  /** Dimension names, one per axis. */
  readonly dims: readonly string[];
  /** Length of each axis. */
  readonly shape: readonly number[];
  /** numpy-style element type of `values`. */
  readonly dtype: D;
  /** The elements, flat in C order: a typed array, or an array of strings. */
  readonly values: ValuesOf<D>;
  /** Coordinates by name; each is a DataArray along some of `dims`. */
  readonly coords: Readonly<Record<string, DataArray>>;
  /** Free-form metadata (units, descriptions), kept by most operations as in xarray. */
  readonly attrs: Attrs;
  /** How the variable is stored in a file (CF `_FillValue`, `dtype`…), as xarray's encoding; saveXarray writes it, loadXarray fills it. */
  readonly encoding: Record<string, AttrValue>;

  constructor(data: DataInput, options: DataArrayOptions<D> = {}) {
    checkOptions('DataArray', options, optionLists.DATAARRAY_OPTIONS);
    const { flat, shape, dtype } = normalizeData(data, options);
    const dims = normalizeDims(options.dims, shape.length, options.name ?? null);
    this.name = options.name ?? null;
    this.dims = Object.freeze(dims);
    this.shape = Object.freeze(shape);
    // normalizeData gives data of `dtype`, which is D when options.dtype typed it so.
    this.dtype = dtype as D;
    this.values = flat as ValuesOf<D>;
    this.attrs = { ...(options.attrs ?? {}) };
    this.encoding = { ...(options.encoding ?? {}) };
    this.coords = Object.freeze(normalizeCoords(options.coords ?? {}, this.dims, this.shape));
  }

  /** Build from parts already validated by an operation (no copies, light checks). */
  static fromParts(parts: {
    values: ArrayData; dims: readonly string[]; shape: readonly number[]; dtype?: DType;
    coords?: Record<string, DataArray>; attrs?: Attrs; name?: string | null; encoding?: Record<string, AttrValue>;
  }): DataArray {
    return new DataArray(parts.values, {
      dims: [...parts.dims], shape: [...parts.shape], dtype: parts.dtype ?? dtypeOfData(parts.values),
      coords: parts.coords, attrs: parts.attrs, name: parts.name ?? null, encoding: parts.encoding,
    });
  }

  /** A copy with some parts replaced (values/dims/shape must stay consistent). */
  with(parts: DataArrayParts): DataArray {
    checkOptions('DataArray.with', parts, WITH_PARTS);
    return DataArray.fromParts({
      values: parts.values ?? this.values,
      dims: parts.dims ?? this.dims,
      shape: parts.shape ?? this.shape,
      dtype: parts.dtype ?? (parts.values ? undefined : this.dtype),
      coords: parts.coords ?? { ...this.coords },
      attrs: parts.attrs ?? this.attrs,
      name: parts.name !== undefined ? parts.name : this.name,
      encoding: parts.encoding ?? this.encoding,
    });
  }

  /** The result of an operation that keeps the dtype (indexing, reshaping, relabelling), typed so. */
  private same(da: DataArray): DataArray<D> { return da as DataArray<D>; }

  /** Number of dimensions. */
  get ndim(): number { return this.dims.length; }
  /** Number of elements. */
  get size(): number { return this.values.length; }
  /** Size per dimension name, like xarray's `sizes`. */
  get sizes(): Record<string, number> {
    return Object.fromEntries(this.dims.map((d, i) => [d, this.shape[i]]));
  }
  /** Bytes held by the data (strings counted as UTF-16 characters × 2). */
  get nbytes(): number {
    if (Array.isArray(this.values)) return this.values.reduce((s, v) => s + 2 * v.length, 0);
    return (this.values as { byteLength: number }).byteLength;
  }

  /**
   * Whether the dtype is one of `dtypes`; narrows `values` and `item()` for
   * TypeScript (`if (da.hasDType('float32', 'float64')) { const t: number = da.values[0]; }`).
   */
  hasDType<T extends DType>(...dtypes: T[]): this is DataArray<T> { return (dtypes as readonly DType[]).includes(this.dtype); }

  /** Position of a dimension, with an error naming the dims there are. */
  axis(dim: string): number {
    const i = this.dims.indexOf(dim);
    if (i < 0) {
      throw new ToolBoxValueError(`dimension '${dim}' not found; this array has dims (${this.dims.join(', ')})`);
    }
    return i;
  }

  /** Element at a multi-index (C order), as a JS scalar. */
  item(...index: number[]): ScalarOf<D> {
    if (index.length === 0) {
      if (this.size !== 1) throw new ToolBoxValueError(`item() needs an index for an array of size ${this.size}`);
      return scalarAt(this, 0) as ScalarOf<D>;
    }
    if (index.length !== this.ndim) throw new ToolBoxValueError(`item() needs ${this.ndim} indices, got ${index.length}`);
    let flat = 0;
    for (let a = 0; a < index.length; a++) {
      let i = index[a];
      if (i < 0) i += this.shape[a];
      if (i < 0 || i >= this.shape[a]) throw new ToolBoxValueError(`index ${index[a]} out of range for dimension '${this.dims[a]}' of size ${this.shape[a]}`);
      flat = flat * this.shape[a] + i;
    }
    return scalarAt(this, flat) as ScalarOf<D>;
  }

  // --- indexing (indexing.ts) ---
  /** Select by position along named dims (integer, list, slice or DataArray per dim). */
  isel(indexers: Record<string, IselIndexer>, options: optionLists.DropOption = {}): DataArray<D> { return this.same(indexing.isel(this, indexers, checkOptions('DataArray.isel', options, optionLists.DROP_OPTION))); }
  /** Select by coordinate label along named dims (label, list of labels or label slice per dim). */
  sel(indexers: Record<string, SelIndexer>, options: SelOptions = {}): DataArray<D> { return this.same(indexing.sel(this, indexers, checkOptions('DataArray.sel', options, optionLists.SEL_OPTIONS))); }
  /** The first `n` positions along every dim, or per dim with a record. */
  head(n: Record<string, number> | number = 5): DataArray<D> { return this.same(indexing.head(this, n)); }
  /** The last `n` positions along every dim, or per dim with a record. */
  tail(n: Record<string, number> | number = 5): DataArray<D> { return this.same(indexing.tail(this, n)); }

  // --- arithmetic with broadcasting by dimension name (arithmetic.ts) ---
  /** this + other, broadcast by dimension name and aligned on shared coordinates. */
  add(other: Operand): DataArray { return arithmetic.binary(this, other, 'add'); }
  /** this − other (broadcast and aligned as add). */
  sub(other: Operand): DataArray { return arithmetic.binary(this, other, 'sub'); }
  /** this × other (broadcast and aligned as add). */
  mul(other: Operand): DataArray { return arithmetic.binary(this, other, 'mul'); }
  /** this / other, always a float result (broadcast and aligned as add). */
  div(other: Operand): DataArray<FloatDType> { return arithmetic.binary(this, other, 'div') as DataArray<FloatDType>; }
  /** numpy floor division this // other (broadcast and aligned as add). */
  floordiv(other: Operand): DataArray { return arithmetic.binary(this, other, 'floordiv'); }
  /** numpy's mod: the result has the sign of the divisor (broadcast and aligned as add). */
  mod(other: Operand): DataArray { return arithmetic.binary(this, other, 'mod'); }
  /** this ** other (broadcast and aligned as add). */
  pow(other: Operand): DataArray { return arithmetic.binary(this, other, 'pow'); }
  /** Element-wise this == other as a bool array. */
  eq(other: Operand | string): DataArray<'bool'> { return arithmetic.compare(this, other, 'eq') as DataArray<'bool'>; }
  /** Element-wise this != other as a bool array. */
  ne(other: Operand | string): DataArray<'bool'> { return arithmetic.compare(this, other, 'ne') as DataArray<'bool'>; }
  /** Element-wise this < other as a bool array. */
  lt(other: Operand): DataArray<'bool'> { return arithmetic.compare(this, other, 'lt') as DataArray<'bool'>; }
  /** Element-wise this <= other as a bool array. */
  le(other: Operand): DataArray<'bool'> { return arithmetic.compare(this, other, 'le') as DataArray<'bool'>; }
  /** Element-wise this > other as a bool array. */
  gt(other: Operand): DataArray<'bool'> { return arithmetic.compare(this, other, 'gt') as DataArray<'bool'>; }
  /** Element-wise this >= other as a bool array. */
  ge(other: Operand): DataArray<'bool'> { return arithmetic.compare(this, other, 'ge') as DataArray<'bool'>; }
  /** Element-wise logical (bool) or bitwise (integer) and. */
  and(other: Operand): DataArray { return arithmetic.logical(this, other, 'and'); }
  /** Element-wise logical (bool) or bitwise (integer) or. */
  or(other: Operand): DataArray { return arithmetic.logical(this, other, 'or'); }
  /** Element-wise logical (bool) or bitwise (integer) exclusive or. */
  xor(other: Operand): DataArray { return arithmetic.logical(this, other, 'xor'); }
  /** Logical not (bool) or bitwise not (integer). */
  not(): DataArray { return arithmetic.unary(this, 'not'); }
  /** Element-wise negation. */
  neg(): DataArray { return arithmetic.unary(this, 'neg'); }
  /** Element-wise absolute value. */
  abs(): DataArray { return arithmetic.unary(this, 'abs'); }
  /** Element-wise square root (float result). */
  sqrt(): DataArray<FloatDType> { return arithmetic.unary(this, 'sqrt') as DataArray<FloatDType>; }
  /** Element-wise exponential (float result). */
  exp(): DataArray<FloatDType> { return arithmetic.unary(this, 'exp') as DataArray<FloatDType>; }
  /** Element-wise natural logarithm (float result). */
  log(): DataArray<FloatDType> { return arithmetic.unary(this, 'log') as DataArray<FloatDType>; }
  /** Element-wise base-10 logarithm (float result). */
  log10(): DataArray<FloatDType> { return arithmetic.unary(this, 'log10') as DataArray<FloatDType>; }
  /** numpy's round: half to even, at `decimals` places. */
  round(decimals = 0): DataArray { return arithmetic.round(this, decimals); }
  /** Element-wise function on float64 values (result float64, coords kept). */
  map(fn: (v: number) => number): DataArray<'float64'> { return arithmetic.mapValues(this, fn) as DataArray<'float64'>; }
  /** The values converted to `dtype` (numpy casting). */
  astype<T extends DType>(dtype: T): DataArray<T> {
    if (!isDType(dtype)) throw new ToolBoxTypeError(`unknown dtype '${String(dtype)}'`);
    return this.with({ values: castData(this.values, dtype), dtype }) as DataArray<T>;
  }

  // --- missing values (missing.ts) ---
  /** Bool array: true where the value is missing (NaN). */
  isnull(): DataArray<'bool'> { return missing.isnull(this) as DataArray<'bool'>; }
  /** Bool array: true where the value is present (not NaN). */
  notnull(): DataArray<'bool'> { return missing.notnull(this) as DataArray<'bool'>; }
  /** Keep values where `cond` holds, else `other` (default NaN), as xarray.where. */
  where(cond: DataArray | boolean, other?: Operand | string): DataArray { return missing.where(this, cond, other); }
  /** Missing (NaN) values replaced by `value`. */
  fillna(value: Operand): DataArray { return missing.fillna(this, value); }
  /** Drop the labels along `dim` whose values are all (`how: "all"`) or any (default) missing. */
  dropna(dim: string, options: optionLists.DropnaOptions = {}): DataArray { return missing.dropna(this, dim, checkOptions('DataArray.dropna', options, optionLists.DROPNA_OPTIONS)); }

  // --- shape and labels (reshape.ts) ---
  /** Dims reordered (all named, one `'...'` for the rest, or none: reversed). */
  transpose(...dims: string[]): DataArray<D> { return this.same(reshape.transpose(this, dims)); }
  /** Length-1 dims removed (all of them, or the ones given). */
  squeeze(dim?: Dims, options: optionLists.DropOption = {}): DataArray<D> { return this.same(reshape.squeeze(this, dim, checkOptions('DataArray.squeeze', options, optionLists.DROP_OPTION))); }
  /** New dims of length 1 (or the lengths of a record), first unless `axis` says where. */
  expandDims(dim: Dims | Record<string, number>, options: optionLists.ExpandDimsOptions = {}): DataArray<D> {
    return this.same(reshape.expandDims(this, dim, checkOptions('DataArray.expandDims', options, optionLists.EXPAND_DIMS_OPTIONS)));
  }
  /** A copy with coordinates added or replaced. */
  assignCoords(coords: Record<string, CoordInput>): DataArray<D> { return this.same(reshape.assignCoords(this, coords)); }
  /** A copy with attrs added or replaced. */
  assignAttrs(attrs: Attrs): DataArray<D> { return this.same(this.with({ attrs: { ...this.attrs, ...attrs } })); }
  /** A new name (string) or renamed dims/coords (mapping), like xarray's rename. */
  rename(nameOrMapping: string | null | Record<string, string>): DataArray<D> { return this.same(reshape.rename(this, nameOrMapping)); }
  /** Dims renamed to a coordinate that takes over as their index, as xarray.swap_dims. */
  swapDims(mapping: Record<string, string>): DataArray<D> { return this.same(reshape.swapDims(this, mapping)); }
  /** Non-index coordinates dropped (a DataArray cannot keep them as data; see Dataset.resetCoords). */
  resetCoords(names?: Dims, options: optionLists.DropOption = {}): DataArray<D> { return this.same(reshape.resetCoords(this, names, checkOptions('DataArray.resetCoords', options, optionLists.DROP_OPTION))); }
  /** A copy without the named coordinates. */
  dropVars(names: Dims): DataArray<D> { return this.same(reshape.dropVars(this, names)); }
  /** Dims merged into new ones, e.g. `{ z: ['y', 'x'] }`, with a level coordinate per merged dim (xarray's stack). */
  stack(dimensions: Record<string, string[]>): DataArray<D> { return this.same(stacking.stack(this, dimensions, 'DataArray.stack')); }
  /** Stacked dims (default: all) split back into one dim per level coordinate; missing combinations are NaN (xarray's unstack). */
  unstack(dim?: Dims): DataArray { return stacking.unstack(this, dim, 'DataArray.unstack'); }
  /** A copy with its own values. */
  copy(): DataArray<D> { return this.same(this.with({ values: this.values.slice() as ArrayData, dtype: this.dtype })); }

  // --- reductions over named dims (reduce.ts) ---
  /** Sum over the given dims (default all). */
  sum(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'sum', dim, options, 'DataArray.sum'); }
  /** Mean over one dim or all (a float array: float32 stays float32, integers and bools give float64). */
  mean(dim?: string | null | OneDimReduceOptions, options?: OneDimReduceOptions): DataArray<FloatDType>;
  /** Mean over the given dims; over an empty list the values are returned unchanged, as xarray. */
  mean(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray;
  mean(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'mean', dim, options, 'DataArray.mean'); }
  /** Standard deviation over the given dims (default all; `ddof` as numpy). */
  std(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray<FloatDType> { return reduce.reduce(this, 'std', dim, options, 'DataArray.std') as DataArray<FloatDType>; }
  /** Variance over the given dims (default all; `ddof` as numpy). */
  var(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray<FloatDType> { return reduce.reduce(this, 'var', dim, options, 'DataArray.var') as DataArray<FloatDType>; }
  /** Minimum over the given dims (default all). */
  min(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'min', dim, options, 'DataArray.min'); }
  /** Maximum over the given dims (default all). */
  max(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'max', dim, options, 'DataArray.max'); }
  /** Number of non-missing values over the given dims (default all). */
  count(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray<'int64'> { return reduce.reduce(this, 'count', dim, options, 'DataArray.count') as DataArray<'int64'>; }
  /** Product over the given dims (default all). */
  prod(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'prod', dim, options, 'DataArray.prod'); }
  /** Median over one dim or all (a float array: float32 stays float32, integers and bools give float64). */
  median(dim?: string | null | OneDimReduceOptions, options?: OneDimReduceOptions): DataArray<FloatDType>;
  /** Median over the given dims; over an empty list the values are returned unchanged, as xarray. */
  median(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray;
  median(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return reduce.reduce(this, 'median', dim, options, 'DataArray.median'); }
  /** Whether any value is true over the given dims (default all). */
  any(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray<'bool'> { return reduce.reduce(this, 'any', dim, options, 'DataArray.any') as DataArray<'bool'>; }
  /** Whether every value is true over the given dims (default all). */
  all(dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray<'bool'> { return reduce.reduce(this, 'all', dim, options, 'DataArray.all') as DataArray<'bool'>; }
  /** Position of the minimum along `dim`. */
  argmin(dim: string, options?: ReduceOptions): DataArray<'int64'> { return reduce.reduce(this, 'argmin', dim, options, 'DataArray.argmin') as DataArray<'int64'>; }
  /** Position of the maximum along `dim`. */
  argmax(dim: string, options?: ReduceOptions): DataArray<'int64'> { return reduce.reduce(this, 'argmax', dim, options, 'DataArray.argmax') as DataArray<'int64'>; }

  // --- grouping (groupby.ts) ---
  /** Group by the values of a coordinate (or a DataArray along one dim). */
  groupby(group: string | DataArray): groupby.GroupBy<DataArray> { return groupby.groupby(this, group); }
  /** Group by the bin of a coordinate's values (pandas.cut bins: a count or the edges). */
  groupbyBins(group: string | DataArray, bins: number[] | ArrayLike<number> | number, options: GroupByBinsOptions = {}): groupby.GroupBy<DataArray> {
    return groupby.groupbyBins(this, group, bins, checkOptions('DataArray.groupbyBins', options, optionLists.GROUPBY_BINS_OPTIONS));
  }

  // --- plotting (plots/accessor.ts) ---
  /** xarray's `da.plot()`: line for 1-D, image for 2-D, histogram otherwise; `.line()`, `.imshow()`, `.pcolormesh()`, `.hist()` pick one. */
  get plot(): DataArrayPlot { return plotAccessor(this); }

  // --- conversion and display (convert.ts, repr.ts) ---
  /** Nested JS arrays of the values (bigints stay bigint). */
  toArray(): NestedArray { return convert.toNested(this); }
  /** xarray's to_dict(): {dims, data, coords, attrs, name}; JSON-safe when `json` (bigint → number or string). */
  toDict(options: optionLists.DictOptions = {}): Record<string, unknown> { return convert.toDict(this, checkOptions('DataArray.toDict', options, optionLists.DICT_OPTIONS)); }
  /** The to_dict() form with data, JSON-safe; JSON.stringify uses it. */
  toJSON(): unknown { return convert.toDict(this, { data: true, json: true }); }
  /** xarray's text repr. */
  toString(): string { return repr.formatDataArray(this); }
  /** xarray's HTML repr, for notebooks. */
  toHTML(): string { return repr.htmlDataArray(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
  /** Rich output for notebooks: the HTML summary, with the text repr for plain front ends. */
  [MIME_BUNDLE](): DisplayOutput { return { data: { 'text/plain': this.toString(), 'text/html': this.toHTML() } }; }
}

// ---------------------------------------------------------------------------
// construction helpers

function scalarAt(da: DataArray, i: number): Scalar {
  const v = da.values[i];
  return da.dtype === 'bool' ? v === 1 : (v as Scalar);
}

/** Turn any CoordInput into a bare DataArray named `name`. */
export function toCoordArray(name: string, c: CoordInput, dims: readonly string[] = [name]): DataArray {
  if (c instanceof DataArray) {
    if (c.name === name && Object.keys(c.coords).length === 0) return c;
    return DataArray.fromParts({ values: c.values, dims: c.dims, shape: c.shape, dtype: c.dtype, attrs: c.attrs, name, encoding: c.encoding });
  }
  if (isCoordTuple(c)) {
    const [d, data, attrs] = c;
    return new DataArray(data, { dims: typeof d === 'string' ? [d] : d, attrs, name });
  }
  // A bare scalar is a 0-d (scalar) coordinate, as xarray's coords={'s': 5}.
  if (c === null || typeof c !== 'object') return new DataArray(c as DataInput, { dims: [], name });
  return new DataArray(c as DataInput, { dims: dims.length === 1 ? [...dims] : [name], name });
}

/** [dims, data, attrs?] as opposed to a plain array of labels: its second element is array data. */
function isCoordTuple(c: CoordInput): c is [string | string[], DataInput, Attrs?] {
  if (!Array.isArray(c) || c.length < 2 || c.length > 3) return false;
  const [d, data] = c as unknown[];
  const dimsOk = typeof d === 'string' || (Array.isArray(d) && d.every((x) => typeof x === 'string'));
  return dimsOk && (Array.isArray(data) || ArrayBuffer.isView(data));
}

function normalizeCoords(input: Record<string, CoordInput>, dims: readonly string[], shape: readonly number[]): Record<string, DataArray> {
  const out: Record<string, DataArray> = {};
  for (const [name, c] of Object.entries(input)) {
    const coord = toCoordArray(name, c);
    coord.dims.forEach((d, i) => {
      const axis = dims.indexOf(d);
      if (axis < 0) {
        throw new ToolBoxValueError(`coordinate '${name}' has dimension '${d}', which the array does not have (dims: ${dims.join(', ')})`);
      }
      if (shape[axis] !== coord.shape[i]) {
        throw new ToolBoxValueError(`coordinate '${name}' has length ${coord.shape[i]} along '${d}' but the array has ${shape[axis]}`);
      }
    });
    out[name] = coord;
  }
  return out;
}
