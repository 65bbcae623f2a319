/**
 * A complete synthetic raw SCS run folder: DA01 sequence files with the
 * slow and fast beamline sources, one DSSC file per module and sequence, and
 * truth.json recording every physics parameter and the exact layout, so
 * tests of the run reader and of the analyses can check what they recover.
 * File naming and layout: docs/run-format.md, Folders and file names, Sequences, SCS sources.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { Random } from '../random.js';
import { checkOptions, optionNames } from '../../options.js';
import { type MockPhysics, type ScanKind, makePhysics, pulseEnergies } from './mock-physics.js';
import { type RunContext, SOURCES, da01Sources, dsscCorrModuleSource, dsscCorrSource, dsscModuleSource, dsscSource, moduleHotPixels } from './mock-sources.js';
import { ADQ_SOURCE, adqSource } from './mock-adq.js';
import { fastAdcSourceSpec } from './mock-fastadc.js';
import { type MockUndulatorOptions, type MockUndulatorTruth, makeUndulator, undulatorSources } from './mock-undulator.js';
import { writeRunFile } from './run-file.js';
import { type SourceDescriptions, describeSources } from './small-run.js';
import { type MockScatteringOptions, type MockScatteringTruth, resolveScattering } from './mock-scattering.js';
import { type Progress, startProgress } from '../../display/track.js';
import type { FormatVersion, KeyArray, RunFileSpec } from './spec.js';

export interface MockRunOptions {
  proposal?: number;
  run?: number;
  /** Number of trains (default 20). */
  trains?: number;
  /** First train ID (default 10000, as EXtra-data's mocks; real IDs are ~1e9). */
  firstTrainId?: number | bigint;
  /** DSSC frames per train (default 20). */
  frames?: number;
  /** DSSC modules: a count (modules 0…n-1) or a list of module numbers 0–15 (default 1). */
  modules?: number | number[];
  seed?: number;
  formatVersion?: FormatVersion;
  /** Source name → train IDs for which that source has count 0. */
  missingTrains?: Record<string, (number | bigint)[]>;
  scan?: ScanKind;
  scanPoints?: number;
  /** Trains per sequence file of every aggregator (default: all in S00000). */
  trainsPerSequence?: number;
  /** Trains per DSSC sequence file when the detector splits elsewhere than DA01 (default: trainsPerSequence). */
  dsscTrainsPerSequence?: number;
  /** DSSC module image [slow scan, fast scan]; real modules are [128, 512]. Default [16, 32]. */
  pixels?: [number, number];
  /** Called after each file, and every couple of seconds while a big file is written, with a one-line message. */
  progress?: (message: string) => void;
  /**
   * Also write the processed (proc) run: one `CORR-R<run>-DSSC<mm>-S<seq>.h5`
   * per module and DSSC sequence, in the corrected layout of docs/run-format.md, DSSC (see
   * MockProcTruth for the correction). Default false.
   */
  proc?: boolean;
  /**
   * Folder of the proc run (created). Default: when the raw folder is
   * `<x>/raw/<name>`, the sibling `<x>/proc/<name>` (EuXFEL layout, so
   * openRun(data: 'proc' | 'all' | 'default') finds it); else `<rawDir>-proc`.
   */
  procDir?: string;
  /** Also write the SASE3 undulator cells, colour photon energies and chicane (mock-undulator.ts); default false. */
  undulator?: boolean | MockUndulatorOptions;
  /**
   * A dark run: same sources, trains and frames, but the X-rays stop before
   * the sample (shutter downstream of the XGM), so every DSSC frame is
   * baseline + dark photons + hot pixels and the ADQ (MCP behind the sample)
   * records no peaks. XGM, BAM and the bunch pattern are unchanged. Default false.
   */
  dark?: boolean;
  /** ADQ412 board-1 channel the MCP trace is on (default 'D' = MCP1; 'C' = MCP2, 'B' = MCP3, 'A' = MCP4 in the XAS-TIM wiring). */
  adqChannel?: 'A' | 'B' | 'C' | 'D';
  /**
   * Draw the DSSC ring through the DSSC 1M geometry instead of per module in
   * module pixels: a ring at a known q (nm⁻¹) for the azimuthal-integration
   * notebooks (mock-scattering.ts; truth.scattering says what to recover).
   * Delay scans only. Default false: the per-module ring of physics.ring.
   */
  scattering?: boolean | MockScatteringOptions;
}
const MOCK_RUN_OPTIONS = optionNames<MockRunOptions>({
  proposal: true, run: true, trains: true, firstTrainId: true, frames: true, modules: true, seed: true, formatVersion: true, missingTrains: true, scan: true,
  scanPoints: true, trainsPerSequence: true, dsscTrainsPerSequence: true, pixels: true, progress: true, proc: true, procDir: true, undulator: true, dark: true,
  adqChannel: true, scattering: true,
});

/** What writeMockRun({ proc: true }) wrote into the proc folder. */
export interface MockProcTruth {
  /** Absolute proc run folder. */
  dir: string;
  files: MockRunFile[];
  /** CORR source → legacy raw name, written as HDF5 soft links INSTRUMENT/<legacy> and INDEX/<legacy> (not listed in METADATA). */
  legacyLinks: Record<string, string>;
  sources: MockRunTruth['sources'];
  /**
   * image.data = float32(raw image.data) − baseline, frame by frame, with the
   * raw length-1 axis dropped: (N, slow, fast). Same trains (and missing
   * trains) as the raw module. image.mask = maskValue at the module's hot
   * pixels (truth.dssc.hotPixels), else 0; image.gain = 0. mask and gain are
   * gzip level 1.
   */
  correction: { kind: 'baseline-subtraction'; baseline: number; maskValue: number; gain: number; gzipLevel: number };
}

export interface MockRunFile { name: string; aggregator: string; sequence: number; firstTrainId: number; lastTrainId: number; trains: number; sources: string[] }

export interface MockRunTruth {
  generator: string;
  proposal: number;
  run: number;
  formatVersion: FormatVersion;
  seed: number;
  trainIds: number[];
  trainsPerSequence: number;
  dsscTrainsPerSequence: number;
  files: MockRunFile[];
  /** Every source: section, aggregator, keys with dtype and per-entry shape. */
  sources: SourceDescriptions;
  missingTrains: Record<string, number[]>;
  /** Nominal scan value (position mm or energy eV) per train, in run order. */
  scanValuePerTrain: number[];
  dssc: { detector: string; modules: number[]; pixels: [number, number]; framesPerTrain: number; hotPixels: Record<string, number[]> };
  physics: MockPhysics;
  /** Bytes of DSSC image.data written (the bulk of the run). */
  dsscImageBytes: number;
  /** The proc run, when written (option proc). */
  proc?: MockProcTruth;
  /** The undulator configuration, when written (option undulator). */
  undulator?: MockUndulatorTruth;
  /** True for a dark run (option dark): no frame holds X-ray photons, whatever physics.frames.kinds says. */
  dark: boolean;
  /** The ring drawn through the DSSC geometry, when written (option scattering): what the azimuthal-integration notebooks recover. */
  scattering?: MockScatteringTruth;
}

interface Resolved {
  proposal: number; run: number; trains: number; firstTrainId: bigint; frames: number; modules: number[]; seed: number;
  formatVersion: FormatVersion; scan: ScanKind; scanPoints: number; trainsPerSequence: number; dsscTrainsPerSequence: number; pixels: [number, number];
  adqChannel: 'A' | 'B' | 'C' | 'D';
}

const VERSIONS: FormatVersion[] = ['0.5', '1.0', '1.1', '1.2'];
/** image.mask value of a hot pixel in the mock CORR files (one bit set; 0 = good pixel). */
const CORR_HOT_PIXEL_MASK = 1;

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new ToolBoxValueError(`mock run option ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

function adqChannel(c: MockRunOptions['adqChannel']): Resolved['adqChannel'] {
  if (c === undefined) return 'D';
  if (!['A', 'B', 'C', 'D'].includes(c)) throw new ToolBoxValueError(`mock run option adqChannel must be 'A', 'B', 'C' or 'D', got ${String(c)}`);
  return c;
}

function resolveOptions(o: MockRunOptions): Resolved {
  const trains = positiveInt('trains', o.trains ?? 20);
  const modules = typeof o.modules === 'object' ? [...o.modules] : Array.from({ length: positiveInt('modules', o.modules ?? 1) }, (_, i) => i);
  if (modules.length === 0 || modules.some((m) => !Number.isInteger(m) || m < 0 || m > 15) || new Set(modules).size !== modules.length) {
    throw new ToolBoxValueError(`mock run option modules must be distinct DSSC module numbers 0-15 (or a count up to 16), got ${JSON.stringify(o.modules)}`);
  }
  const formatVersion = o.formatVersion ?? '1.0';
  if (!VERSIONS.includes(formatVersion)) throw new ToolBoxValueError(`mock run option formatVersion must be one of ${VERSIONS.join(', ')}, got ${formatVersion}`);
  const scan = o.scan ?? 'delay';
  if (scan !== 'delay' && scan !== 'energy') throw new ToolBoxValueError(`mock run option scan must be 'delay' or 'energy', got ${String(scan)}`);
  const pixels = o.pixels ?? [16, 32];
  if (pixels.length !== 2) throw new ToolBoxValueError(`mock run option pixels must be [slow, fast], got ${JSON.stringify(pixels)}`);
  pixels.forEach((p) => positiveInt('pixels', p));
  const firstTrainId = BigInt(o.firstTrainId ?? 10000);
  if (firstTrainId < 1n) throw new ToolBoxValueError(`mock run option firstTrainId must be positive, got ${firstTrainId}`);
  return {
    proposal: positiveInt('proposal', o.proposal ?? 2212, 0), run: positiveInt('run', o.run ?? 1, 0), trains, firstTrainId,
    frames: positiveInt('frames', o.frames ?? 20), modules: modules.sort((a, b) => a - b), seed: positiveInt('seed', o.seed ?? 1, 0),
    formatVersion, scan, scanPoints: positiveInt('scanPoints', o.scanPoints ?? Math.min(5, trains)),
    trainsPerSequence: positiveInt('trainsPerSequence', o.trainsPerSequence ?? trains),
    dsscTrainsPerSequence: positiveInt('dsscTrainsPerSequence', o.dsscTrainsPerSequence ?? o.trainsPerSequence ?? trains),
    pixels: [pixels[0], pixels[1]], adqChannel: adqChannel(o.adqChannel),
  };
}

/** Run-wide values: scan readings, pulse energies and the missing-train table, checked against the sources. */
function makeContext(r: Resolved, missingOpt: MockRunOptions['missingTrains'], dark: boolean, scatteringOpt: MockRunOptions['scattering']): RunContext {
  const phys = makePhysics(r.scan, r.trains, r.frames, r.scanPoints);
  const scattering = scatteringOpt ? resolveScattering(scatteringOpt, phys, r.pixels) : undefined;
  phys.adq.channel = `channel_1_${r.adqChannel}`;
  const trainIds = Array.from({ length: r.trains }, (_, i) => r.firstTrainId + BigInt(i));
  const rng = new Random(r.seed);
  const energies = pulseEnergies(phys, r.trains, rng);
  const sa1 = new Float32Array(r.trains * phys.bunchPattern.sase1PulseIds.length);
  for (let i = 0; i < sa1.length; i++) sa1[i] = Math.max(1, phys.xgm.sa1MeanUJ * (1 + 0.2 * rng.normal()));
  const position = new Float64Array(r.trains);
  const energy = new Float64Array(r.trains);
  for (let t = 0; t < r.trains; t++) {
    const nominal = phys.scan.points[phys.scan.pointOfTrain[t]];
    const jit = phys.scan.jitter * rng.normal();
    position[t] = r.scan === 'delay' ? nominal + jit : phys.delayLine.fixedPosition + 1e-4 * rng.normal();
    energy[t] = r.scan === 'energy' ? nominal + jit : phys.mono.fixedEnergy + 0.01 * rng.normal();
  }
  const known = new Set<string>([...Object.values(SOURCES), ADQ_SOURCE, ...r.modules.map(dsscSource)]);
  const missing = new Map<string, Set<bigint>>();
  for (const [src, ids] of Object.entries(missingOpt ?? {})) {
    if (!known.has(src)) throw new ToolBoxValueError(`missing trains given for unknown source ${src}; sources are: ${[...known].join(', ')}`);
    const set = new Set(ids.map((x) => BigInt(x)));
    for (const id of set) {
      if (id < r.firstTrainId || id >= r.firstTrainId + BigInt(r.trains)) {
        throw new ToolBoxValueError(`missing train ${id} for ${src} is outside the run's trains ${r.firstTrainId}-${r.firstTrainId + BigInt(r.trains) - 1n}`);
      }
    }
    missing.set(src, set);
  }
  return { seed: r.seed, trainIds, phys, energies, sa1Energies: sa1, position, energy, missing, pixels: r.pixels, dark, ...(scattering ? { scattering } : {}) };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Wrap a streamed key's producer so a long write reports how far it got, at most every 2 s. */
function reportWhileWriting(key: KeyArray, name: string, progress: MockRunOptions['progress']): void {
  const inner = key.produce;
  if (!inner || !progress) return;
  let last = Date.now();
  key.produce = (first, count, out) => {
    inner(first, count, out);
    if (Date.now() - last >= 2000) {
      last = Date.now();
      progress(`writing ${name}: ${first + count} entries`);
    }
  };
}

/** One run being written: its resolved options, run-wide values and where its files go. */
interface RunWriting {
  r: Resolved;
  ctx: RunContext;
  dir: string;
  options: MockRunOptions;
  fileProgress: Progress;
}

/** What the raw files put into truth.json. */
interface RawFilesWritten {
  files: MockRunFile[];
  sources: MockRunTruth['sources'];
  dsscImageBytes: number;
}

/** Write the run folder `outDir` (created if needed) and its truth.json. */
export async function writeMockRun(outDir: string, options: MockRunOptions = {}): Promise<MockRunTruth> {
  checkOptions('writeMockRun', options, MOCK_RUN_OPTIONS);
  const r = resolveOptions(options);
  const ctx = makeContext(r, options.missingTrains, options.dark === true, options.scattering);
  const dir = resolve(outDir);
  await createFolder(dir, 'run folder');
  const nFiles = sequenceRanges(r.trains, r.trainsPerSequence).length
    + r.modules.length * sequenceRanges(r.trains, r.dsscTrainsPerSequence).length * (options.proc ? 2 : 1);
  const fileProgress = startProgress(`writing mock run ${dir}`, { total: nFiles, unit: 'files', quietMs: 1000 });
  const w: RunWriting = { r, ctx, dir, options, fileProgress };
  const und = options.undulator ? makeUndulator(options.undulator === true ? {} : options.undulator) : undefined;
  const raw = await writeRawFiles(w, und);
  const proc = options.proc ? await writeProcFiles(w) : undefined;
  const truth = assembleTruth(w, raw, proc, und);
  await writeFile(join(dir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');
  fileProgress.finish();
  return truth;
}

async function createFolder(dir: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot create ${what} ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
}

/** [first, end) train indices of each sequence file when a file holds `per` trains. */
function sequenceRanges(trains: number, per: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < trains; a += per) out.push([a, Math.min(trains, a + per)]);
  return out;
}

/** The train IDs and METADATA of sequence file `seq` holding trains [a, b). */
function sequenceBase({ r, ctx }: RunWriting, seq: number, a: number, b: number): Omit<RunFileSpec, 'path'> {
  return {
    formatVersion: r.formatVersion,
    trainIds: ctx.trainIds.slice(a, b),
    metadata: { proposal: r.proposal, run: r.run, sequence: seq, sample: 'mock sample', runType: 'mock' },
  };
}

function fileEntry(w: RunWriting, name: string, aggregator: string, seq: number, [a, b]: [number, number], sources: string[]): MockRunFile {
  const ids = w.ctx.trainIds;
  return { name, aggregator, sequence: seq, firstTrainId: Number(ids[a]), lastTrainId: Number(ids[b - 1]), trains: b - a, sources };
}

/** The DA01 sequence files, then each DSSC module's, in that order. */
async function writeRawFiles(w: RunWriting, und: MockUndulatorTruth | undefined): Promise<RawFilesWritten> {
  const { r, ctx, dir, options } = w;
  const written: RawFilesWritten = { files: [], sources: {}, dsscImageBytes: 0 };
  const write = async (spec: RunFileSpec, aggregator: string, seq: number, a: number, b: number) => {
    await writeRunFile(spec);
    const sources = [...Object.keys(spec.control ?? {}), ...Object.keys(spec.instrument ?? {})];
    const name = spec.path.slice(dir.length + 1);
    written.files.push(fileEntry(w, name, aggregator, seq, [a, b], sources));
    describeSources(spec, aggregator, written.sources);
    written.dsscImageBytes += imageBytes(spec, r.pixels);
    w.fileProgress.tick();
    options.progress?.(`wrote ${name} (${b - a} trains)`);
  };
  for (const [seq, [a, b]] of sequenceRanges(r.trains, r.trainsPerSequence).entries()) {
    const path = join(dir, `RAW-R${pad(r.run, 4)}-DA01-S${pad(seq, 5)}.h5`);
    const da = da01Sources(ctx, a, b);
    const fadc = fastAdcSourceSpec(ctx, seq, a, b);
    const control = { ...da.control, ...(und ? undulatorSources(ctx, und, a, b) : {}) };
    const instrument = { ...da.instrument, [ADQ_SOURCE]: adqSource(ctx, seq, a, b), [fadc.source]: fadc.spec };
    await write({ path, ...sequenceBase(w, seq, a, b), control, instrument }, 'DA01', seq, a, b);
  }
  for (const m of r.modules) {
    for (const [seq, [a, b]] of sequenceRanges(r.trains, r.dsscTrainsPerSequence).entries()) {
      const path = join(dir, `RAW-R${pad(r.run, 4)}-DSSC${pad(m, 2)}-S${pad(seq, 5)}.h5`);
      const src = dsscModuleSource(ctx, m, seq, a, b);
      reportWhileWriting(src.indexGroups.image.keys.data, path.slice(dir.length + 1), options.progress);
      await write({ path, ...sequenceBase(w, seq, a, b), instrument: { [dsscSource(m)]: src } }, `DSSC${pad(m, 2)}`, seq, a, b);
    }
  }
  return written;
}

/** Bytes of the uint16 DSSC image.data in a file. */
function imageBytes(spec: RunFileSpec, pixels: [number, number]): number {
  let bytes = 0;
  for (const s of Object.values(spec.instrument ?? {})) {
    const img = s.indexGroups.image;
    if (img) bytes += img.counts.reduce((x, y) => x + y, 0) * pixels[0] * pixels[1] * 2;
  }
  return bytes;
}

/** The proc folder: `<x>/proc/<name>` next to a raw folder `<x>/raw/<name>` (EuXFEL layout), else `<rawDir>-proc`. */
function procFolder(dir: string, procDir: string | undefined): string {
  return resolve(procDir ?? (basename(dirname(dir)) === 'raw' ? join(dirname(dirname(dir)), 'proc', basename(dir)) : `${dir}-proc`));
}

/** The corrected CORR files of every module and DSSC sequence, with HDF5 soft links under the raw names. */
async function writeProcFiles(w: RunWriting): Promise<MockProcTruth> {
  const { r, ctx, options } = w;
  const pdir = procFolder(w.dir, options.procDir);
  await createFolder(pdir, 'proc run folder');
  const { baseline } = ctx.phys.detector;
  const proc: MockProcTruth = {
    dir: pdir, files: [], legacyLinks: {}, sources: {},
    correction: { kind: 'baseline-subtraction', baseline, maskValue: CORR_HOT_PIXEL_MASK, gain: 0, gzipLevel: 1 },
  };
  for (const m of r.modules) {
    const corr = dsscCorrSource(m);
    const aggregator = `DSSC${pad(m, 2)}`;
    proc.legacyLinks[corr] = dsscSource(m);
    for (const [seq, [a, b]] of sequenceRanges(r.trains, r.dsscTrainsPerSequence).entries()) {
      const name = `CORR-R${pad(r.run, 4)}-DSSC${pad(m, 2)}-S${pad(seq, 5)}.h5`;
      const src = dsscCorrModuleSource(ctx, m, seq, a, b, CORR_HOT_PIXEL_MASK);
      reportWhileWriting(src.indexGroups.image.keys.data, name, options.progress);
      await writeRunFile({ path: join(pdir, name), ...sequenceBase(w, seq, a, b), instrument: { [corr]: src }, softLinks: { [dsscSource(m)]: corr } });
      proc.files.push(fileEntry(w, name, aggregator, seq, [a, b], [corr]));
      proc.sources[corr] ??= {
        section: 'INSTRUMENT', aggregator,
        keys: Object.fromEntries(Object.entries(src.indexGroups.image.keys).map(([k, v]) => [`image.${k}`, { dtype: v.dtype, entryShape: v.entryShape }])),
      };
      w.fileProgress.tick();
      options.progress?.(`wrote ${name} (${b - a} trains)`);
    }
  }
  return proc;
}

function assembleTruth(w: RunWriting, raw: RawFilesWritten, proc: MockProcTruth | undefined, und: MockUndulatorTruth | undefined): MockRunTruth {
  const { r, ctx } = w;
  return {
    generator: 'scs-toolbox writeMockRun',
    proposal: r.proposal, run: r.run, formatVersion: r.formatVersion, seed: r.seed,
    trainIds: ctx.trainIds.map(Number),
    trainsPerSequence: r.trainsPerSequence,
    dsscTrainsPerSequence: r.dsscTrainsPerSequence,
    files: raw.files,
    sources: raw.sources,
    missingTrains: Object.fromEntries([...ctx.missing].map(([s, ids]) => [s, [...ids].map(Number).sort((x, y) => x - y)])),
    scanValuePerTrain: ctx.phys.scan.pointOfTrain.map((p) => ctx.phys.scan.points[p]),
    dssc: {
      detector: 'SCS_DET_DSSC1M-1', modules: r.modules, pixels: r.pixels, framesPerTrain: r.frames,
      hotPixels: Object.fromEntries(r.modules.map((m) => [String(m), moduleHotPixels(ctx, m)])),
    },
    physics: ctx.phys,
    dsscImageBytes: raw.dsscImageBytes,
    dark: ctx.dark,
    ...(proc ? { proc } : {}),
    ...(und ? { undulator: und } : {}),
    ...(ctx.scattering ? { scattering: ctx.scattering.truth } : {}),
  };
}
