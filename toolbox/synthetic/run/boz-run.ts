/**
 * Synthetic BOZ runs: a dark run and a run with three zone-plate beams on
 * one DSSC module (128 × 512 pixels, the real size: the BOZ routines work on
 * whole modules), in the EuXFEL raw layout below a data root
 * (<root>/SCS/<cycle>/p<6 digits>/raw/r<4 digits>) so loadDsscModule and
 * the notebooks find them through EXFEL_DATA_ROOT. The DA01 file holds the
 * XGM (pulse energies ∝ the beams' intensity), bunch pattern, mono and
 * delay line of the pump-probe mock run; the detector picture is
 * boz-physics.ts, all of it in truth.json.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { MODULE_PIXELS } from '../../routines/boz/types.js';
import { Random } from '../random.js';
import { type BozModel, type BozModelOptions, Response, beamWeights, makeBozModel, normalTable } from './boz-physics.js';
import { type FrameKind, type MockPhysics, type ScanKind, makePhysics } from './mock-physics.js';
import { type RawFrameProducerFactory, type RunContext, da01Sources, dsscModuleSource, dsscSource } from './mock-sources.js';
import { writeRunFile } from './run-file.js';
import { XAS_SAMPLE, xasMu } from './xas-run.js';
import { type SourceDescriptions, describeSources } from './small-run.js';
import type { RunFileSpec } from './spec.js';

export interface BozRunsOptions extends BozModelOptions {
  proposal?: number;
  /** Run numbers of the dark and the beam run (default 1 and 2). */
  darkRun?: number;
  run?: number;
  /** DSSC module (default 15, as Python's load_dssc_module). */
  module?: number;
  /** Trains of the beam run (default 40) and of the dark run (default: the same). */
  trains?: number;
  darkTrains?: number;
  /** Frames per train, every second one an intra-dark (default 20) ; the dark run's (default: the same; another count is bad input for the routines). */
  frames?: number;
  darkFrames?: number;
  /** Trains per DSSC sequence file (default: all in S00000). */
  trainsPerSequence?: number;
  seed?: number;
  cycle?: string;
  /** The beam run scans the mono energy (default) or the delay line, as the II.1 notebook aligns with. */
  scan?: ScanKind;
  scanPoints?: number;
  /**
   * A sample in beam 'n' of the beam run (not the dark run): its transmission in train t is
   * exp(−absorption · μ(E_t)) with μ the L3 edge of the XAS run (xas-run.ts, field +1) at the
   * recorded mono energy, so binning n/0 on the energy gives a spectrum (II.1, II.2). Default 0:
   * empty membranes, n/0 constant, as the correction determination needs.
   */
  absorption?: number;
  /** Called after each file with a one-line message. */
  progress?: (message: string) => void;
}
const BOZ_RUNS_OPTIONS = optionNames<BozRunsOptions>({
  proposal: true, darkRun: true, run: true, module: true, trains: true, darkTrains: true, frames: true, darkFrames: true, trainsPerSequence: true,
  seed: true, cycle: true, scan: true, scanPoints: true, absorption: true, progress: true,
  gain: true, nonLinearity: true, nonLinearityRange: true, beamProfile: true, peakPhotons: true, beams: true, flatFieldSlopes: true, intensity: true,
});

/** truth.json of one BOZ run. */
export interface BozRunTruth {
  generator: string;
  proposal: number;
  run: number;
  /** The other run of the pair (the dark run of a beam run and vice versa). */
  pairedRun: number;
  dark: boolean;
  module: number;
  seed: number;
  trainIds: number[];
  framesPerTrain: number;
  /** Kind of frame i of every train: every second frame is an intra-dark (no X-rays). */
  frameKinds: FrameKind[];
  /** Frames with X-rays, in train order (frames kept by dropIntraDarks). */
  xrayFrames: number[];
  files: string[];
  sources: SourceDescriptions;
  /** Mono, delay line, bunch pattern and XGM settings (mock-physics.ts). */
  physics: MockPhysics;
  /** Recorded mono energy (eV) and delay-line position (mm) per train. */
  energy: number[];
  position: number[];
  /** Intensity fraction of each X-ray pulse, trains × xrayFrames.length (all 0 in a dark run); the XGM holds xgmUJ times it. */
  intensity: number[];
  /** Transmission of beam 'n' per train (the sample of option absorption; all 1 without). */
  transmission: number[];
  absorption: number;
  boz: BozModel;
}

export interface BozRuns {
  root: string;
  proposal: number;
  darkRun: number;
  run: number;
  module: number;
  /** <root>/SCS/<cycle>/p<6 digits> */
  proposalDir: string;
  darkDir: string;
  runDir: string;
  truth: BozRunTruth;
  darkTruth: BozRunTruth;
}

interface Resolved {
  proposal: number; darkRun: number; run: number; module: number; trains: number; darkTrains: number; frames: number; darkFrames: number;
  perSequence: number; seed: number; cycle: string; scan: ScanKind; scanPoints: number; absorption: number;
}

function int(name: string, v: number, min: number, max = Infinity): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new ToolBoxValueError(`BOZ run option ${name} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

function resolveOptions(o: BozRunsOptions): Resolved {
  const trains = int('trains', o.trains ?? 40, 1), frames = int('frames', o.frames ?? 20, 2);
  const r: Resolved = {
    proposal: int('proposal', o.proposal ?? 2212, 0), darkRun: int('darkRun', o.darkRun ?? 1, 1), run: int('run', o.run ?? 2, 1),
    module: int('module', o.module ?? 15, 0, 15), trains, darkTrains: int('darkTrains', o.darkTrains ?? trains, 1),
    frames, darkFrames: int('darkFrames', o.darkFrames ?? frames, 2), perSequence: int('trainsPerSequence', o.trainsPerSequence ?? Math.max(trains, o.darkTrains ?? 0), 1),
    seed: int('seed', o.seed ?? 1, 0), cycle: o.cycle ?? '202601', scan: o.scan ?? 'energy', scanPoints: int('scanPoints', o.scanPoints ?? Math.min(5, trains), 1),
    absorption: o.absorption ?? 0,
  };
  if (!(r.absorption >= 0)) throw new ToolBoxValueError(`BOZ run option absorption must be >= 0, got ${r.absorption}`);
  if (r.darkRun === r.run) throw new ToolBoxValueError(`BOZ runs: the dark run and the beam run must differ, both are ${r.run}`);
  if (r.scan !== 'energy' && r.scan !== 'delay') throw new ToolBoxValueError(`BOZ run option scan must be 'energy' or 'delay', got ${String(r.scan)}`);
  return r;
}

/** Write the dark run and the beam run below `root` (the data root, EXFEL_DATA_ROOT for whoever reads them). */
export async function writeBozRuns(root: string, options: BozRunsOptions = {}): Promise<BozRuns> {
  checkOptions('writeBozRuns', options, BOZ_RUNS_OPTIONS);
  const r = resolveOptions(options);
  const model = makeBozModel(r.seed, Math.max(r.frames, r.darkFrames), options);
  const proposalDir = join(resolve(root), 'SCS', r.cycle, `p${String(r.proposal).padStart(6, '0')}`);
  const runDir = (n: number) => join(proposalDir, 'raw', `r${String(n).padStart(4, '0')}`);
  const darkTruth = await writeBozRun(runDir(r.darkRun), r, model, true, options.progress);
  const truth = await writeBozRun(runDir(r.run), r, model, false, options.progress);
  return {
    root: resolve(root), proposal: r.proposal, darkRun: r.darkRun, run: r.run, module: r.module, proposalDir,
    darkDir: runDir(r.darkRun), runDir: runDir(r.run), truth, darkTruth,
  };
}

/** Run-wide values of one run: its train IDs (the dark run's come first), mono, delay and pulse intensities. */
function bozContext(r: Resolved, model: BozModel, dark: boolean): { ctx: RunContext; intensity: Float64Array } {
  const trains = dark ? r.darkTrains : r.trains, frames = dark ? r.darkFrames : r.frames;
  const phys = makePhysics(r.scan, trains, frames, Math.min(r.scanPoints, trains));
  const rng = new Random((r.seed * 7919 + (dark ? r.darkRun : r.run)) >>> 0);
  const nX = phys.bunchPattern.sase3PulseIds.length;
  const { low, high, xgmUJ } = model.intensity;
  const intensity = Float64Array.from({ length: trains * nX }, () => (dark ? 0 : low + (high - low) * rng.uniform()));
  // the XGM sits upstream of the dark run's shutter: it sees pulses either way
  const energies = Float32Array.from(intensity, (u) => xgmUJ * (dark ? low + (high - low) * rng.uniform() : u));
  phys.xgm.meanUJ = (xgmUJ * (low + high)) / 2;
  const first = 10000n + BigInt(dark ? 0 : r.darkTrains + 100);
  const position = new Float64Array(trains), energy = new Float64Array(trains);
  for (let t = 0; t < trains; t++) {
    const nominal = phys.scan.points[phys.scan.pointOfTrain[t]] + phys.scan.jitter * rng.normal();
    position[t] = r.scan === 'delay' ? nominal : phys.delayLine.fixedPosition;
    energy[t] = r.scan === 'energy' ? nominal : phys.mono.fixedEnergy;
  }
  const ctx: RunContext = {
    seed: r.seed, trainIds: Array.from({ length: trains }, (_, i) => first + BigInt(i)), phys, energies,
    sa1Energies: new Float32Array(trains * phys.bunchPattern.sase1PulseIds.length).fill(phys.xgm.sa1MeanUJ),
    position, energy, missing: new Map(), pixels: [128, 512], dark,
  };
  return { ctx, intensity };
}

async function writeBozRun(dir: string, r: Resolved, model: BozModel, dark: boolean, progress?: (m: string) => void): Promise<BozRunTruth> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot create BOZ run folder ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
  const run = dark ? r.darkRun : r.run;
  const { ctx, intensity } = bozContext(r, model, dark);
  const absorption = dark ? 0 : r.absorption;
  const transmission = Array.from(ctx.energy, (e) => (absorption ? Math.exp(-absorption * xasMu(XAS_SAMPLE, e, 1)) : 1));
  const trains = ctx.trainIds.length;
  const sources: SourceDescriptions = {};
  const files: string[] = [];
  const base = (seq: number, a: number, b: number): Omit<RunFileSpec, 'path' | 'control' | 'instrument'> => ({
    formatVersion: '1.0', trainIds: ctx.trainIds.slice(a, b), metadata: { proposal: r.proposal, run, sequence: seq, sample: 'BOZ membranes', runType: dark ? 'dark' : 'BOZ' },
  });
  const write = async (name: string, spec: Omit<RunFileSpec, 'path'>, aggregator: string) => {
    const full: RunFileSpec = { ...spec, path: join(dir, name) };
    await writeRunFile(full);
    describeSources(full, aggregator, sources);
    files.push(name);
    progress?.(`wrote ${join(dir, name)}`);
  };
  const tag = `R${String(run).padStart(4, '0')}`;
  await write(`RAW-${tag}-DA01-S00000.h5`, { ...base(0, 0, trains), ...da01Sources(ctx, 0, trains) }, 'DA01');
  const mod = `DSSC${String(r.module).padStart(2, '0')}`;
  for (let a = 0, seq = 0; a < trains; a += r.perSequence, seq++) {
    const b = Math.min(trains, a + r.perSequence);
    const frames = bozFrames(model, ctx, intensity, transmission, (r.seed * 31 + run * 1009 + seq * 65537) >>> 0);
    const src = dsscModuleSource(ctx, r.module, seq, a, b, frames);
    await write(`RAW-${tag}-${mod}-S${String(seq).padStart(5, '0')}.h5`, { ...base(seq, a, b), instrument: { [dsscSource(r.module)]: src } }, mod);
  }
  const truth: BozRunTruth = {
    generator: 'scs-toolbox writeBozRuns', proposal: r.proposal, run, pairedRun: dark ? r.run : r.darkRun, dark, module: r.module, seed: r.seed,
    trainIds: ctx.trainIds.map(Number), framesPerTrain: ctx.phys.frames.perTrain, frameKinds: ctx.phys.frames.kinds,
    xrayFrames: ctx.phys.frames.kinds.flatMap((k, i) => (k === 'intradark' ? [] : [i])), files, sources, physics: ctx.phys,
    energy: [...ctx.energy], position: [...ctx.position], intensity: [...intensity], transmission, absorption, boz: model,
  };
  const tmp = join(dir, '.truth.json.partial');
  await writeFile(tmp, JSON.stringify(truth) + '\n');
  await rename(tmp, join(dir, 'truth.json'));
  return truth;
}

/**
 * The module's raw frames: per pixel pedestal + cell offset + read noise,
 * plus gain × Poisson photons of the beams on X-ray frames, through G,
 * rounded and clipped to 9 bits; hot pixels noisy and high, dead ones 0.
 */
function bozFrames(m: BozModel, ctx: RunContext, intensity: Float64Array, transmission: number[], seed: number): RawFrameProducerFactory {
  const F = ctx.phys.frames.perTrain;
  const slot: number[] = [];
  let k = 0;
  for (const kind of ctx.phys.frames.kinds) slot.push(kind === 'intradark' ? -1 : k++);
  const nX = k;
  const beams = beamWeights(m);
  const G = new Response(m.nonLinearity.amplitude, m.nonLinearity.range);
  const normals = normalTable(seed);
  const { pedestal, cellOffsets, readNoise } = m.dark;
  const gain = m.gain.aduPerPhoton;
  const { hot, hotPedestal, hotNoise, dead } = m.badPixels;
  const ped = Float64Array.from(pedestal);
  return (rows) => {
    const rng = new Random(seed);
    // read-noise indices from a xorshift32 stream: one integer step per pixel keeps long runs quick to write
    let state = (seed | 1) >>> 0;
    const s = new Float64Array(MODULE_PIXELS);
    return (first, count, out) => {
      const o = out as Uint16Array;
      for (let e = 0; e < count; e++) {
        const entry = first + e, t = rows[Math.floor(entry / F)], frame = entry % F;
        const cell = cellOffsets[frame];
        for (let p = 0; p < MODULE_PIXELS; p++) {
          state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
          s[p] = ped[p] + cell + readNoise * normals[(state >>> 16) & 0xffff];
        }
        const u = slot[frame] < 0 ? 0 : intensity[t * nX + slot[frame]];
        const un = u * transmission[t];
        if (u > 0) for (let i = 0; i < beams.pixels.length; i++) s[beams.pixels[i]] += gain * rng.poisson((beams.nBeam[i] ? un : u) * beams.photons[i]);
        for (const h of hot) s[h] = hotPedestal + cell + hotNoise * rng.normal();
        const base = e * MODULE_PIXELS;
        for (let p = 0; p < MODULE_PIXELS; p++) o[base + p] = G.raw(s[p]);
        for (const d of dead) o[base + d] = 0;
      }
    };
  };
}
