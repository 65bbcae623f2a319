/**
 * The images and tables the BOZ data routines take (dark, mask, flat
 * field, lookup table, ROIs), checked and turned into flat arrays once, so
 * the per-frame loops see plain typed arrays. Each error names the routine
 * and the argument (docs/boz.md, Data, dark and ROIs).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import { startProgress } from '../../display/track.js';
import { ADC_LEVELS, MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames, type RawChunk, type Roi, type Rois } from './types.js';

/** A module image or stack of images: a DataArray or flat row-major values. */
export type ModuleImageInput = DataArray | ArrayLike<number>;
/** A bad-pixel mask of one module (1 or true = bad, docs/boz.md), as a DataArray or flat row-major values. */
export type ModuleMaskInput = DataArray | ArrayLike<number | boolean>;
/** A 512-entry lookup table of the 9-bit raw values. */
export type LutInput = ArrayLike<number>;

function flat(v: DataArray | ArrayLike<number | boolean>): ArrayLike<number | boolean> {
  return v instanceof DataArray ? (v.values as ArrayLike<number>) : v;
}

/** The lookup table as a Float64Array (identity when absent). */
export function lutOf(where: string, F?: LutInput): Float64Array {
  if (F === undefined || F === null) return Float64Array.from({ length: ADC_LEVELS }, (_, v) => v);
  if (F.length !== ADC_LEVELS) throw new ToolBoxValueError(`${where}: F_INL must have ${ADC_LEVELS} entries (one per 9-bit raw value), got ${F.length}`);
  const out = Float64Array.from(F);
  if (out.some((x) => !Number.isFinite(x))) throw new ToolBoxValueError(`${where}: F_INL holds a non-finite value`);
  return out;
}

/** The mask as 0/1 bytes (1 = bad); all good when absent. */
export function maskOf(where: string, mask?: ModuleMaskInput): Uint8Array {
  if (mask === undefined || mask === null) return new Uint8Array(MODULE_PIXELS);
  const m = flat(mask);
  if (m.length !== MODULE_PIXELS) throw new ToolBoxValueError(`${where}: mask must be one ${MODULE_ROWS}×${MODULE_COLS} module image (${MODULE_PIXELS} values), got ${m.length}`);
  return Uint8Array.from(m as ArrayLike<number>, (x) => (x ? 1 : 0));
}

/** A module-sized image as Float64Array (`fill` everywhere when absent). */
export function imageOf(where: string, what: string, img: ModuleImageInput | undefined, fill: number): Float64Array {
  if (img === undefined || img === null) return new Float64Array(MODULE_PIXELS).fill(fill);
  const v = flat(img) as ArrayLike<number>;
  if (v.length !== MODULE_PIXELS) throw new ToolBoxValueError(`${where}: ${what} must be one ${MODULE_ROWS}×${MODULE_COLS} module image (${MODULE_PIXELS} values), got ${v.length}`);
  return Float64Array.from(v);
}

/**
 * The dark as `pulses` images: a pulse-resolved dark (pulses × 128 × 512, as
 * averageModule makes it) or one image used for every pulse. A dark of
 * another frame count is an error naming both counts.
 */
export function darkOf(where: string, dark: ModuleImageInput | undefined, pulses: number): Float64Array {
  const out = new Float64Array(pulses * MODULE_PIXELS);
  if (dark === undefined || dark === null) return out;
  const v = flat(dark) as ArrayLike<number>;
  if (v.length === MODULE_PIXELS) {
    for (let k = 0; k < pulses; k++) out.set(v, k * MODULE_PIXELS);
    return out;
  }
  if (v.length !== pulses * MODULE_PIXELS) {
    const n = v.length / MODULE_PIXELS;
    throw new ToolBoxValueError(`${where}: the dark has ${Number.isInteger(n) ? `${n} frames` : `${v.length} values`} per train but the data have ${pulses} pulses; ` +
      'a dark run must have the same frame count (and dropIntraDarks setting) as the data run');
  }
  out.set(v);
  return out;
}

/** A ROI checked against the module: integers, non-empty, inside 128 × 512. */
export function checkRoi(where: string, name: string, r: Roi): Roi {
  const ok = r && [r.xl, r.xh, r.yl, r.yh].every(Number.isInteger) && r.xl >= 0 && r.xh <= MODULE_COLS && r.yl >= 0 && r.yh <= MODULE_ROWS && r.xl < r.xh && r.yl < r.yh;
  if (!ok) throw new ToolBoxValueError(`${where}: ROI '${name}' ${JSON.stringify(r)} is not a non-empty rectangle inside the ${MODULE_ROWS}×${MODULE_COLS} module (columns xl < xh ≤ ${MODULE_COLS}, rows yl < yh ≤ ${MODULE_ROWS})`);
  return r;
}

/** The unmasked pixel indices (row·512 + column) of a ROI. */
export function roiPixels(r: Roi, mask: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let y = r.yl; y < r.yh; y++) for (let x = r.xl; x < r.xh; x++) if (!mask[y * MODULE_COLS + x]) out.push(y * MODULE_COLS + x);
  return Int32Array.from(out);
}

/** rois checked (each a rectangle inside the module), in their given order. */
export function roisOf(where: string, rois: Rois): [string, Roi][] {
  if (!rois || typeof rois !== 'object' || Object.keys(rois).length === 0) throw new ToolBoxValueError(`${where}: rois must be a non-empty object of ROIs {xl, xh, yl, yh}`);
  return Object.entries(rois).map(([n, r]) => [n, checkRoi(where, n, r)]);
}

/** Whether any of `pixels` of the frame at `base` reads ≥ level. */
export function saturated(data: Uint16Array, base: number, pixels: Int32Array, level: number): boolean {
  for (let i = 0; i < pixels.length; i++) if (data[base + pixels[i]] >= level) return true;
  return false;
}

/** Stream every chunk of `arr` with a progress report in trains; `visit` sees each chunk. */
export async function eachChunk(arr: ModuleFrames, label: string, signal: AbortSignal | undefined, visit: (c: RawChunk) => void): Promise<void> {
  const progress = startProgress(`${label} (run ${arr.run}, module ${arr.module})`, { total: arr.trainIds.length, unit: 'trains', quietMs: 1000 });
  try {
    for await (const c of arr.chunks({ signal })) {
      signal?.throwIfAborted();
      visit(c);
      progress.tick(c.trains);
    }
  } finally {
    progress.finish();
  }
}
