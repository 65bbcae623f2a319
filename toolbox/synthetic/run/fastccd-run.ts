/**
 * Synthetic FastCCD pump-probe runs (issue 21): one frame per train of a
 * scattering ring whose intensity drops after time zero when the train is
 * pumped. The pump-probe laser fires on every other train (even train IDs),
 * which the bunch pattern table records with the SCS PPL bit on those trains
 * only; the FastCCD class reads the pattern from there (docs/fastccd.md,
 * Pumped and unpumped). The delay line steps through scan points; the XGM
 * records SASE3 pulse energies, a few trains hold one outlier pulse.
 *
 * A raw frame is round(dark + S/gain + noise) in ADU, S the ring in gain-
 * corrected units scaled by the train's mean pulse energy over the run mean.
 * The gain map (multiply raw ADU to get S) and the mask (true = good pixel)
 * are written as .npy files next to the run, as the Python class loads them.
 * Every number is in truth.json (physics).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { writeNpy } from '../../detectors/fccd/npy.js';
import { FASTCCD_KEY, FASTCCD_SOURCE } from '../../mnemonics/fastccd.js';
import { Random } from '../random.js';
import { BUNCH_PATTERN, C_MM_PER_PS } from './mock-physics.js';
import { SOURCES } from './mock-sources.js';
import { writeRunFile } from './run-file.js';
import { fastccdDarkAndGain, fastccdRing } from './fastccd-physics.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';

export interface FastccdRunOptions {
  proposal?: number;
  run?: number;
  seed?: number;
  trains?: number;
  scanPoints?: number;
  /** Frame shape [rows, columns] (the real camera: [1934, 960]). */
  shape?: [number, number];
  /** A dark run: no X-rays on the camera (the laser pattern and XGM are still recorded). */
  dark?: boolean;
  /** Trains whose last SASE3 pulse reads `outlierUJ` in the XGM. */
  outlierTrains?: number[];
  /** Write the camera (default true; false: a run without FastCCD). */
  camera?: boolean;
  /**
   * The run's proc folder: also write the corrected frames there
   * (CORR-R<run>-DA05-S00000.h5, same source and key, float32
   * (raw − dark)·gain, the same noise as the raw frames).
   */
  procDir?: string;
}

export interface FastccdPhysics {
  shape: [number, number];
  pixelSize: number;
  dark: boolean;
  /** Dark offset of pixel (i, j): mean + amplitude·((i·7 + j·13) mod 17)/16; hot pixels read `hotValue`. */
  darkLevel: { mean: number; amplitude: number; hotValue: number };
  /** Gain of pixel (i, j): 1 + amplitude·sin(i/5)·cos(j/7) (in the gain file). */
  gain: { amplitude: number };
  readNoiseAdu: number;
  /** Ring of pixels at radius r from center [row, col]: peak·exp(−(r − radius)²/(2 width²)) + background. */
  ring: { center: [number, number]; radius: number; width: number; peak: number; background: number };
  pumpProbe: {
    rule: 'even trainId pumped';
    t0Position: number;
    stepMm: number;
    amplitude: number;
    tauPs: number;
    /** Per scan point: delay-line position (mm), delay (ps) = −2 (position − t0Position)/c, ring factor of pumped trains. */
    positions: number[];
    delayPs: number[];
    pumpFactor: number[];
    pointOfTrain: number[];
    pumpedTrainIds: number[];
  };
  xgm: { meanUJ: number; relativeSpread: number; sase3PulseIds: number[]; laserPulseId: number; outlierTrainIds: number[]; outlierUJ: number; meanPerTrain: number[] };
  /** Masked pixels as [row, col] (hot pixels) and one dead column; mask.npy is true elsewhere. */
  mask: { hotPixels: [number, number][]; deadColumn: number };
  files: { gain: string; mask: string };
  source: string;
  key: string;
}

const RUN_OPTIONS = optionNames<FastccdRunOptions>({
  proposal: true, run: true, seed: true, trains: true, scanPoints: true, shape: true, dark: true, outlierTrains: true, camera: true, procDir: true,
});

const pumpFactorAt = (t: number, amplitude: number, tau: number) => (t <= 0 ? 1 : 1 - amplitude * (1 - Math.exp(-t / tau)));

function makePhysics(o: Required<Omit<FastccdRunOptions, 'proposal' | 'run' | 'camera' | 'procDir'>>, trainIds: bigint[], dir: string): FastccdPhysics {
  const [ny, nx] = o.shape;
  const t0Position = 10, stepMm = 0.15, amplitude = 0.3, tauPs = 1.5;
  const positions = Array.from({ length: o.scanPoints }, (_, k) => t0Position + stepMm - k * stepMm);
  const delayPs = positions.map((p) => (-2 * (p - t0Position)) / C_MM_PER_PS);
  const hotPixels: [number, number][] = [[1, 2], [ny - 2, nx - 3], [Math.floor(ny / 3), Math.floor(nx / 4)]];
  return {
    shape: [ny, nx], pixelSize: 30e-6, dark: o.dark,
    darkLevel: { mean: 100, amplitude: 20, hotValue: 6000 }, gain: { amplitude: 0.2 }, readNoiseAdu: 1,
    ring: { center: [ny / 2 - 0.3, nx / 2 + 0.4], radius: Math.min(ny, nx) * 0.3, width: Math.max(1.5, Math.min(ny, nx) * 0.05), peak: 400, background: 5 },
    pumpProbe: {
      rule: 'even trainId pumped', t0Position, stepMm, amplitude, tauPs, positions, delayPs,
      pumpFactor: delayPs.map((t) => pumpFactorAt(t, amplitude, tauPs)),
      pointOfTrain: trainIds.map((_, i) => Math.min(o.scanPoints - 1, Math.floor((i * o.scanPoints) / trainIds.length))),
      pumpedTrainIds: trainIds.filter((t) => t % 2n === 0n).map(Number),
    },
    xgm: { meanUJ: 500, relativeSpread: 0.2, sase3PulseIds: [200, 204, 208, 212], laserPulseId: 200, outlierTrainIds: o.outlierTrains.map((i) => Number(trainIds[i])), outlierUJ: 5, meanPerTrain: [] },
    mask: { hotPixels, deadColumn: nx - 1 },
    files: { gain: join(dir, 'fastccd_gain.npy'), mask: join(dir, 'fastccd_mask.npy') },
    source: FASTCCD_SOURCE, key: FASTCCD_KEY,
  };
}

function pulseEnergies(p: FastccdPhysics, trainIds: bigint[], rng: Random): Float32Array {
  const n = p.xgm.sase3PulseIds.length;
  const out = new Float32Array(trainIds.length * n);
  for (let i = 0; i < out.length; i++) out[i] = p.xgm.meanUJ * Math.max(0.2, 1 + p.xgm.relativeSpread * rng.normal());
  trainIds.forEach((t, i) => { if (p.xgm.outlierTrainIds.includes(Number(t))) out[i * n + n - 1] = p.xgm.outlierUJ; });
  for (let i = 0; i < trainIds.length; i++) p.xgm.meanPerTrain.push(out.subarray(i * n, (i + 1) * n).reduce((a, b) => a + b, 0) / n);
  return out;
}

/** The corrected frames: raw frames from the same producer, minus the dark, times the gain. */
function correctedProducer(p: FastccdPhysics, raw: NonNullable<KeyArray['produce']>): NonNullable<KeyArray['produce']> {
  const { dark, gain } = fastccdDarkAndGain(p);
  const pixels = dark.length;
  return (first, count, out) => {
    const tmp = new Uint16Array(count * pixels);
    raw(first, count, tmp);
    for (let k = 0; k < tmp.length; k++) out[k] = (tmp[k] - dark[k % pixels]) * gain[k % pixels];
  };
}

function frameProducer(p: FastccdPhysics, rng: Random): NonNullable<KeyArray['produce']> {
  const { dark, gain } = fastccdDarkAndGain(p);
  const ring = fastccdRing(p);
  const pixels = p.shape[0] * p.shape[1];
  const { pointOfTrain, pumpFactor, pumpedTrainIds } = p.pumpProbe;
  const pumped = new Set(pumpedTrainIds);
  return (first, count, out) => {
    for (let e = 0; e < count; e++) {
      const t = first + e;
      const scale = p.dark ? 0 : (p.xgm.meanPerTrain[t] / p.xgm.meanUJ) * (pumped.has(trainIdOf(p, t)) ? pumpFactor[pointOfTrain[t]] : 1);
      const o = e * pixels;
      for (let k = 0; k < pixels; k++) {
        const v = Math.round(dark[k] + (scale * ring[k]) / gain[k] + p.readNoiseAdu * rng.normal());
        out[o + k] = Math.min(65535, Math.max(0, v));
      }
    }
  };
}

const FIRST_TRAIN = 10000;
const trainIdOf = (_p: FastccdPhysics, t: number) => FIRST_TRAIN + t;

function daSources(p: FastccdPhysics, trainIds: bigint[], energies: Float32Array, rng: Random): { control: Record<string, ControlSourceSpec>; instrument: Record<string, InstrumentSourceSpec> } {
  const n = trainIds.length, slots = 1000, entries = BUNCH_PATTERN.entries, nSa3 = p.xgm.sase3PulseIds.length;
  const c = BUNCH_PATTERN;
  const table = new Uint32Array(n * entries);
  const xgm = new Float32Array(n * slots).fill(1);
  trainIds.forEach((t, i) => {
    for (const id of p.xgm.sase3PulseIds) table[i * entries + id] |= c.chargeCode | c.destT4D | c.sase3Bit;
    if (t % 2n === 0n) table[i * entries + p.xgm.laserPulseId] |= c.laserScsBit;
    xgm.set(energies.subarray(i * nSa3, (i + 1) * nSa3), i * slots);
  });
  const counts = trainIds.map(() => 1);
  const position = Float64Array.from(p.pumpProbe.pointOfTrain, (k) => p.pumpProbe.positions[k]);
  const [ny, nx] = p.shape;
  return {
    control: {
      [SOURCES.delayLine]: { keys: { AActualPosition: { dtype: 'float64', entryShape: [], values: position } }, run: { AActualPosition: { dtype: 'float64', entryShape: [], values: Float64Array.of(position[0]) } } },
    },
    instrument: {
      [SOURCES.xgmOutput]: { indexGroups: { data: { counts, keys: { intensitySa3TD: { dtype: 'float32', entryShape: [slots], values: xgm, attrs: { unitSymbol: 'J', metricPrefixSymbol: 'u' } } } } } },
      [SOURCES.timeserverOutput]: { indexGroups: { data: { counts, keys: { bunchPatternTable: { dtype: 'uint32', entryShape: [entries], values: table } } } } },
      [FASTCCD_SOURCE]: { indexGroups: { data: { counts, keys: { 'image.pixels': { dtype: 'uint16', entryShape: [ny, nx], values: new Uint16Array(0), produce: frameProducer(p, rng) } } } } },
    },
  };
}

/**
 * Write a FastCCD run into `outDir` (its raw run folder), with
 * fastccd_gain.npy and fastccd_mask.npy next to it. Defaults: proposal 2830,
 * run 1, seed 1, 32 trains over 4 delays (−1, 0, 1, 2 ps), 48 × 40 pixels.
 */
export async function writeFastccdRun(outDir: string, options: FastccdRunOptions = {}): Promise<SmallRunTruth & { physics: FastccdPhysics }> {
  options = checkOptions('writeFastccdRun', options, RUN_OPTIONS);
  const o = {
    seed: options.seed ?? 1, trains: options.trains ?? 32, scanPoints: options.scanPoints ?? 4, shape: options.shape ?? [48, 40] as [number, number],
    dark: options.dark ?? false, outlierTrains: options.outlierTrains ?? [],
  };
  if (!Number.isInteger(o.trains) || o.trains < o.scanPoints) throw new ToolBoxValueError(`FastCCD run: ${o.trains} trains cannot cover ${o.scanPoints} scan points`);
  if (!o.shape.every((d) => Number.isInteger(d) && d >= 8)) throw new ToolBoxValueError(`FastCCD run: shape must be two integers >= 8, got [${o.shape}]`);
  const bad = o.outlierTrains.find((i) => !Number.isInteger(i) || i < 0 || i >= o.trains);
  if (bad !== undefined) throw new ToolBoxValueError(`FastCCD run: outlier train index ${bad} is outside 0..${o.trains - 1}`);
  const trainIds = Array.from({ length: o.trains }, (_, i) => BigInt(FIRST_TRAIN + i));
  const physics = makePhysics(o, trainIds, outDir);
  const rng = new Random(o.seed >>> 0);
  const energies = pulseEnergies(physics, trainIds, rng);
  const noiseSeed = (o.seed * 7 + (o.dark ? 1 : 0)) >>> 0;
  const { control, instrument } = daSources(physics, trainIds, energies, new Random(noiseSeed));
  if (options.camera === false) delete instrument[FASTCCD_SOURCE];
  const truth = await writeSmallRun(outDir, {
    generator: 'scs-toolbox writeFastccdRun', proposal: options.proposal ?? 2830, run: options.run ?? 1, seed: o.seed, trainIds, control, instrument,
  }, physics);
  if (options.procDir !== undefined && options.camera !== false) await writeCorrected(options.procDir, physics, trainIds, truth.run, noiseSeed);
  const { gain } = fastccdDarkAndGain(physics);
  const [ny, nx] = physics.shape;
  const mask = new Uint8Array(ny * nx).fill(1);
  for (const [i, j] of physics.mask.hotPixels) mask[i * nx + j] = 0;
  for (let i = 0; i < ny; i++) mask[i * nx + physics.mask.deadColumn] = 0;
  await writeNpy(physics.files.gain, gain, [ny, nx]);
  await writeNpy(physics.files.mask, mask, [ny, nx], 'b1');
  return truth;
}

async function writeCorrected(procDir: string, p: FastccdPhysics, trainIds: bigint[], run: number, noiseSeed: number): Promise<void> {
  await mkdir(procDir, { recursive: true });
  const produce = correctedProducer(p, frameProducer(p, new Random(noiseSeed)));
  await writeRunFile({
    path: join(procDir, `CORR-R${String(run).padStart(4, '0')}-DA05-S00000.h5`), formatVersion: '1.0', trainIds,
    instrument: { [FASTCCD_SOURCE]: { indexGroups: { data: { counts: trainIds.map(() => 1), keys: {
      'image.pixels': { dtype: 'float32', entryShape: [...p.shape], values: new Float32Array(0), produce },
    } } } } },
  });
}
