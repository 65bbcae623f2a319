/**
 * Reducing a key that should hold one value over a run (a motor position, a
 * setting) to that value, as EXtra-data's KeyData.as_single_value: the
 * median (or another reduction) over the entries, accepted only when every
 * entry is within the tolerances of it (numpy.allclose's rule).
 */
import type { ArrayData } from '../arrays/dtype.js';
import { NoDataError, ParameterError, ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { optionNames } from '../options.js';

export interface SingleValueOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** 'median' (default), 'mean', 'first', or a function of the entries (one per row) to a value. */
  reduceBy?: 'median' | 'mean' | 'first' | ((rows: Float64Array[]) => number | Float64Array);
}
export const SINGLE_VALUE_OPTIONS = optionNames<SingleValueOptions>({ rtol: true, atol: true, reduceBy: true });

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Column `j` of the rows: the j-th element of every entry. */
function column(rows: Float64Array[], j: number): Float64Array {
  return Float64Array.from(rows, (r) => r[j]);
}

function reduce(rows: Float64Array[], how: NonNullable<SingleValueOptions['reduceBy']>): Float64Array {
  if (typeof how === 'function') {
    const v = how(rows);
    return typeof v === 'number' ? Float64Array.of(v) : v;
  }
  const width = rows[0].length;
  if (how === 'first') return Float64Array.from(rows[0]);
  if (how === 'median') return Float64Array.from({ length: width }, (_, j) => median(column(rows, j)));
  if (how === 'mean') return Float64Array.from({ length: width }, (_, j) => column(rows, j).reduce((a, b) => a + b, 0) / rows.length);
  throw new ParameterError(`reduceBy must be 'median', 'mean', 'first' or a function, got ${JSON.stringify(how)}`, { parameter: 'reduceBy', value: how, expected: ['median', 'mean', 'first'] });
}

function uniqueString(values: string[], where: string): string {
  const unique = [...new Set(values)];
  if (unique.length > 1) throw new ToolBoxValueError(`${where}: string values are not unique: ${unique.slice(0, 5).map((u) => `'${u}'`).join(', ')}`);
  return unique[0];
}

/**
 * The single value of `values` (flat, shape [entries, ...entry]): a number
 * for scalar entries, a Float64Array (one per element) for array entries.
 */
export function singleValue(values: ArrayData, shape: readonly number[], what: { source: string; key: string }, options: SingleValueOptions = {}): number | string | Float64Array {
  const where = `${what.source} ${what.key}`;
  const entries = shape[0] ?? 0;
  if (entries === 0) throw new NoDataError(`${where} has no data in the selected trains`, what);
  if (Array.isArray(values)) {
    if (options.reduceBy !== undefined) throw new ToolBoxTypeError(`${where} holds strings: reduceBy is not supported for them`);
    return uniqueString(values, where);
  }
  const width = values.length / entries;
  const rows = Array.from({ length: entries }, (_, i) => Float64Array.from(values.subarray(i * width, (i + 1) * width) as ArrayLike<number | bigint>, Number));
  const value = reduce(rows, options.reduceBy ?? 'median');
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 0;
  let adev = 0;
  let within = true;
  for (const row of rows) {
    row.forEach((x, j) => {
      const v = value[value.length === 1 ? 0 : j];
      const d = Math.abs(x - v);
      adev = Math.max(adev, d);
      if (!(d <= atol + rtol * Math.abs(v))) within = false;
    });
  }
  if (!within) {
    const scale = Math.max(...Array.from(value, Math.abs));
    throw new ToolBoxValueError(`${where}: data values are not within tolerance (absolute: ${adev.toPrecision(3)}, relative: ${(adev / scale).toPrecision(3)})`);
  }
  return width === 1 && shape.length === 1 ? value[0] : value;
}
