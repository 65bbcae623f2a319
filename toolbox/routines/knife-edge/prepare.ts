/**
 * The data preparation of a knife-edge fit (Python: the helpers of
 * toolbox_scs.base.knife_edge that its tests test_range_mask and
 * test_prepare_arrays_* exercise): 2-D intensities (rows = positions, e.g.
 * several pulses per train) flattened against repeated positions, points
 * outside the axis range and NaNs dropped.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';

/** Edges of the scanning axis: [min, max], inclusive; null (or ±Infinity) for an open side. */
export type KnifeEdgeAxisRange = readonly [number | null, number | null];

/** Positions: one per row of the intensities. */
export type KnifeEdgePositions = ArrayLike<number> | DataArray;
/** Intensities: one per position, or rows of several per position (nested arrays, or a DataArray whose first dim is the positions'). */
export type KnifeEdgeIntensities = ArrayLike<number> | ArrayLike<ArrayLike<number>> | DataArray;

/**
 * rangeMask: true where min ≤ value ≤ max (both edges inclusive, as numpy's
 * `(a >= min) & (a <= max)`); no range keeps every value, NaN included
 * (prepareArrays drops NaNs separately).
 */
export function rangeMask(values: ArrayLike<number>, range?: KnifeEdgeAxisRange | null): boolean[] {
  const lo = range?.[0] ?? -Infinity, hi = range?.[1] ?? Infinity;
  if (range && lo > hi) throw new ToolBoxValueError(`axisRange [${lo}, ${hi}] has its lower edge above its upper edge`);
  if (!range) return Array.from(values, () => true);
  return Array.from(values, (v) => v >= lo && v <= hi);
}

function numbersOf(a: ArrayLike<number> | DataArray, what: string): Float64Array {
  const values = a instanceof DataArray ? a.values : a;
  if (values.length > 0 && typeof values[0] !== 'number' && typeof values[0] !== 'bigint') {
    throw new ToolBoxValueError(`${what} must be numbers, got ${typeof values[0]}`);
  }
  return Float64Array.from(values as ArrayLike<number>, Number);
}

/** Intensities as a flat row-major array with `perRow` values per position. */
function rowsOf(intensities: KnifeEdgeIntensities, n: number): { flat: Float64Array; perRow: number } {
  if (intensities instanceof DataArray) {
    const size = intensities.size;
    if (intensities.ndim > 2) throw new ToolBoxValueError(`intensities must be 1-D or 2-D, got dims (${intensities.dims.join(', ')})`);
    if (intensities.shape[0] !== n) {
      throw new ToolBoxValueError(`intensities have ${intensities.shape[0]} rows along '${intensities.dims[0]}' but there are ${n} positions`);
    }
    return { flat: numbersOf(intensities, 'intensities'), perRow: n ? size / n : 0 };
  }
  const first = intensities.length ? intensities[0] : undefined;
  if (first !== undefined && typeof first === 'object' && first !== null) {
    const rows = intensities as ArrayLike<ArrayLike<number>>;
    const perRow = rows[0].length;
    const flat = new Float64Array(rows.length * perRow);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].length !== perRow) throw new ToolBoxValueError(`intensities row ${i} has ${rows[i].length} values, row 0 has ${perRow}`);
      for (let j = 0; j < perRow; j++) flat[i * perRow + j] = Number(rows[i][j]);
    }
    if (rows.length !== n) throw new ToolBoxValueError(`intensities have ${rows.length} rows but there are ${n} positions`);
    return { flat, perRow };
  }
  const flat = numbersOf(intensities as ArrayLike<number>, 'intensities');
  if (flat.length !== n) throw new ToolBoxValueError(`intensities have ${flat.length} values but there are ${n} positions (2-D intensities: one row per position)`);
  return { flat, perRow: 1 };
}

/** What preparation kept, for the fit's error messages. */
export interface PreparedPoints {
  x: Float64Array;
  y: Float64Array;
  /** Intensity values given. */
  total: number;
  /** Finite intensity values at finite positions (before axisRange). */
  finite: number;
  /** Smallest and largest finite position. */
  span: [number, number];
}

/** prepareArrays with the counts of what it kept. */
export function preparePoints(positions: KnifeEdgePositions, intensities: KnifeEdgeIntensities, axisRange?: KnifeEdgeAxisRange | null): PreparedPoints {
  if (positions instanceof DataArray && positions.ndim > 1) {
    throw new ToolBoxValueError(`positions must be 1-D, got dims (${positions.dims.join(', ')})`);
  }
  const pos = numbersOf(positions, 'positions');
  const { flat, perRow } = rowsOf(intensities, pos.length);
  const inRange = rangeMask(pos, axisRange);
  const x: number[] = [], y: number[] = [];
  let finite = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < pos.length; i++) {
    if (!Number.isFinite(pos[i])) continue;
    lo = Math.min(lo, pos[i]);
    hi = Math.max(hi, pos[i]);
    for (let j = 0; j < perRow; j++) {
      const v = flat[i * perRow + j];
      if (!Number.isFinite(v)) continue;
      finite++;
      if (inRange[i]) {
        x.push(pos[i]);
        y.push(v);
      }
    }
  }
  return { x: Float64Array.from(x), y: Float64Array.from(y), total: flat.length, finite, span: [lo, hi] };
}

/**
 * prepareArrays: positions and intensities as two 1-D arrays of the same
 * size, ready to fit. 2-D intensities are flattened row by row with each
 * position repeated once per value of its row (numpy's repeat + flatten);
 * points outside axisRange and points whose position or intensity is NaN
 * (or ±Infinity) are dropped.
 */
export function prepareArrays(positions: KnifeEdgePositions, intensities: KnifeEdgeIntensities, axisRange?: KnifeEdgeAxisRange | null): { x: Float64Array; y: Float64Array } {
  const { x, y } = preparePoints(positions, intensities, axisRange);
  return { x, y };
}
