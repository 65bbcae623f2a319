/**
 * Synthetic Viking runs with known physics (issue 21; docs/viking.md,
 * Synthetic runs): the Andor Newton camera image and control data, the XGM,
 * bunch pattern and mono of a small run (small-run.ts), for four kinds of
 * run: a dark (no beam on the camera), a reference (the beam's spectrum, no
 * sample), a sample (the spectrum through a sample with an absorption edge)
 * and a calibration run (a monochromatic Gaussian peak at the pixel of the
 * mono energy). truth.json holds the model and every number drawn.
 */
import { join } from 'node:path';
import type { TypedData } from '../../arrays/dtype.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { NEWTON_DEVICE, NEWTON_OUTPUT } from '../../mnemonics/viking.js';
import { Random } from '../random.js';
import { makePhysics, pulseEnergies } from './mock-physics.js';
import { type RunContext, da01Sources } from './mock-sources.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';
import {
  type VikingModel, baselineCounts, beamPhotoelectrons, darkCounts, energyPixel, peakPhotoelectrons, pixelEnergy, rowWeight, sampleMu, vikingModel,
} from './viking-physics.js';

export { vikingModel, type VikingModel } from './viking-physics.js';

export type VikingRunKind = 'dark' | 'reference' | 'sample' | 'calibration';
export const VIKING_RUN_KINDS: readonly VikingRunKind[] = ['dark', 'reference', 'sample', 'calibration'];

export interface VikingRunOptions {
  proposal?: number;
  run?: number;
  seed?: number;
  /** Trains (default 40). */
  trains?: number;
  /** The model (default vikingModel(ny, nx)). */
  model?: VikingModel;
  /** Frame size when no model is given (default 64 × 2048). */
  ny?: number;
  nx?: number;
  /** The mono energy (eV) recorded as nrj; a calibration run's peak sits at its pixel. Default: the beam's centre. */
  monoEnergy?: number;
  /** Calibration runs: false draws no peak (the mono missed the spectrometer), for the bad-input tests. Default true. */
  peak?: boolean;
}

const RUN_OPTIONS = optionNames<VikingRunOptions>({ proposal: true, run: true, seed: true, trains: true, model: true, ny: true, nx: true, monoEnergy: true, peak: true });

export interface VikingRunPhysics {
  kind: VikingRunKind;
  model: VikingModel;
  monoEnergy: number;
  /** Per train: mean SASE3 pulse energy / the nominal mean; the beam on the camera scales with it. */
  xgmScale: number[];
  /** Calibration runs: the pixel (absolute, along newt_x) of the peak's centre; null without a peak. */
  peakPixel: number | null;
  camera: { source: string; device: string; key: string; dims: [string, string] };
}

const int32 = (v: number): KeyArray => ({ dtype: 'int32', entryShape: [], values: Int32Array.of(v) });
const float64 = (v: number): KeyArray => ({ dtype: 'float64', entryShape: [], values: Float64Array.of(v) });

/** The camera's control data: one row per train, the same values in RUN. */
function cameraControl(m: VikingModel, trains: number): ControlSourceSpec {
  const c = m.camera;
  const one: Record<string, KeyArray> = {
    preampGain: int32(c.preampGain), HighCapacity: int32(c.highCapacity), exposureTime: float64(c.exposureTime),
    'CoolerActual.temperature': float64(c.temperature), 'imageSpecifications.horizontalBinning': int32(c.hbin),
    'imageSpecifications.verticalBinning': int32(c.vbin),
  };
  const keys = Object.fromEntries(Object.entries(one).map(([k, v]) => {
    const values = v.dtype === 'int32' ? new Int32Array(trains).fill(Number(v.values[0])) : new Float64Array(trains).fill(Number(v.values[0]));
    return [k, { ...v, values }];
  }));
  return { keys, run: { ...one, classId: { dtype: 'string', entryShape: [], values: ['AndorCamera'] } } };
}

/** Expected photoelectrons of pixel x at the row peak and mean XGM, before noise. */
function signalOfPixel(m: VikingModel, kind: VikingRunKind, peakPixel: number | null): Float64Array {
  return Float64Array.from({ length: m.nx }, (_, x) => {
    const ev = pixelEnergy(m, x);
    if (kind === 'reference') return beamPhotoelectrons(m, ev);
    if (kind === 'sample') return beamPhotoelectrons(m, ev) * Math.exp(-sampleMu(m, ev) * m.sample.thickness);
    if (kind === 'calibration' && peakPixel !== null) return peakPhotoelectrons(m, x, peakPixel);
    return 0;
  });
}

/** The frames, streamed train by train: dark + baseline + (photoelectrons with shot noise)/e-per-count + read noise, as uint16. */
function frameProducer(m: VikingModel, kind: VikingRunKind, peakPixel: number | null, scale: number[], seed: number): NonNullable<KeyArray['produce']> {
  const { ny, nx } = m;
  const signal = signalOfPixel(m, kind, peakPixel);
  // stray light comes with the beam on a sample or reference; darks and calibration peaks have none
  const stray = kind === 'reference' || kind === 'sample';
  const base = new Float64Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) base[y * nx + x] = darkCounts(m, y, x) + (stray ? baselineCounts(m, pixelEnergy(m, x)) : 0);
  }
  const rows = Float64Array.from({ length: ny }, (_, y) => rowWeight(m, y));
  const rng = new Random(seed);
  let next = 0;
  return (first: number, count: number, out: TypedData) => {
    if (first !== next) throw new ToolBoxValueError(`Viking frames are drawn in order: asked for entry ${first}, next is ${next}`);
    const o = out as Uint16Array;
    for (let t = 0; t < count; t++) {
      const s = scale[first + t];
      for (let y = 0, i = t * ny * nx; y < ny; y++) {
        const w = rows[y] * s;
        for (let x = 0; x < nx; x++, i++) {
          const pe = signal[x] * w;
          const e = pe > 0 ? pe + Math.sqrt(pe) * rng.normal() : 0;
          const v = Math.round(base[y * nx + x] + e / m.camera.ePerCount + m.dark.readNoise * rng.normal());
          o[i] = v < 0 ? 0 : v > 65535 ? 65535 : v;
        }
      }
    }
    next = first + count;
  };
}

function checkRunInput(o: VikingRunOptions, m: VikingModel, trains: number): void {
  if (!Number.isInteger(trains) || trains < 1) throw new ToolBoxValueError(`Viking run: trains must be a positive integer, got ${trains}`);
  if (!(Number.isInteger(m.ny) && m.ny > 0 && Number.isInteger(m.nx) && m.nx > 1)) throw new ToolBoxValueError(`Viking run: frame must be at least 1 × 2 pixels, got ${m.ny} × ${m.nx}`);
  if (o.monoEnergy !== undefined && !Number.isFinite(o.monoEnergy)) throw new ToolBoxValueError(`Viking run: monoEnergy must be a finite energy in eV, got ${o.monoEnergy}`);
}

/** Write one Viking run of `kind` into `outDir` (created): defaults proposal 2953, run 1, seed 1, 40 trains, 64 × 2048 frames. */
export async function writeVikingRun(kind: VikingRunKind, outDir: string, o: VikingRunOptions = {}): Promise<SmallRunTruth & { physics: VikingRunPhysics }> {
  checkOptions('writeVikingRun', o, RUN_OPTIONS);
  if (!VIKING_RUN_KINDS.includes(kind)) throw new ToolBoxValueError(`unknown Viking run kind '${String(kind)}'; kinds are ${VIKING_RUN_KINDS.join(', ')}`);
  const m = o.model ?? vikingModel(o.ny, o.nx);
  const trains = o.trains ?? 40, seed = o.seed ?? 1, run = o.run ?? 1;
  checkRunInput(o, m, trains);
  const monoEnergy = o.monoEnergy ?? m.beam.centreEv;
  const phys = makePhysics('energy', trains, 10, 1);
  const trainIds = Array.from({ length: trains }, (_, i) => 200000n + BigInt(run) * 1000n + BigInt(i));
  const rng = new Random((seed * 7919 + run * 104729) >>> 0);
  const energies = pulseEnergies(phys, trains, rng);
  const n = phys.bunchPattern.sase3PulseIds.length;
  const xgmScale = Array.from({ length: trains }, (_, t) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += energies[t * n + k];
    return s / n / phys.xgm.meanUJ;
  });
  const ctx: RunContext = {
    seed, trainIds, phys, energies, sa1Energies: new Float32Array(trains * phys.bunchPattern.sase1PulseIds.length).fill(phys.xgm.sa1MeanUJ),
    position: new Float64Array(trains).fill(phys.delayLine.fixedPosition), energy: new Float64Array(trains).fill(monoEnergy),
    missing: new Map(), pixels: [1, 1], dark: kind === 'dark',
  };
  const peakPixel = kind === 'calibration' && o.peak !== false ? energyPixel(m, monoEnergy) : null;
  const da = da01Sources(ctx, 0, trains);
  const camera: InstrumentSourceSpec = { indexGroups: { data: { counts: new Array<number>(trains).fill(1), keys: {
    'image.pixels': { dtype: 'uint16', entryShape: [m.ny, m.nx], values: new Uint16Array(0), produce: frameProducer(m, kind, peakPixel, xgmScale, (seed * 31 + run) >>> 0) },
  } } } };
  const physics: VikingRunPhysics = {
    kind, model: m, monoEnergy, xgmScale, peakPixel,
    camera: { source: NEWTON_OUTPUT, device: NEWTON_DEVICE, key: 'data.image.pixels', dims: ['newt_y', 'newt_x'] },
  };
  return writeSmallRun(outDir, {
    generator: `scs-toolbox writeVikingRun (${kind})`, proposal: o.proposal ?? 2953, run, seed, trainIds,
    control: { ...da.control, [NEWTON_DEVICE]: cameraControl(m, trains) }, instrument: { ...da.instrument, [NEWTON_OUTPUT]: camera },
  }, physics);
}

export interface VikingRunsOptions {
  proposal?: number;
  seed?: number;
  trains?: number;
  ny?: number;
  nx?: number;
  model?: VikingModel;
  /** Mono energies (eV) of the calibration runs (default 510, 525, 540, 555, 570). */
  calibrationEnergies?: number[];
}

const RUNS_OPTIONS = optionNames<VikingRunsOptions>({ proposal: true, seed: true, trains: true, ny: true, nx: true, model: true, calibrationEnergies: true });

/** The runs of a Viking experiment and what they hold. */
export interface VikingRuns {
  model: VikingModel;
  runs: { dark: number; reference: number; sample: number; calibration: number[] };
  calibrationEnergies: number[];
  /** Pixel of each calibration peak. */
  peakPixels: number[];
  /** −ln(It/I0)/thickness of the mean spectra is μ(E) + this: the two runs' mean XGM differ (xas() does not normalise by the XGM). */
  xasOffset: number;
  truths: Record<number, VikingRunPhysics>;
}

/**
 * Write a dark (run 1), a reference (2), a sample (3) and calibration runs
 * (11, 12, ...) of one proposal under `rawDir` (`rawDir/r0001`, ...).
 */
export async function writeVikingRuns(rawDir: string, o: VikingRunsOptions = {}): Promise<VikingRuns> {
  checkOptions('writeVikingRuns', o, RUNS_OPTIONS);
  const model = o.model ?? vikingModel(o.ny, o.nx);
  const common = { proposal: o.proposal ?? 2953, seed: o.seed ?? 1, trains: o.trains, model };
  const dir = (r: number) => join(rawDir, `r${String(r).padStart(4, '0')}`);
  const truths: Record<number, VikingRunPhysics> = {};
  for (const [kind, run] of [['dark', 1], ['reference', 2], ['sample', 3]] as const) {
    truths[run] = (await writeVikingRun(kind, dir(run), { ...common, run })).physics;
  }
  const calibrationEnergies = o.calibrationEnergies ?? [510, 525, 540, 555, 570];
  const calibration = calibrationEnergies.map((_, i) => 11 + i);
  for (const [i, ev] of calibrationEnergies.entries()) {
    truths[calibration[i]] = (await writeVikingRun('calibration', dir(calibration[i]), { ...common, run: calibration[i], monoEnergy: ev })).physics;
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    model, runs: { dark: 1, reference: 2, sample: 3, calibration }, calibrationEnergies,
    peakPixels: calibration.map((r) => truths[r].peakPixel as number),
    xasOffset: Math.log(mean(truths[2].xgmScale) / mean(truths[3].xgmScale)) / model.sample.thickness,
    truths,
  };
}
