/**
 * The binning plan: binners, mask and XGM turned into plain typed arrays
 * before any image is read, so a worker thread only multiplies and adds.
 * Per train: its scan bin; per frame: its pulse bin; per train × frame: the
 * weight the frame enters its bin with, NaN when it is left out. Counts per
 * bin and the weight sums the dark subtraction needs follow from the plan
 * alone, so every exclusion is decided (and counted) here, once.
 */
import { ToolBoxValueError } from '../../errors.js';
import type { BinLabel } from './bins.js';
import { type FrameMask, maskedFrames } from './pulse-mask.js';

export type Averaging = 'frames' | 'trains';

/** Why a train was not binned; each train counts under its first reason only. */
export const EXCLUSION_REASONS = ['noScanValue', 'notInMask', 'noXgm', 'noDsscData', 'allFramesMasked'] as const;
export type ExclusionReason = typeof EXCLUSION_REASONS[number];
export type Exclusions = Record<ExclusionReason, number>;

export const noExclusions = (): Exclusions => ({ noScanValue: 0, notInMask: 0, noXgm: 0, noDsscData: 0, allFramesMasked: 0 });

/** Pulse-resolved values per train (XGM or TIM), indexed by XGM pulse k. */
export type PulseValues = Map<bigint, Float64Array>;

/** What every module shares: the bins and the per-frame rules. */
export interface BinningSetup {
  /** Sorted scan-bin values: the output 'trainId' coordinate. */
  scanValues: Float64Array;
  scanBinOfTrain: Map<bigint, number>;
  /** Output 'pulse' labels, in order of first appearance. */
  pulseLabels: BinLabel[];
  /** Pulse bin of each frame used. */
  pulseBinOfFrame: Int32Array;
  /** Frames binned per train (maxframes applied) and frames the run records per train. */
  frames: number;
  framesPerTrain: number;
  mask: FrameMask | null;
  xgm: PulseValues | null;
  tim: PulseValues | null;
  /** XGM pulse of each frame used, -1 where none (dsscCoordsStride). */
  pulseOfFrame: Int32Array;
  normalise: boolean;
  normevery: number;
  averaging: Averaging;
}

/** One module's plan: what the workers need, plus the counts the output needs. */
export interface ModulePlan {
  module: number;
  /** Trains binned, ascending, with their scan bin. */
  trainIds: BigUint64Array;
  scanBin: Int32Array;
  /** trains × frames weights; NaN = frame not binned. */
  weights: Float64Array;
  /** Frames per (scan bin, pulse bin), and trains contributing to it. */
  dataCounts: Float64Array;
  trainCounts: Float64Array;
  /** Σ weights per (scan bin, frame): the dark's share of each bin. */
  weightSums: Float64Array;
  /** Binned XGM / TIM means per (scan bin, pulse bin); NaN without X-rays. */
  xgmBinned: Float64Array | null;
  timBinned: Float64Array | null;
  excluded: Exclusions;
  /** Normalised frames left out because their XGM value is NaN. */
  framesNoXgm: number;
  framesBinned: number;
}

interface Binned { sum: Float64Array; n: Float64Array }

function addPulseValues(acc: Binned, values: Float64Array | undefined, s: number, setup: BinningSetup, row: Float64Array, t: number): void {
  if (!values) return;
  const nP = setup.pulseLabels.length;
  for (let f = 0; f < setup.frames; f++) {
    const k = setup.pulseOfFrame[f];
    if (k < 0 || k >= values.length || Number.isNaN(row[t * setup.frames + f])) continue;
    const v = values[k];
    if (!Number.isFinite(v)) continue;
    const g = s * nP + setup.pulseBinOfFrame[f];
    acc.sum[g] += v;
    acc.n[g] += 1;
  }
}

const mean = (b: Binned): Float64Array => b.sum.map((v, i) => (b.n[i] > 0 ? v / b.n[i] : NaN));

/**
 * Plan one module. `runTrains` are the run's trains in order; `hasDssc`
 * tells which of them have frames for this module (null: all of them, as
 * for getXgmBinned, which needs no images).
 */
export function planModule(setup: BinningSetup, module: number, runTrains: BigUint64Array, hasDssc: ((i: number) => boolean) | null): ModulePlan {
  const { frames, normalise, normevery, averaging } = setup;
  const nS = setup.scanValues.length;
  const nP = setup.pulseLabels.length;
  const excluded = noExclusions();
  const ids: bigint[] = [];
  const bins: number[] = [];
  const rows: Float64Array[] = [];
  let framesNoXgm = 0;
  const perBin = new Float64Array(nP);
  for (let i = 0; i < runTrains.length; i++) {
    const t = runTrains[i];
    const s = setup.scanBinOfTrain.get(t);
    if (s === undefined) { excluded.noScanValue++; continue; }
    const allowed = setup.mask ? maskedFrames(setup.mask, t) : null;
    if (setup.mask && !allowed) { excluded.notInMask++; continue; }
    const xgm = setup.xgm?.get(t);
    if (normalise && !xgm) { excluded.noXgm++; continue; }
    if (hasDssc && !hasDssc(i)) { excluded.noDsscData++; continue; }
    const w = new Float64Array(frames);
    let kept = 0;
    let lostToXgm = 0;
    for (let f = 0; f < frames; f++) {
      if (allowed && !allowed[f]) { w[f] = NaN; continue; }
      w[f] = 1;
      if (normalise && f % normevery === 0) {
        const x = xgm![setup.pulseOfFrame[f]];
        if (!Number.isFinite(x)) { w[f] = NaN; lostToXgm++; continue; }
        w[f] = 1 / x;
      }
      kept++;
    }
    framesNoXgm += lostToXgm;
    if (kept === 0) {
      if (lostToXgm > 0) excluded.noXgm++;
      else excluded.allFramesMasked++;
      continue;
    }
    if (averaging === 'trains') {
      // Each train's frames of a bin share weight 1/n, so the train enters the bin once.
      perBin.fill(0);
      for (let f = 0; f < frames; f++) if (!Number.isNaN(w[f])) perBin[setup.pulseBinOfFrame[f]]++;
      for (let f = 0; f < frames; f++) w[f] /= perBin[setup.pulseBinOfFrame[f]];
    }
    ids.push(t);
    bins.push(s);
    rows.push(w);
  }
  const n = ids.length;
  const weights = new Float64Array(n * frames);
  rows.forEach((r, t) => weights.set(r, t * frames));
  const dataCounts = new Float64Array(nS * nP);
  const trainCounts = new Float64Array(nS * nP);
  const weightSums = new Float64Array(nS * frames);
  const seen = new Uint8Array(nP);
  const xgmAcc = setup.xgm ? { sum: new Float64Array(nS * nP), n: new Float64Array(nS * nP) } : null;
  const timAcc = setup.tim ? { sum: new Float64Array(nS * nP), n: new Float64Array(nS * nP) } : null;
  let framesBinned = 0;
  for (let t = 0; t < n; t++) {
    const s = bins[t];
    seen.fill(0);
    for (let f = 0; f < frames; f++) {
      const w = weights[t * frames + f];
      if (Number.isNaN(w)) continue;
      const b = setup.pulseBinOfFrame[f];
      dataCounts[s * nP + b]++;
      seen[b] = 1;
      weightSums[s * frames + f] += w;
      framesBinned++;
    }
    for (let b = 0; b < nP; b++) trainCounts[s * nP + b] += seen[b];
    if (xgmAcc) addPulseValues(xgmAcc, setup.xgm!.get(ids[t]), s, setup, weights, t);
    if (timAcc) addPulseValues(timAcc, setup.tim!.get(ids[t]), s, setup, weights, t);
  }
  return {
    module, trainIds: BigUint64Array.from(ids), scanBin: Int32Array.from(bins), weights, dataCounts, trainCounts, weightSums,
    xgmBinned: xgmAcc && mean(xgmAcc), timBinned: timAcc && mean(timAcc), excluded, framesNoXgm, framesBinned,
  };
}

/** Every frame to normalise must have an XGM pulse: checked before anything is read. */
export function checkNormalisable(setup: BinningSetup, strideText: string): void {
  if (!setup.normalise) return;
  if (!Number.isInteger(setup.normevery) || setup.normevery < 1) throw new ToolBoxValueError(`normevery must be a positive integer, got ${setup.normevery}`);
  for (let f = 0; f < setup.frames; f += setup.normevery) {
    if (setup.pulseOfFrame[f] < 0) {
      throw new ToolBoxValueError(`frame ${f} is to be XGM-normalised (normevery ${setup.normevery}) but no XGM pulse maps to it with dsscCoordsStride ${strideText}; use normevery matching the X-ray frames or another dsscCoordsStride`);
    }
  }
}
