/**
 * One streamed pass over a dark run and a data run for the flat field: the
 * dark (mean raw value per pulse and pixel), the dark-corrected average image
 * of the unsaturated frames, and for a sample of those frames the
 * dark-corrected 'n' and 'p' ROI pixels and the '0' ROI intensity, which is
 * all the refinement criterion needs (the flat field only divides 'n' and
 * 'p'). Nothing else of the run is kept: memory is the sample, 16 bytes ×
 * frames × ROI pixels (allocated once for the most frames the stride allows), plus the dark (8 bytes × pulses × 65,536).
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { averageModule } from './average.js';
import { type FlatFieldParams, type RoiPixelPos, beamRois, pixelPosOf } from './ff-params.js';
import { MODULE_COLS, MODULE_PIXELS, type ModuleFrames, type Roi, type Rois } from './types.js';

/** Frames kept for the refinement criterion by default (a stride over the run when it has more). */
export const FF_REFINE_MAX_FRAMES = 2000;

/** The data of the flat-field refinement (see the module comment). */
export interface FfRefineData {
  /** Dark-corrected average of the unsaturated frames, module-sized; masked pixels NaN. */
  avg: Float64Array;
  /** Unsaturated frames averaged. */
  averaged: number;
  /** Frames kept in the sample (unsaturated, I_0 > 0). */
  frames: number;
  /** Dark-corrected 'n' / 'p' ROI pixels of the sample, frame-major; masked pixels 0. */
  cN: Float64Array;
  cP: Float64Array;
  /** '0' ROI intensity of each sampled frame. */
  i0: Float64Array;
  rois: Rois;
  rn: Roi;
  rp: Roi;
  posN: RoiPixelPos;
  posP: RoiPixelPos;
}

export interface FfDataInput {
  arrDark: ModuleFrames;
  arr: ModuleFrames;
  tid?: BigUint64Array | null;
  rois: Rois;
  mask?: ArrayLike<number> | null;
  satLevel: number;
  maxFrames: number;
  params?: FlatFieldParams;
}

/** Mean raw value per pulse and pixel over the dark run's trains: averageModule's pulse-resolved dark, as a flat array. */
export async function darkMean(arrDark: ModuleFrames, fn: string): Promise<Float64Array> {
  if (arrDark.trainIds.length === 0) throw new ToolBoxValueError(`${fn}: the dark run ${arrDark.run} (module ${arrDark.module}) has no trains`);
  return (await averageModule(arrDark)).values as Float64Array;
}

function checkInput(inp: FfDataInput, fn: string): void {
  if (inp.arrDark.pulses !== inp.arr.pulses) {
    throw new ToolBoxValueError(`${fn}: the dark run ${inp.arrDark.run} has ${inp.arrDark.pulses} frames per train, the run ${inp.arr.run} ${inp.arr.pulses}; the dark must match frame for frame`);
  }
  if (inp.tid && inp.tid.length !== inp.arr.trainIds.length) {
    throw new ParameterError(`${fn}: tid has ${inp.tid.length} train IDs, the run ${inp.arr.run} ${inp.arr.trainIds.length}`, { parameter: 'tid', value: inp.tid.length });
  }
  if (inp.mask && inp.mask.length !== MODULE_PIXELS) throw new ParameterError(`${fn}: the mask has ${inp.mask.length} pixels, a module ${MODULE_PIXELS}`, { parameter: 'mask', value: inp.mask.length });
  if (!(Number.isFinite(inp.satLevel))) throw new ParameterError(`${fn}: satLevel must be a number, got ${String(inp.satLevel)}`, { parameter: 'satLevel', value: inp.satLevel });
  if (!(inp.maxFrames >= 1)) throw new ParameterError(`${fn}: maxFrames must be at least 1, got ${inp.maxFrames}`, { parameter: 'maxFrames', value: inp.maxFrames });
}

/** Whether any raw value of the frame in ROI `r` is ≥ satLevel. */
function saturated(frame: Uint16Array, r: Roi, satLevel: number): boolean {
  for (let y = r.yl; y < r.yh; y++) {
    for (let x = y * MODULE_COLS + r.xl, e = y * MODULE_COLS + r.xh; x < e; x++) if (frame[x] >= satLevel) return true;
  }
  return false;
}

/** Dark-corrected pixels of ROI `r` of one frame into `out` (masked pixels 0); returns their sum. */
function roiCorrected(frame: Uint16Array, dark: Float64Array, good: Uint8Array, r: Roi, out: Float64Array | null): number {
  const cols = r.xh - r.xl;
  let s = 0;
  for (let y = r.yl; y < r.yh; y++) {
    for (let j = 0; j < cols; j++) {
      const k = y * MODULE_COLS + r.xl + j;
      const c = good[k] ? frame[k] - dark[k] : 0;
      if (out) out[(y - r.yl) * cols + j] = c;
      s += c;
    }
  }
  return s;
}

interface Acc { sum: Float64Array; averaged: number; cN: Float64Array; cP: Float64Array; size: number; i0: number[]; index: number }

function addFrame(acc: Acc, frame: Uint16Array, dark: Float64Array, good: Uint8Array, ctx: { rois: { n: Roi; z: Roi; p: Roi; sat: Roi[] }; satLevel: number; stride: number; maxFrames: number }): void {
  const index = acc.index++;
  if (ctx.rois.sat.some((r) => saturated(frame, r, ctx.satLevel))) return;
  for (let i = 0; i < MODULE_PIXELS; i++) acc.sum[i] += frame[i] - dark[i];
  acc.averaged++;
  if (index % ctx.stride !== 0 || acc.i0.length >= ctx.maxFrames) return;
  const i0 = roiCorrected(frame, dark, good, ctx.rois.z, null);
  if (!(i0 > 0)) return;
  const k = acc.i0.length;
  roiCorrected(frame, dark, good, ctx.rois.n, acc.cN.subarray(k * acc.size, (k + 1) * acc.size));
  roiCorrected(frame, dark, good, ctx.rois.p, acc.cP.subarray(k * acc.size, (k + 1) * acc.size));
  acc.i0.push(i0);
}

/** The flat-field data of a dark run and a run (see FfRefineData). */
export async function ffData(inp: FfDataInput, fn: string): Promise<FfRefineData> {
  checkInput(inp, fn);
  const { n, z, p } = beamRois(inp.rois, fn);
  const sat = inp.rois.sat ? [inp.rois.sat] : [n, z, p];
  const good = new Uint8Array(MODULE_PIXELS).fill(1);
  if (inp.mask) for (let i = 0; i < MODULE_PIXELS; i++) good[i] = inp.mask[i] ? 0 : 1;
  const dark = await darkMean(inp.arrDark, fn);
  const total = inp.arr.trainIds.length * inp.arr.pulses;
  const ctx = { rois: { n, z, p, sat }, satLevel: inp.satLevel, stride: Math.max(1, Math.ceil(total / inp.maxFrames)), maxFrames: inp.maxFrames };
  const size = (n.xh - n.xl) * (n.yh - n.yl);
  // At most one sampled frame per stride, and at most maxFrames: the sample's buffers are allocated once.
  const cap = Math.min(inp.maxFrames, Math.ceil(total / ctx.stride));
  const acc: Acc = { sum: new Float64Array(MODULE_PIXELS), averaged: 0, cN: new Float64Array(cap * size), cP: new Float64Array(cap * size), size, i0: [], index: 0 };
  for await (const chunk of inp.arr.chunks()) {
    for (let f = 0; f < chunk.trains * chunk.pulses; f++) {
      const pulse = f % chunk.pulses;
      addFrame(acc, chunk.data.subarray(f * MODULE_PIXELS, (f + 1) * MODULE_PIXELS), dark.subarray(pulse * MODULE_PIXELS, (pulse + 1) * MODULE_PIXELS), good, ctx);
    }
  }
  if (acc.averaged === 0) throw new ToolBoxValueError(`${fn}: every frame of run ${inp.arr.run} (module ${inp.arr.module}) is saturated (a raw value ≥ ${inp.satLevel} in ROI ${inp.rois.sat ? "'sat'" : "'n', '0' or 'p'"}); nothing to fit`);
  const avg = acc.sum.map((s, i) => (good[i] ? s / acc.averaged : NaN));
  const used = acc.i0.length * size;
  return {
    avg, averaged: acc.averaged, frames: acc.i0.length, cN: acc.cN.subarray(0, used), cP: acc.cP.subarray(0, used), i0: Float64Array.from(acc.i0),
    rois: inp.rois, rn: n, rp: p, posN: pixelPosOf(inp.params, n), posP: pixelPosOf(inp.params, p),
  };
}
