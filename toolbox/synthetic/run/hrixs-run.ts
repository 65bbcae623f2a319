/**
 * Synthetic hRIXS runs with known truth (issue 21): camera frames (uint16)
 * of single photons and some double hits on curved spectral lines, with a
 * known curvature (CURVE_A, CURVE_B), energy calibration (ENERGY_INTERCEPT,
 * ENERGY_SLOPE), spectrum (a few Gaussian peaks), a dark offset with a fixed
 * pattern and read noise, pump-probe delays and a normalisation per train.
 * Frames are streamed into the file (bounded memory at any size); truth.json
 * holds every number put in, with each frame's spots (docs/hrixs.md).
 */
import { ToolBoxValueError } from '../../errors.js';
import { HRIXS_DELAY_SOURCE, HRIXS_DET_SOURCE, HRIXS_NORM_SOURCE, MARANAX_SOURCE } from '../../mnemonics/hrixs.js';
import { checkOptions, optionNames } from '../../options.js';
import { Random } from '../random.js';
import { type FrameSpots, type HrixsFrameModel, type HrixsPeak, darkPattern, drawSpots, noiseTable, renderFrame } from './hrixs-photons.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';

export type { FrameSpots, HrixsFrameModel, HrixsPeak } from './hrixs-photons.js';

export interface HrixsRunOptions {
  proposal?: number;
  run?: number;
  seed?: number;
  /** Trains (one frame each); default 20. */
  trains?: number;
  /** [x, y] pixels of a frame; default [256, 512]. */
  frameShape?: [number, number];
  /** The camera: 'MaranaX' (default) or 'hRIXS_det'. */
  detector?: 'MaranaX' | 'hRIXS_det';
  /** A dark run: no photons (default false). */
  dark?: boolean;
  /** Spots per frame (default 60) and the fraction of them that are double hits (default 0.1). */
  photonsPerFrame?: number;
  doubleFraction?: number;
  /** Truth curvature: y shifts by CURVE_A·x + CURVE_B·x² (defaults 0.03, 4e-5). */
  curveA?: number;
  curveB?: number;
  /** Truth calibration: energy = intercept + slope × corrected pixel (defaults 920 eV, 0.02 eV). */
  energyIntercept?: number;
  energySlope?: number;
  /** Spectrum peaks in corrected pixels (default three peaks at 30, 55 and 70% of the y range). */
  peaks?: HrixsPeak[];
  /** Incident photon energy (mnemonic nrj), eV; default 930. */
  incidentEnergy?: number;
  /** Camera gain: ADU per eV of photon energy (default 0.2, so a 930 eV photon gives 186 ADU). */
  aduPerEv?: number;
  /** Read noise (ADU, default 3), dark level (default 100 ADU). */
  noise?: number;
  darkLevel?: number;
  /** Delays (ps) cycled over the trains; default [-1, 0, 1, 2]. */
  delays?: number[];
  /** Write every frame's spot list into truth.json (default true; false for huge runs). */
  spotsInTruth?: boolean;
}
const HRIXS_RUN_OPTIONS = optionNames<HrixsRunOptions>({
  proposal: true, run: true, seed: true, trains: true, frameShape: true, detector: true, dark: true, photonsPerFrame: true, doubleFraction: true,
  curveA: true, curveB: true, energyIntercept: true, energySlope: true, peaks: true, incidentEnergy: true, aduPerEv: true, noise: true,
  darkLevel: true, delays: true, spotsInTruth: true,
});

export interface HrixsRunPhysics {
  detector: 'MaranaX' | 'hRIXS_det';
  source: string;
  model: HrixsFrameModel;
  dark: boolean;
  energyIntercept: number;
  energySlope: number;
  incidentEnergy: number;
  aduPerEv: number;
  /** Peak energies (eV) of the spectrum: intercept + slope × peak position. */
  peakEnergies: number[];
  delays: number[];
  norm: number[];
  /** Per frame: spots, single hits, double hits, photons (singles + 2 × doubles). */
  singles: number[];
  doubles: number[];
  photons: number[];
  spots?: FrameSpots[];
}

function frameModel(o: HrixsRunOptions, nx: number, ny: number): HrixsFrameModel {
  const incident = o.incidentEnergy ?? 930, aduPerEv = o.aduPerEv ?? 0.2;
  return {
    nx, ny, curveA: o.curveA ?? 0.03, curveB: o.curveB ?? 4e-5,
    peaks: o.peaks ?? [{ position: 0.3 * ny, sigma: 2.5, weight: 0.5 }, { position: 0.55 * ny, sigma: 2, weight: 0.2 }, { position: 0.7 * ny, sigma: 3, weight: 0.3 }],
    photonAdu: incident * aduPerEv, chargeJitter: 0.05, cloudSigma: 0.35, darkLevel: o.darkLevel ?? 100, darkPattern: 2, noise: o.noise ?? 3,
    minSeparation: 7, margin: 4,
  };
}

function checkRunOptions(o: HrixsRunOptions): [number, number] {
  const [nx, ny] = o.frameShape ?? [256, 512];
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 16 || ny < 16) throw new ToolBoxValueError(`hRIXS run: frameShape must be two integers >= 16, got [${String(o.frameShape)}]`);
  if ((o.trains ?? 20) < 1) throw new ToolBoxValueError(`hRIXS run: trains must be >= 1, got ${o.trains}`);
  if (o.detector !== undefined && o.detector !== 'MaranaX' && o.detector !== 'hRIXS_det') throw new ToolBoxValueError(`hRIXS run: detector must be 'MaranaX' or 'hRIXS_det', got '${String(o.detector)}'`);
  return [nx, ny];
}

const f64 = (values: number[]): KeyArray => ({ dtype: 'float64', entryShape: [], values: Float64Array.from(values) });

/**
 * Write a synthetic hRIXS run into `outDir` (RAW-R<run>-DA01-S00000.h5 and
 * truth.json); defaults: proposal 2953, run 1, seed 1, 20 trains of 256 × 512
 * MaranaX frames with 60 spots each.
 */
export async function writeHrixsRun(outDir: string, options: HrixsRunOptions = {}): Promise<SmallRunTruth & { physics: HrixsRunPhysics }> {
  const o = checkOptions('writeHrixsRun', options, HRIXS_RUN_OPTIONS);
  const [nx, ny] = checkRunOptions(o);
  const trains = o.trains ?? 20, seed = o.seed ?? 1, detector = o.detector ?? 'MaranaX', dark = o.dark ?? false;
  const m = frameModel(o, nx, ny);
  const rng = new Random((seed * 31 + (dark ? 17 : 0)) >>> 0);
  const spots = Array.from({ length: trains }, () => (dark ? { x: [], y: [], c: [], n: [] } : drawSpots(m, o.photonsPerFrame ?? 60, o.doubleFraction ?? 0.1, rng)));
  const delaysIn = o.delays ?? [-1, 0, 1, 2];
  const delays = Array.from({ length: trains }, (_, i) => delaysIn[i % delaysIn.length]);
  const norm = Array.from({ length: trains }, () => Math.round(1000 * (1 + 0.05 * rng.normal())));
  const trainIds = Array.from({ length: trains }, (_, i) => 200000n + BigInt(i));
  const pattern = darkPattern(m, seed), noise = noiseTable(m, seed + (dark ? 1 : 0));
  const frameRng = new Random((seed * 65537 + (dark ? 3 : 5)) >>> 0);
  const produce = (first: number, count: number, out: unknown) => {
    const view = out as Uint16Array;
    for (let k = 0; k < count; k++) renderFrame(m, spots[first + k], pattern, noise, frameRng, view.subarray(k * nx * ny, (k + 1) * nx * ny));
  };
  const source = detector === 'MaranaX' ? MARANAX_SOURCE : HRIXS_DET_SOURCE;
  const camera: InstrumentSourceSpec = { indexGroups: { data: { counts: trainIds.map(() => 1), keys: {
    'image.pixels': { dtype: 'uint16', entryShape: [nx, ny], values: new Uint16Array(0), produce },
    'image.frameNumber': { dtype: 'int64', entryShape: [], values: BigInt64Array.from(trainIds, (_, i) => BigInt(i)) },
  } } } };
  const control: Record<string, ControlSourceSpec> = {
    [source]: { keys: { exposureTime: f64(trainIds.map(() => 100)) } },
    [HRIXS_DELAY_SOURCE]: { keys: { actualDelay: f64(delays) } },
    [HRIXS_NORM_SOURCE]: { keys: { value: f64(norm) } },
    'SA3_XTD10_MONO/MDL/PHOTON_ENERGY': { keys: { actualEnergy: f64(trainIds.map(() => o.incidentEnergy ?? 930)) } },
  };
  const intercept = o.energyIntercept ?? 920, slope = o.energySlope ?? 0.02;
  const physics: HrixsRunPhysics = {
    detector, source: `${source}:daqOutput`, model: m, dark, energyIntercept: intercept, energySlope: slope,
    incidentEnergy: o.incidentEnergy ?? 930, aduPerEv: o.aduPerEv ?? 0.2, peakEnergies: m.peaks.map((p) => intercept + slope * p.position),
    delays, norm, singles: spots.map((s) => s.n.filter((n) => n === 1).length), doubles: spots.map((s) => s.n.filter((n) => n === 2).length),
    photons: spots.map((s) => s.n.reduce((a, b) => a + b, 0)), ...(o.spotsInTruth === false ? {} : { spots }),
  };
  return writeSmallRun(outDir, {
    generator: 'scs-toolbox writeHrixsRun', proposal: o.proposal ?? 2953, run: o.run ?? 1, seed, trainIds,
    control, instrument: { [`${source}:daqOutput`]: camera },
  }, physics);
}
