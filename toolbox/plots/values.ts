/**
 * Plot inputs: DataArrays or plain arrays, turned into numbers for JSON
 * (bigints become numbers: train IDs ~1e9 are exact in float64; NaN stays
 * NaN here and becomes null in the spec), with axis titles taken from
 * the DataArray name and units like xarray's plots.
 */
import { DataArray } from '../arrays/dataarray.js';
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';

/** Values to plot: a DataArray (its name, units and coordinate label the axes) or plain numbers. */
export type PlotValues = DataArray | ArrayLike<number> | ArrayLike<bigint>;

/** One pandas interval as groupbyBins labels it: "(0.49, 3.667]", "[0, 1)". */
const INTERVAL = /^[([]\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*[\])]$/;

function pyNumber(s: string): number {
  return s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : s.trim() === '' ? NaN : Number(s);
}

/**
 * Midpoints of interval labels (groupbyBins' coordinate), or null when the
 * strings are not all intervals: xarray and matplotlib plot interval bins at
 * their midpoints.
 */
export function intervalMidpoints(labels: readonly unknown[]): Float64Array | null {
  if (labels.length === 0) return null;
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const m = typeof labels[i] === 'string' ? INTERVAL.exec(labels[i] as string) : null;
    if (!m) return null;
    const lo = pyNumber(m[1]), hi = pyNumber(m[2]);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return null;
    out[i] = (lo + hi) / 2;
  }
  return out;
}

export function toNumbers(v: PlotValues, what: string): Float64Array {
  const src = v instanceof DataArray ? v.values : v;
  if (Array.isArray(src) && src.some((x) => typeof x === 'string')) {
    const mid = intervalMidpoints(src);
    if (mid) return mid;
    throw new ToolBoxTypeError(`${what} must be numeric (or interval labels such as '(0, 1]'), got strings`);
  }
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}

/** xarray's label: "name [units]" from the attrs, or the name, or a fallback. */
export function labelOf(v: PlotValues | undefined, fallback: string, extra = ''): string {
  if (!(v instanceof DataArray)) return fallback;
  const name = (typeof v.attrs.long_name === 'string' ? v.attrs.long_name : v.name ?? fallback) + extra;
  return typeof v.attrs.units === 'string' ? `${name} [${v.attrs.units}]` : name;
}

/** The coordinate along `dim` of a DataArray (numeric), or positions 0..n-1. */
export function axisOf(da: DataArray, dim: string): { values: Float64Array; label: string } {
  const n = da.sizes[dim];
  const c = da.coords[dim];
  if (c && c.ndim === 1 && c.dtype !== 'string') return { values: toNumbers(c, `coordinate ${dim}`), label: labelOf(c, dim) };
  // Interval bins (groupbyBins) sit at their midpoints, labelled '<name>_center' as in xarray.
  const mid = c && c.ndim === 1 ? intervalMidpoints(c.values as unknown[]) : null;
  if (c && mid) return { values: mid, label: labelOf(c, dim, '_center') };
  return { values: Float64Array.from({ length: n }, (_, i) => i), label: dim };
}

export function requireNdim(da: DataArray, ndim: number, what: string): void {
  if (da.ndim !== ndim) throw new ToolBoxValueError(`${what} needs a ${ndim}-D DataArray, got dims (${da.dims.join(', ')})`);
}

/** JSON has no NaN or Infinity: they become null, which vega-lite treats as missing. */
export function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
