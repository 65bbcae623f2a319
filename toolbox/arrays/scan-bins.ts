/**
 * Scan-bin labels without float noise. `k * 0.1` is 0.30000000000000004 for
 * k = 3 in binary floating point (numpy's arange and linspace give the same),
 * which then shows up in coordinates, plots and file attributes. A bin width
 * typed as a decimal (0.1, 0.25, 2) has few decimal digits, so labels are
 * computed in integer units of that decimal and divided once: the result is
 * the double nearest the decimal value, `np.round(k * width, decimals)`.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { DataArray } from './dataarray.js';

/** Decimal digits after the point in the shortest round-trip form of `x` (0.1 → 1, 2.5e-8 → 9, 3 → 0). */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const [mant, exp] = Math.abs(x).toExponential().split('e');
  const frac = mant.split('.')[1]?.length ?? 0;
  return Math.max(0, frac - Number(exp));
}

/** Integers that exceed this lose exactness, and the decimal trick with them. */
const EXACT = 2 ** 53;

/**
 * A decimal grid: labels `(offset + k * unit) / scale`, all integers exact.
 * Null when the inputs have too many decimals (a width of 1/3) to be
 * written exactly; callers then fall back to plain float arithmetic.
 */
interface DecimalGrid { offset: number; unit: number; scale: number }

function decimalGrid(origin: number, width: number, maxSteps: number): DecimalGrid | null {
  const d = Math.max(decimalsOf(origin), decimalsOf(width));
  if (d > 15) return null;
  const scale = 10 ** d;
  const offset = Math.round(origin * scale), unit = Math.round(width * scale);
  if (Math.abs(offset) + Math.abs(unit) * maxSteps >= EXACT) return null;
  return { offset, unit, scale };
}

function checkWidth(fn: string, width: number): void {
  if (typeof width !== 'number') throw new ToolBoxTypeError(`${fn}: the bin width must be a number, got ${typeof width}`, { dtype: typeof width });
  if (!(width > 0) || !Number.isFinite(width)) throw new ToolBoxValueError(`${fn}: the bin width must be a positive finite number, got ${width}`, { val: width });
}

/** numpy's round: half to even. */
function rint(y: number): number {
  const f = Math.floor(y), d = y - f;
  if (d !== 0.5) return Math.round(y);
  const even = f % 2 === 0 ? f : f + 1;
  return even === 0 && y < 0 ? -0 : even;
}

/**
 * Every value rounded to the nearest whole multiple of `width`
 * (`width · round(v / width)`, halves to even as numpy), labelled without
 * float noise: with a width of 0.1, 0.29 and 0.31 both become 0.3. NaN stays
 * NaN; the result is float64 with the array's dims, coords, name and attrs.
 */
export function roundToBinWidth(values: DataArray, width: number): DataArray {
  checkWidth('roundToBinWidth', width);
  if (!(values instanceof DataArray)) throw new ToolBoxTypeError(`roundToBinWidth: values must be a DataArray, got ${typeof values}`);
  if (Array.isArray(values.values)) throw new ToolBoxTypeError(`roundToBinWidth: cannot bin ${values.name ? `'${values.name}'` : 'the array'}: it holds strings`, { dtype: values.dtype });
  const src = values.values, out = new Float64Array(src.length);
  let maxSteps = 0;
  const steps = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    steps[i] = rint(Number(src[i]) / width);
    if (Math.abs(steps[i]) > maxSteps) maxSteps = Math.abs(steps[i]);
  }
  const grid = decimalGrid(0, width, maxSteps);
  for (let i = 0; i < src.length; i++) out[i] = grid ? (steps[i] * grid.unit) / grid.scale : steps[i] * width;
  return values.with({ values: out, dtype: 'float64' });
}

/**
 * Bin edges from `start` to `stop` (included when it lies on the grid) every
 * `width`, without float noise: `binEdges(0, 1, 0.1)` ends 0.3, …, 0.9, 1.
 * numpy's `np.arange(0, 1.05, 0.1)` gives 0.30000000000000004 and
 * 0.6000000000000001 there; these are its values rounded to the decimals of
 * the inputs, for groupbyBins edges or scan labels.
 */
export function binEdges(start: number, stop: number, width: number): Float64Array {
  checkWidth('binEdges', width);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ToolBoxValueError(`binEdges: start and stop must be finite numbers, got ${start} and ${stop}`);
  if (!(stop >= start)) throw new ToolBoxValueError(`binEdges: stop (${stop}) must not be below start (${start})`);
  const grid = decimalGrid(start, width, Math.ceil((stop - start) / width) + 1);
  // stop may have more decimals than the grid (1.05 on a grid of 0.1): the last grid point not above it.
  const stopUnits = grid ? Math.floor(stop * grid.scale + 1e-6) : NaN;
  const out: number[] = [];
  for (let k = 0; ; k++) {
    if (grid) {
      const units = grid.offset + k * grid.unit;
      if (units > stopUnits) break;
      out.push(units / grid.scale);
    } else {
      const v = start + k * width;
      // A point within 1e-9 bin widths of stop counts as stop (float steps never land on it exactly).
      if (v > stop + 1e-9 * width) break;
      out.push(v);
    }
  }
  return Float64Array.from(out);
}
