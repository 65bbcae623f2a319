/**
 * The flat-field refinement criterion (Python: ff_refine_crit, "sum of
 * standard deviation on binned 0th order intensity"). Definition
 * (docs/boz.md, Flat field): with the flat field of the planes p, per
 * sampled unsaturated frame r_n = I_n / I_0 and r_p = I_p / I_0; the frames
 * are put in FF_REFINE_BINS equal-width bins of I_0; err1 = Σ over non-empty
 * bins of std(r_n)/|mean(r_n)| + std(r_p)/|mean(r_p)| (numpy std);
 * err2 = Σ over the 'n' domain of (z_n/(n/0) − 1)² + the same for 'p' (the
 * relative misfit to the average ratio images, which pins the planes' scale);
 * criterion = (1 − α)·err1 + α·err2.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { FF_REFINE_MAX_FRAMES, type FfRefineData, ffData } from './ff-data.js';
import type { FlatFieldParams } from './ff-params.js';
import { planeHeight, planesOf } from './flat-field.js';
import { type DomainValues, domainValues } from './plane-fitting-domain.js';
import { thresholdsOf } from './plane-fitting.js';
import type { ModuleFrames, Rois } from './types.js';

/** Bins of the 0th-order intensity in err1. */
export const FF_REFINE_BINS = 20;

/** The data a criterion evaluates on: the run's sample and the plane-fitting domain of its average. */
export interface FfRefineInput { data: FfRefineData; domain: DomainValues; forceMirror: boolean }

/** A refinement criterion: planes p (4 or 8 numbers), α, the data. */
export type FfRefineCriterion = (p: readonly number[], alpha: number, input: FfRefineInput) => number;

export interface FfRefineCritOptions {
  /** Raw value from which a pixel is saturated (default 511). */
  satLevel?: number;
  /** Frames sampled for err1 (default FF_REFINE_MAX_FRAMES; Infinity: all). */
  maxFrames?: number;
}
const FF_REFINE_CRIT_OPTIONS = optionNames<FfRefineCritOptions>({ satLevel: true, maxFrames: true });

/** Σ_f c[f, i]·w[i] for each frame f. */
function weightedSums(c: Float64Array, w: Float64Array, frames: number): Float64Array {
  const out = new Float64Array(frames), n = w.length;
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let i = 0, o = f * n; i < n; i++) s += c[o + i] * w[i];
    out[f] = s;
  }
  return out;
}

/** Σ over the I_0 bins of the relative std of r = num / i0. */
function binnedRelativeStd(num: Float64Array, i0: Float64Array, bin: Int32Array): number {
  const cnt = new Float64Array(FF_REFINE_BINS), s1 = new Float64Array(FF_REFINE_BINS), s2 = new Float64Array(FF_REFINE_BINS);
  for (let f = 0; f < i0.length; f++) { const r = num[f] / i0[f]; cnt[bin[f]]++; s1[bin[f]] += r; }
  for (let f = 0; f < i0.length; f++) { const d = num[f] / i0[f] - s1[bin[f]] / cnt[bin[f]]; s2[bin[f]] += d * d; }
  let err = 0;
  for (let b = 0; b < FF_REFINE_BINS; b++) if (cnt[b] > 0) err += Math.sqrt(s2[b] / cnt[b]) / Math.abs(s1[b] / cnt[b]);
  return err;
}

/** Equal-width bin of each I_0 over [min, max], the maximum in the last bin. */
export function i0Bins(i0: Float64Array): Int32Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of i0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const width = (hi - lo) / FF_REFINE_BINS;
  return Int32Array.from(i0, (v) => (width > 0 ? Math.min(FF_REFINE_BINS - 1, Math.floor((v - lo) / width)) : 0));
}

function domainMisfit(z: Float64Array, r: Float64Array, m: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) if (m[i]) { const d = z[i] / r[i] - 1; s += d * d; }
  return s;
}

/** err1 and err2 of the planes p on the input (see the module comment). */
export function ffRefineErrors(p: readonly number[], input: FfRefineInput): { err1: number; err2: number } {
  const { data, domain } = input;
  if (data.frames === 0) throw new ToolBoxValueError('ffRefineCrit: no unsaturated frame with a positive 0th-order intensity in the sample');
  const pl = planesOf(p, input.forceMirror, 'ffRefineCrit');
  const zn = planeHeight(pl.n, data.posN, 'n'), zp = planeHeight(pl.p, data.posP, 'p');
  const bin = i0Bins(data.i0);
  const err1 = binnedRelativeStd(weightedSums(data.cN, zn.map((v) => 1 / v), data.frames), data.i0, bin)
    + binnedRelativeStd(weightedSums(data.cP, zp.map((v) => 1 / v), data.frames), data.i0, bin);
  const err2 = domainMisfit(zn, domain.n, domain.nM) + domainMisfit(zp, domain.p, domain.pM);
  return { err1, err2 };
}

/** The default criterion on prepared data: (1 − α)·err1 + α·err2. */
export const ffRefineCritOn: FfRefineCriterion = (p, alpha, input) => {
  const { err1, err2 } = ffRefineErrors(p, input);
  return (1 - alpha) * err1 + alpha * err2;
};

/** The criterion's input from a dark run and a run (one streamed pass). */
export async function ffRefineInput(params: FlatFieldParams, arrDark: ModuleFrames, arr: ModuleFrames, tid: BigUint64Array | null | undefined, rois: Rois, mask: ArrayLike<number> | null | undefined, satLevel: number, maxFrames: number, fn: string): Promise<FfRefineInput> {
  const data = await ffData({ arrDark, arr, tid, rois, mask, satLevel, maxFrames, params }, fn);
  const { prodTh, ratioTh } = thresholdsOf(params);
  return { data, domain: domainValues(data.avg, rois, prodTh, ratioTh, fn), forceMirror: params.forceMirror ?? true };
}

/**
 * Python's ff_refine_crit(p, alpha, params, arr_dark, arr, tid, rois, mask,
 * sat_level=511): the refinement criterion of the planes p on the run
 * (definition in the module comment and docs/boz.md). Streams both runs once.
 */
export async function ffRefineCrit(p: readonly number[], alpha: number, params: FlatFieldParams, arrDark: ModuleFrames, arr: ModuleFrames, tid: BigUint64Array | null, rois: Rois, mask: ArrayLike<number> | null, options: FfRefineCritOptions = {}): Promise<number> {
  const opts = checkOptions<FfRefineCritOptions>('ffRefineCrit', options, FF_REFINE_CRIT_OPTIONS);
  if (!(alpha >= 0 && alpha <= 1)) throw new ParameterError(`ffRefineCrit: alpha must be in [0, 1], got ${alpha}`, { parameter: 'alpha', value: alpha });
  const input = await ffRefineInput(params, arrDark, arr, tid, rois, mask, opts.satLevel ?? 511, opts.maxFrames ?? FF_REFINE_MAX_FRAMES, 'ffRefineCrit');
  return ffRefineCritOn(p, alpha, input);
}
