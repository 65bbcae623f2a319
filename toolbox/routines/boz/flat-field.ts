/**
 * The zone plate's flat field from its planes (Python:
 * compute_flat_field_correction): 1 outside the 'n' and 'p' ROIs, inside each
 * the plane's height z = −(a·x + b·y + d)/c over the ROI's pixel positions,
 * held above 1% of its value at the ROI centre so it never turns negative.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { image } from '../../plots/image.js';
import type { Plot } from '../../plots/plot.js';
import { withPlot } from '../../plots/with-plot.js';
import { type FlatFieldParams, type RoiPixelPos, beamRois, pixelPosOf } from './ff-params.js';
import { MODULE_COLS, MODULE_ROWS, type Plane, type Roi } from './types.js';

/** The flat field is held at or above this fraction of its value at the ROI centre (Python: not negative). */
export const FF_FLOOR = 0.01;

export interface ComputeFlatFieldOptions {
  /** Also return a plot of the flat field (Python's plot=True). */
  plot?: boolean;
}
const COMPUTE_FF_OPTIONS = optionNames<ComputeFlatFieldOptions>({ plot: true });

/**
 * The 'n' and 'p' planes of 4 or 8 numbers: with mirror symmetry the 'p'
 * plane is the 'n' plane (the first 4) with a → −a, and a stored 'p' plane
 * is ignored (the parameters class stores 8); without it, 8 are needed.
 */
export function planesOf(ff: readonly number[], forceMirror: boolean, fn: string): { n: Plane; p: Plane } {
  const ok = Array.isArray(ff) && ff.every(Number.isFinite) && (ff.length === 8 || (ff.length === 4 && forceMirror));
  if (!ok) {
    throw new ParameterError(`${fn}: the flat-field planes are 8 finite numbers ('n' plane a, b, c, d, then 'p'), or 4 with mirror symmetry; got [${ff.join(', ')}] with forceMirror ${forceMirror}`, { parameter: 'flatField', value: ff });
  }
  const n: Plane = [ff[0], ff[1], ff[2], ff[3]];
  const p: Plane = forceMirror ? [-ff[0], ff[1], ff[2], ff[3]] : [ff[4], ff[5], ff[6], ff[7]];
  return { n, p };
}

/**
 * The plane's height z = −(a·x + b·y + d)/c at the positions, floored at
 * FF_FLOOR × its centre value −d/c. A plane whose centre value is not
 * positive (or c = 0) is an error: no flat field divides by it.
 */
export function planeHeight(plane: Plane, pos: RoiPixelPos, what: string): Float64Array {
  const [a, b, c, d] = plane;
  const centre = -d / c;
  if (!(c !== 0 && centre > 0 && Number.isFinite(centre))) {
    throw new ToolBoxValueError(`flat field '${what}': the plane [${plane.join(', ')}] has no positive height at the ROI centre (−d/c = ${centre})`, { val: plane });
  }
  const floor = FF_FLOOR * centre;
  const z = new Float64Array(pos.X.length);
  for (let i = 0; i < z.length; i++) z[i] = Math.max(floor, -(a * pos.X[i] + b * pos.Y[i] + d) / c);
  return z;
}

/** Module-sized flat field with `zn`, `zp` in the ROIs and 1 elsewhere. */
export function flatFieldImage(zn: Float64Array, rn: Roi, zp: Float64Array, rp: Roi): Float64Array {
  const ff = new Float64Array(MODULE_ROWS * MODULE_COLS).fill(1);
  for (const [z, r] of [[zn, rn], [zp, rp]] as const) {
    const cols = r.xh - r.xl;
    for (let y = r.yl; y < r.yh; y++) ff.set(z.subarray((y - r.yl) * cols, (y - r.yl + 1) * cols), y * MODULE_COLS + r.xl);
  }
  return ff;
}

/** The flat field of `planes` (4 or 8 numbers) for the ROIs, module-sized, row-major. */
export function flatFieldOf(planes: readonly number[], rois: FlatFieldParams['rois'], params: FlatFieldParams | undefined, fn: string): Float64Array {
  const { n, p } = beamRois(rois, fn);
  const pl = planesOf(planes, params?.forceMirror ?? true, fn);
  return flatFieldImage(planeHeight(pl.n, pixelPosOf(params, n), 'n'), n, planeHeight(pl.p, pixelPosOf(params, p), 'p'), p);
}

/** The flat field as a module DataArray (dims 'x' rows, 'y' columns). */
export function flatFieldArray(ff: Float64Array): DataArray<'float64'> {
  return new DataArray(ff, { dims: ['x', 'y'], shape: [MODULE_ROWS, MODULE_COLS], dtype: 'float64', name: 'flat_field' });
}

/**
 * Python's compute_flat_field_correction(rois, params, plot=False): the
 * module-sized flat field of params' planes (getFlatField) for `rois`.
 * With `plot`, returns `{ flatField, plot }` instead of the DataArray.
 */
export function computeFlatFieldCorrection(rois: FlatFieldParams['rois'], params: FlatFieldParams, options?: { plot?: false }): DataArray<'float64'>;
export function computeFlatFieldCorrection(rois: FlatFieldParams['rois'], params: FlatFieldParams, options: { plot: true }): { flatField: DataArray<'float64'>; plot: Plot };
export function computeFlatFieldCorrection(rois: FlatFieldParams['rois'], params: FlatFieldParams, options: ComputeFlatFieldOptions = {}): DataArray<'float64'> | { flatField: DataArray<'float64'>; plot: Plot } {
  const opts = checkOptions<ComputeFlatFieldOptions>('computeFlatFieldCorrection', options, COMPUTE_FF_OPTIONS);
  const planes = params?.getFlatField?.();
  if (!planes) throw new ParameterError('computeFlatFieldCorrection: params has no flat-field planes (set them with setFlatField or fit them with planeFitting/ffRefineFit)', { parameter: 'params', value: planes });
  const da = flatFieldArray(flatFieldOf(planes, rois, params, 'computeFlatFieldCorrection'));
  if (!opts.plot) return da;
  const plot = image(da, { title: 'flat field', scheme: 'viridis' });
  return withPlot({ flatField: da }, plot, `flat field of planes [${planes.join(', ')}]`);
}
