/**
 * What the flat-field routines read from a `parameters` object, and the
 * module images they take. Kept as a structural interface so the routines
 * are usable (and testable) with any object carrying these fields, the
 * `parameters` class among them. Definitions: docs/boz.md, Flat field.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError } from '../../errors.js';
import { type ModuleImage, imageValues } from './module-image.js';
import { getRoiPixelPos } from './rois.js';
import { MODULE_COLS, MODULE_ROWS, type ModuleFrames, type Roi, type Rois } from './types.js';

export type { ModuleImage } from './module-image.js';

/** A low and a high threshold (Python's tuple); ±Infinity for none. */
export type Thresholds = readonly [number, number];

/** Pixel positions of a ROI, row-major over its rows then columns (Python's get_roi_pixel_pos). */
export interface RoiPixelPos { X: Float64Array; Y: Float64Array }

/** The fields of Python's `parameters` the flat-field routines use (camelCased). */
export interface FlatFieldParams {
  /** 'n', '0', 'p' (and 'sat') ROIs (a required key: a parameters object, not an options object). */
  rois: Rois | null | undefined;
  /** The plane(s): 4 numbers [a, b, c, d] (mirror symmetry) or 8 ('n' then 'p'). */
  getFlatField?(): readonly number[] | null | undefined;
  /** Starting plane(s) of the fit (Python's plane_guess_fit, set by flat_field_guess). */
  planeGuessFit?: readonly number[] | null;
  /** The 'p' plane is the 'n' plane mirrored in x (default true). */
  forceMirror?: boolean;
  /** Thresholds of the plane-fitting domain on the product n·0 (and p·0). */
  ffProdTh?: Thresholds | null;
  /** Thresholds of the plane-fitting domain on the ratios n/0 and p/0. */
  ffRatioTh?: Thresholds | null;
  /** Weight of the regulariser in ffRefineCrit. */
  ffAlpha?: number | null;
  /** Most Nelder-Mead iterations of ffRefineFit. */
  ffMaxIter?: number | null;
  /** Raw value at which a pixel saturates. */
  satLevel?: number | null;
  /** Bad pixels (1 = bad), 65,536 entries. */
  getMask?(): ArrayLike<number> | null | undefined;
  /** Dark run and data run frames (Python's arr_dark, arr, tid). */
  arrDark?: ModuleFrames | null;
  arr?: ModuleFrames | null;
  tid?: BigUint64Array | null;
  /** Pixel positions on the DSSC's hexagonal lattice instead of the square one (getRoiPixelPos). */
  useHex?: boolean;
}

/** Python's flat_field_prod_th / ratio_th defaults: the product n·0 above 5, the ratio below 1.2. */
export const DEFAULT_PROD_TH: Thresholds = [5, Infinity];
export const DEFAULT_RATIO_TH: Thresholds = [-Infinity, 1.2];

/** The module image as 65,536 float64 values, row-major (128 rows × 512 columns). */
export function moduleValues(img: ModuleImage, fn: string, parameter = 'avg'): Float64Array {
  return imageValues(img, fn, parameter);
}

/** The ROI, checked to lie in the module and be non-empty. */
export function checkRoi(rois: Rois | null | undefined, name: string, fn: string): Roi {
  const r = rois?.[name];
  if (!r) throw new ParameterError(`${fn}: rois has no '${name}' ROI (needs 'n', '0' and 'p')`, { parameter: 'rois', value: rois });
  const ok = [r.xl, r.xh, r.yl, r.yh].every(Number.isInteger) && r.xl >= 0 && r.xh <= MODULE_COLS && r.yl >= 0 && r.yh <= MODULE_ROWS && r.xl < r.xh && r.yl < r.yh;
  if (!ok) {
    throw new ParameterError(`${fn}: ROI '${name}' ${JSON.stringify(r)} is empty or outside the module (columns 0…${MODULE_COLS}, rows 0…${MODULE_ROWS})`, { parameter: 'rois', value: r });
  }
  return r;
}

/** The 'n', '0', 'p' ROIs, checked to be of one size. */
export function beamRois(rois: Rois | null | undefined, fn: string): { n: Roi; z: Roi; p: Roi; rows: number; cols: number } {
  const n = checkRoi(rois, 'n', fn), z = checkRoi(rois, '0', fn), p = checkRoi(rois, 'p', fn);
  const rows = n.yh - n.yl, cols = n.xh - n.xl;
  for (const [name, r] of [['0', z], ['p', p]] as const) {
    if (r.yh - r.yl !== rows || r.xh - r.xl !== cols) {
      throw new ParameterError(`${fn}: ROIs 'n' (${rows} × ${cols}) and '${name}' (${r.yh - r.yl} × ${r.xh - r.xl}) differ in size; the ratio images need beams of one size`, { parameter: 'rois', value: rois });
    }
  }
  return { n, z, p, rows, cols };
}

/** The ROI's pixels of a row-major module image. */
export function roiPixels(img: Float64Array, r: Roi): Float64Array {
  const cols = r.xh - r.xl;
  const out = new Float64Array((r.yh - r.yl) * cols);
  for (let y = r.yl; y < r.yh; y++) out.set(img.subarray(y * MODULE_COLS + r.xl, y * MODULE_COLS + r.xh), (y - r.yl) * cols);
  return out;
}

/** The ROI's pixel positions (getRoiPixelPos: square or, with params.useHex, hexagonal lattice, relative to the ROI centre). */
export function pixelPosOf(params: FlatFieldParams | undefined, r: Roi): RoiPixelPos {
  return getRoiPixelPos(r, { useHex: params?.useHex === true });
}

/** A ROI image as a DataArray (dims 'x' rows, 'y' columns, with module coordinates). */
export function roiArray(values: Float64Array | Uint8Array, r: Roi, name: string): DataArray {
  const rows = Float64Array.from({ length: r.yh - r.yl }, (_, i) => r.yl + i);
  const cols = Float64Array.from({ length: r.xh - r.xl }, (_, j) => r.xl + j);
  return new DataArray(values, {
    dims: ['x', 'y'], shape: [rows.length, cols.length], name,
    dtype: values instanceof Uint8Array ? 'bool' : 'float64', coords: { x: rows, y: cols },
  });
}
