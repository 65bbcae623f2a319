/**
 * Finding the three beams' ROIs on a module image (Python: find_rois,
 * find_rois_from_params) and the pixel positions inside a ROI
 * (get_roi_pixel_pos). Conventions: docs/boz.md, ROIs.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { imageValues, type ModuleImage } from './module-image.js';
import { BEAMS, MODULE_COLS, MODULE_ROWS, type Roi, type Rois } from './types.js';

/** Options of findRois. */
export interface FindRoisOptions {
  /** Also define ASIC-based ROIs: each beam cut at the 64 × 64 ASIC boundaries (default false). */
  extended?: boolean;
}
export const FIND_ROIS_OPTIONS = optionNames<FindRoisOptions>({ extended: true });

/** DSSC ASICs are 64 × 64 pixels: a module is 2 rows × 8 columns of them. */
export const ASIC_SIZE = 64;

/** Column and row projections of a module image: pX (512) the mean of each column over the rows, pY (128) of each row over the columns; NaN pixels skipped (nanmean). */
export function roiProjections(values: Float64Array): { pX: Float64Array; pY: Float64Array } {
  const sx = new Float64Array(MODULE_COLS), nx = new Float64Array(MODULE_COLS);
  const sy = new Float64Array(MODULE_ROWS), ny = new Float64Array(MODULE_ROWS);
  for (let r = 0; r < MODULE_ROWS; r++) {
    for (let c = 0; c < MODULE_COLS; c++) {
      const v = values[r * MODULE_COLS + c];
      if (Number.isNaN(v)) continue;
      sx[c] += v; nx[c]++;
      sy[r] += v; ny[r]++;
    }
  }
  return { pX: sx.map((s, c) => (nx[c] ? s / nx[c] : NaN)), pY: sy.map((s, r) => (ny[r] ? s / ny[r] : NaN)) };
}

/**
 * Maximal runs [start, end) of consecutive entries strictly above the
 * threshold. A NaN entry (a row or column with every pixel masked) joins the
 * run around it when the entries on both sides of its NaN gap are above, so a
 * masked line through a beam does not split it; elsewhere it is below.
 */
export function runsAbove(p: ArrayLike<number>, threshold: number): [number, number][] {
  const n = p.length;
  const above = Array.from({ length: n }, (_, i) => p[i] > threshold);
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(p[i])) continue;
    let j = i;
    while (j < n && Number.isNaN(p[j])) j++;
    const bridge = i > 0 && j < n && above[i - 1] && above[j];
    for (let k = i; k < j; k++) above[k] = bridge;
    i = j;
  }
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const on = i < n && above[i];
    if (on && start < 0) start = i;
    if (!on && start >= 0) { runs.push([start, i]); start = -1; }
  }
  return runs;
}

function largest(p: Float64Array): string {
  let k = -1;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i]) && (k < 0 || p[i] > p[k])) k = i;
  return k < 0 ? 'every value is NaN' : `the largest is ${p[k]} at ${k}`;
}

const runsText = (runs: [number, number][]) => runs.map(([a, b]) => `[${a}, ${b})`).join(', ');

/** The three beams' column ranges, equal width (the widest run's), centred on each run. */
function beamColumns(pX: Float64Array, threshold: number): [number, number][] {
  const runs = runsAbove(pX, threshold);
  if (runs.length === 0) throw new ToolBoxValueError(`findRois: no column projection above threshold ${threshold} (${largest(pX)}): no beam found`);
  if (runs.length !== 3) {
    throw new ToolBoxValueError(`findRois: ${runs.length} column ranges above threshold ${threshold} (${runsText(runs)}); expected 3 beams n, 0, p`);
  }
  const w = Math.max(...runs.map(([a, b]) => b - a));
  const cols = runs.map(([a, b]): [number, number] => {
    const xl = Math.floor((a + b - w) / 2);
    return [xl, xl + w];
  });
  for (let k = 0; k < 3; k++) {
    const [xl, xh] = cols[k];
    if (xl < 0 || xh > MODULE_COLS) {
      throw new ToolBoxValueError(`findRois: beam '${BEAMS[k]}' widened to ${w} columns is [${xl}, ${xh}), outside the module's columns [0, ${MODULE_COLS}) (ranges above threshold: ${runsText(runs)})`);
    }
    if (k > 0 && cols[k - 1][1] > xl) {
      throw new ToolBoxValueError(`findRois: beams '${BEAMS[k - 1]}' [${cols[k - 1][0]}, ${cols[k - 1][1]}) and '${BEAMS[k]}' [${xl}, ${xh}) overlap once widened to ${w} columns (ranges above threshold: ${runsText(runs)})`);
    }
  }
  return cols;
}

/** The beams' shared row range. */
function beamRows(pY: Float64Array, threshold: number): [number, number] {
  const runs = runsAbove(pY, threshold);
  if (runs.length === 0) throw new ToolBoxValueError(`findRois: no row projection above threshold ${threshold} (${largest(pY)}): no beam found`);
  if (runs.length !== 1) throw new ToolBoxValueError(`findRois: ${runs.length} row ranges above threshold ${threshold} (${runsText(runs)}); the beams share one`);
  return runs[0];
}

/** Each beam cut at the ASIC boundaries: `${beam}_asic${k}`, k = 8 × ASIC row + ASIC column. */
function asicRois(rois: Rois): Rois {
  const out: Rois = {};
  for (const b of BEAMS) {
    const r = rois[b];
    for (let k = 0; k < (MODULE_ROWS / ASIC_SIZE) * (MODULE_COLS / ASIC_SIZE); k++) {
      const ay = Math.floor(k / 8) * ASIC_SIZE, ax = (k % 8) * ASIC_SIZE;
      const box = { xl: Math.max(r.xl, ax), xh: Math.min(r.xh, ax + ASIC_SIZE), yl: Math.max(r.yl, ay), yh: Math.min(r.yh, ay + ASIC_SIZE) };
      if (box.xl < box.xh && box.yl < box.yh) out[`${b}_asic${k}`] = box;
    }
  }
  return out;
}

/**
 * Finds the ROIs of the three beams on a dark-corrected mean module image:
 * columns whose mean (over rows) is above `threshold` form three ranges, n, 0
 * and p from left to right, made the same width (the widest); rows whose
 * mean (over columns) is above it form the one row range they share. 'sat'
 * spans the three. A ToolBoxValueError gives the ranges found when that fails.
 */
export function findRois(dataMean: ModuleImage, threshold: number, options: FindRoisOptions = {}): Rois {
  const o = checkOptions('findRois', options, FIND_ROIS_OPTIONS);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new ParameterError(`findRois: threshold must be a finite number, got ${String(threshold)}`, { parameter: 'threshold', value: threshold });
  }
  const { pX, pY } = roiProjections(imageValues(dataMean, 'findRois', 'dataMean'));
  const cols = beamColumns(pX, threshold);
  const [yl, yh] = beamRows(pY, threshold);
  const rois: Rois = {};
  BEAMS.forEach((b, k) => { rois[b] = { xl: cols[k][0], xh: cols[k][1], yl, yh }; });
  rois.sat = { xl: cols[0][0], xh: cols[2][1], yl, yh };
  return o.extended ? { ...rois, ...asicRois(rois) } : rois;
}

/** Checks a ROI: integer edges, non-empty, inside the module; else a ParameterError naming it. */
export function checkRoi(roi: Roi, fn: string, name = 'roi'): Roi {
  const ok = roi !== null && typeof roi === 'object' && (['xl', 'xh', 'yl', 'yh'] as const).every((k) => Number.isInteger(roi[k]));
  if (!ok) throw new ParameterError(`${fn}: ${name} must have integer xl, xh, yl, yh, got ${JSON.stringify(roi)}`, { parameter: name, value: roi });
  if (roi.xl < 0 || roi.xh > MODULE_COLS || roi.xl >= roi.xh || roi.yl < 0 || roi.yh > MODULE_ROWS || roi.yl >= roi.yh) {
    throw new ParameterError(`${fn}: ${name} x [${roi.xl}, ${roi.xh}) y [${roi.yl}, ${roi.yh}) is empty or outside the module (x [0, ${MODULE_COLS}), y [0, ${MODULE_ROWS}))`, { parameter: name, value: roi });
  }
  return roi;
}

/** DSSC pixel pitch (µm): 236 along a row (the 512 axis), 204 between rows; odd rows are shifted by half a pixel. */
export const DSSC_PITCH_X_UM = 236;
export const DSSC_PITCH_Y_UM = 204;

/**
 * Pixel positions of a ROI relative to its centre (the mean position), in
 * units of the column pitch, row-major over img[yl:yh, xl:xh] (Python:
 * get_roi_pixel_pos). "Fake" (params.useHex false or no params): X = column,
 * Y = row, a square grid. "Real" (params.useHex): the DSSC's hexagonal
 * lattice, Y = row × 204/236 and odd rows shifted by +½ in X.
 */
export function getRoiPixelPos(roi: Roi, params: { useHex: boolean } | null = null): { X: Float64Array; Y: Float64Array } {
  checkRoi(roi, 'getRoiPixelPos');
  const hex = params?.useHex === true;
  const w = roi.xh - roi.xl, h = roi.yh - roi.yl;
  const X = new Float64Array(w * h), Y = new Float64Array(w * h);
  for (let r = 0; r < h; r++) {
    const row = roi.yl + r;
    for (let c = 0; c < w; c++) {
      X[r * w + c] = roi.xl + c + (hex && row % 2 === 1 ? 0.5 : 0);
      Y[r * w + c] = hex ? (row * DSSC_PITCH_Y_UM) / DSSC_PITCH_X_UM : row;
    }
  }
  const centre = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const cx = centre(X), cy = centre(Y);
  return { X: X.map((v) => v - cx), Y: Y.map((v) => v - cy) };
}
