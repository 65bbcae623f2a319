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

export function toNumbers(v: PlotValues, what: string): Float64Array {
  const src = v instanceof DataArray ? v.values : v;
  if (Array.isArray(src) && src.some((x) => typeof x === 'string')) throw new ToolBoxTypeError(`${what} must be numeric, got strings`);
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}

/** xarray's label: "name [units]" from the attrs, or the name, or a fallback. */
export function labelOf(v: PlotValues | undefined, fallback: string): string {
  if (!(v instanceof DataArray)) return fallback;
  const name = typeof v.attrs.long_name === 'string' ? v.attrs.long_name : v.name ?? fallback;
  return typeof v.attrs.units === 'string' ? `${name} [${v.attrs.units}]` : name;
}

/** The coordinate along `dim` of a DataArray (numeric), or positions 0..n-1. */
export function axisOf(da: DataArray, dim: string): { values: Float64Array; label: string } {
  const n = da.sizes[dim];
  const c = da.coords[dim];
  if (c && c.ndim === 1 && c.dtype !== 'string') return { values: toNumbers(c, `coordinate ${dim}`), label: labelOf(c, dim) };
  return { values: Float64Array.from({ length: n }, (_, i) => i), label: dim };
}

export function requireNdim(da: DataArray, ndim: number, what: string): void {
  if (da.ndim !== ndim) throw new ToolBoxValueError(`${what} needs a ${ndim}-D DataArray, got dims (${da.dims.join(', ')})`);
}

/** JSON has no NaN or Infinity: they become null, which vega-lite treats as missing. */
export function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
