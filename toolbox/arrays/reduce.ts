/**
 * Reductions over named dimensions (xarray's sum/mean/std/... on DataArray and
 * Dataset). All reduced dims are handled in one pass: the array is seen as
 * alternating blocks of kept and reduced axes, and the two innermost blocks
 * form contiguous rows that the accumulators consume in tight loops (see
 * accumulators.ts), so reducing a leading or trailing block never transposes.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { DataArray, type Attrs, type Dims, type ReduceOptions } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type ArrayData, type DType, floatResultType, isFloat } from './dtype.js';
import type { Accumulator } from './accumulators.js';
import { NUMERIC_ONLY, aggregate, checkOpDType } from './aggregate.js';
import { argMinMax, gatherLayout, median } from './reduce-select.js';
import { product } from './kernels.js';
import { checkOptions } from '../options.js';
import { REDUCE_OPTIONS } from './option-names.js';

export type ReduceOp = 'sum' | 'mean' | 'std' | 'var' | 'min' | 'max' | 'count' | 'prod' | 'median' | 'any' | 'all' | 'argmin' | 'argmax';

/** Ops for which reducing over no axis returns the data unchanged (xarray's invariant_0d). */
const INVARIANT = new Set<ReduceOp>(['sum', 'mean', 'min', 'max', 'median', 'prod']);

export interface ParsedReduce {
  /** Dims asked for; null means all. */
  dims: string[] | null;
  options: ReduceOptions;
}

/**
 * Accept `(dim, options)`, `(options)` or `(null/undefined)` as xarray's
 * reductions do. `op` names the public function in messages ('DataArray.sum').
 */
export function parseReduceArgs(op: string, dim: Dims | null | ReduceOptions | undefined, options: ReduceOptions = {}): ParsedReduce {
  let opts: ReduceOptions;
  let d: Dims | null | undefined;
  checkOptions(op, options, REDUCE_OPTIONS);
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    opts = { ...checkOptions(op, dim, REDUCE_OPTIONS), ...options };
    d = opts.dim;
  } else {
    opts = { ...options };
    d = dim !== undefined ? dim : opts.dim;
  }
  checkReduceValues(op, opts);
  if (d === null || d === undefined) return { dims: null, options: opts };
  const list = typeof d === 'string' ? [d] : d;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new ToolBoxTypeError(`${op}: dim must be a dimension name or a list of names, got ${String(d)}`);
  }
  return { dims: [...new Set(list)], options: opts };
}

/** The option values (their names are checked by checkOptions). */
function checkReduceValues(op: string, o: ReduceOptions): void {
  if (o.skipna !== undefined && typeof o.skipna !== 'boolean') throw new ToolBoxTypeError(`${op}: skipna must be a boolean, got ${String(o.skipna)}`);
  if (o.keepAttrs !== undefined && typeof o.keepAttrs !== 'boolean') throw new ToolBoxTypeError(`${op}: keepAttrs must be a boolean, got ${String(o.keepAttrs)}`);
  if (o.ddof !== undefined && (typeof o.ddof !== 'number' || !Number.isFinite(o.ddof))) {
    throw new ToolBoxValueError(`${op}: ddof must be a finite number, got ${String(o.ddof)}`);
  }
  if (o.minCount !== undefined && (typeof o.minCount !== 'number' || !Number.isInteger(o.minCount) || o.minCount < 0)) {
    throw new ToolBoxValueError(`${op}: minCount must be a non-negative integer, got ${String(o.minCount)}`);
  }
}

/**
 * Feeds an accumulator from a C-ordered array of `shape` whose `reduced` axes
 * collapse. Size-1 axes are ignored and neighbouring axes of the same kind
 * merge, leaving blocks that alternate kept/reduced.
 */
export function blockFeed(shape: readonly number[], reduced: readonly boolean[]): (acc: Accumulator) => void {
  const sizes: number[] = [], red: boolean[] = [];
  for (let a = 0; a < shape.length; a++) {
    if (shape[a] === 0) return () => {};
    if (shape[a] === 1) continue;
    if (red.length && red[red.length - 1] === reduced[a]) sizes[sizes.length - 1] *= shape[a];
    else { sizes.push(shape[a]); red.push(reduced[a]); }
  }
  if (sizes.length === 0) { sizes.push(1); red.push(false); }
  const m = sizes.length;
  if (m === 1) {
    return red[0] ? (acc) => acc.rowsToSlots(0, 1, sizes[0], 0) : (acc) => acc.rowsInto(0, 1, sizes[0], 0, null);
  }
  const rows = sizes[m - 2], rowLen = sizes[m - 1], chunk = rows * rowLen, lastReduced = red[m - 1];
  const outer = sizes.slice(0, m - 2);
  const outStride = new Array<number>(outer.length).fill(0);
  let st = lastReduced ? rows : rowLen;
  for (let b = outer.length - 1; b >= 0; b--) if (!red[b]) { outStride[b] = st; st *= outer[b]; }
  const nChunks = product(outer);
  return (acc) => {
    const idx = new Array<number>(outer.length).fill(0);
    let outBase = 0;
    for (let c = 0, inOff = 0; c < nChunks; c++, inOff += chunk) {
      if (lastReduced) acc.rowsToSlots(inOff, rows, rowLen, outBase);
      else acc.rowsInto(inOff, rows, rowLen, outBase, null);
      for (let b = outer.length - 1; b >= 0; b--) {
        if (++idx[b] < outer[b]) { outBase += outStride[b]; break; }
        idx[b] = 0;
        outBase -= (outer[b] - 1) * outStride[b];
      }
    }
  };
}

interface ReduceCore {
  values: ArrayData;
  dtype: DType;
  dims: string[];
  shape: number[];
}

/**
 * Reduce bare data over `axes`. `explicitEmpty`: the caller asked for no axis
 * at all, which leaves sum/mean/min/max/median/prod data untouched (xarray).
 */
function reduceCore(da: DataArray, op: ReduceOp, axes: number[], o: ReduceOptions, explicitEmpty: boolean, what: string): ReduceCore {
  const dims = da.dims.filter((_, a) => !axes.includes(a));
  const shape = da.shape.filter((_, a) => !axes.includes(a));
  if (axes.length === 0 && explicitEmpty && INVARIANT.has(op)) return { values: da.values, dtype: da.dtype, dims, shape };
  const nRed = axes.reduce((p, a) => p * da.shape[a], 1);
  const nOut = product(shape);
  const skipna = o.skipna ?? isFloat(da.dtype);
  if (op === 'median' || op === 'argmin' || op === 'argmax') {
    checkOpDType(op, da.dtype, what);
    const layout = gatherLayout(da.shape, axes);
    if (op === 'median') return { values: median(da.values, da.dtype, layout, skipna), dtype: floatResultType(da.dtype), dims, shape };
    return { values: argMinMax(da.values, da.dtype, layout, op === 'argmax', skipna, what), dtype: 'int64', dims, shape };
  }
  if ((op === 'min' || op === 'max') && nRed === 0 && nOut > 0) {
    throw new ToolBoxValueError(`${op} of ${what}: zero-size reduction over (${axes.map((a) => da.dims[a]).join(', ')}) has no identity`);
  }
  const reducedMask = da.shape.map((_, a) => axes.includes(a));
  const res = aggregate(op, {
    values: da.values, dtype: da.dtype, nSlots: nOut, sizes: nRed, maxPerSlot: nRed, feed: blockFeed(da.shape, reducedMask),
  }, o, what);
  return { ...res, dims, shape };
}

function describe(da: DataArray): string {
  return da.name ? `'${da.name}'` : 'the array';
}

/** Axes of `dims` in `da` (null: all), with an error naming the dims there are. */
function axesOf(da: DataArray, dims: string[] | null, op: string): number[] {
  if (dims === null) return da.dims.map((_, a) => a);
  const missing = dims.filter((d) => !da.dims.includes(d));
  if (missing.length) {
    throw new ToolBoxValueError(`${op}: dimension${missing.length > 1 ? 's' : ''} ${missing.map((d) => `'${d}'`).join(', ')} not found; the array has dims (${da.dims.join(', ')})`);
  }
  return dims.map((d) => da.dims.indexOf(d)).sort((a, b) => a - b);
}

function keptCoords(coords: Readonly<Record<string, DataArray>>, dropped: readonly string[]): Record<string, DataArray> {
  const out: Record<string, DataArray> = {};
  for (const [n, c] of Object.entries(coords)) if (!c.dims.some((d) => dropped.includes(d))) out[n] = c;
  return out;
}

export function reduce(da: DataArray, op: ReduceOp, dim?: Dims | null | ReduceOptions, options?: ReduceOptions, fn: string = op): DataArray {
  const { dims, options: o } = parseReduceArgs(fn, dim, options);
  const axes = axesOf(da, dims, op);
  if ((op === 'argmin' || op === 'argmax') && axes.length > 1 && dims !== null) {
    throw new ToolBoxValueError(`${op}: give a single dimension (got ${dims.join(', ')}); for the flattened position pass no dim`);
  }
  const core = reduceCore(da, op, axes, o, dims !== null, describe(da));
  const attrs: Attrs = o.keepAttrs ? da.attrs : {};
  return DataArray.fromParts({
    values: core.values, dims: core.dims, shape: core.shape, dtype: core.dtype,
    coords: keptCoords(da.coords, axes.map((a) => da.dims[a])), attrs, name: da.name,
  });
}

/**
 * Reduce each data variable over the dims it has. Like xarray, variables
 * without any of the dims go through the op over no axis (unchanged for sum,
 * mean, ...; zeros for std/var; ones for count), and numeric ops drop string
 * variables (and string variables they cannot pass through unchanged).
 */
export function reduceDataset(ds: Dataset, op: ReduceOp, dim?: Dims | null | ReduceOptions, options?: ReduceOptions, fn: string = op): Dataset {
  const { dims, options: o } = parseReduceArgs(fn, dim, options);
  const sizes = ds.sizes;
  const all = Object.keys(sizes);
  if (dims !== null) {
    const missing = dims.filter((d) => !(d in sizes));
    if (missing.length) {
      throw new ToolBoxValueError(`${op}: Dataset does not contain the dimension${missing.length > 1 ? 's' : ''} ${missing.map((d) => `'${d}'`).join(', ')}; its dims are (${all.join(', ')})`);
    }
  }
  const reducing = dims ?? all;
  const vars = new Map<string, DataArray>();
  for (const name of ds.dataVars) {
    const v = ds.variable(name);
    const axes = v.dims.map((d, a) => (reducing.includes(d) ? a : -1)).filter((a) => a >= 0);
    const numericOnly = NUMERIC_ONLY.has(op) || op === 'any' || op === 'all';
    if (v.dtype === 'string' && numericOnly && (axes.length > 0 || !INVARIANT.has(op))) continue;
    if (v.dtype === 'string' && (op === 'argmin' || op === 'argmax')) continue;
    if ((op === 'argmin' || op === 'argmax') && axes.length !== 1 && !(dims === null && axes.length === v.ndim)) continue;
    // xarray reduces a variable over all of its dims as "no dim given", so 0-d variables are reduced, not passed through.
    const explicitEmpty = axes.length === 0 && v.ndim > 0;
    const core = reduceCore(v, op, axes, o, explicitEmpty, `variable '${name}'`);
    vars.set(name, DataArray.fromParts({ values: core.values, dims: core.dims, shape: core.shape, dtype: core.dtype, attrs: o.keepAttrs ? v.attrs : {}, name }));
  }
  const coords = keptCoords(ds.coords, reducing);
  return Dataset.fromParts(vars, coords, o.keepAttrs ? ds.attrs : {});
}
