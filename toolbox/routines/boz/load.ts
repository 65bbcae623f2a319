/**
 * load_dssc_module: the raw 9-bit frames of one DSSC module as
 * ModuleFrames, streamed in train chunks (Python returns a dask array of
 * the whole module and persists it; here nothing is read until a routine
 * asks for chunks, and `persist` holds the uint16 raw values, not floats).
 */
import { moduleSource, dsscModules, framesPerTrain } from '../../detectors/dssc/run-view.js';
import { ParameterError, SourceNameError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataCollection } from '../../run/data-collection.js';
import { openRun } from '../../run/open.js';
import type { TrainSelection } from '../../run/train-select.js';
import { ADC_LEVELS, MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames, type RawChunk } from './types.js';

export interface LoadDsscModuleOptions {
  /** Module number (default 15, as Python). */
  moduleNB?: number;
  /** Trains to load: positions, a slice, or byId/byIndex (Python: subset=slice(None), a positional train selection). */
  subset?: TrainSelection;
  /** Drop every second frame, the intra-darks (default true). */
  dropIntraDarks?: boolean;
  /** Read the frames into memory now (uint16: 128 KiB per frame) instead of streaming them from the files. Default false. */
  persist?: boolean;
  /** With persist: load only the first trains that fit in this many GB (10⁹ bytes), as Python's data_size_Gb. */
  dataSizeGb?: number;
}
const LOAD_OPTIONS = optionNames<LoadDsscModuleOptions>({ moduleNB: true, subset: true, dropIntraDarks: true, persist: true, dataSizeGb: true });

/** What loadDsscModule returns (Python: the tuple (arr, tid)). */
export interface LoadedModule { arr: ModuleFrames; tid: BigUint64Array }

/** Chunks of about 16 MiB of kept frames: larger chunks read no faster, and h5wasm keeps its heap at the largest read. */
export function defaultChunkTrains(pulses: number): number {
  return Math.max(1, Math.floor((16 * 2 ** 20) / (Math.max(1, pulses) * MODULE_PIXELS * 2)));
}

/**
 * Load one module of run `runNB` of proposal `proposalNB` (Python:
 * load_dssc_module). Raw values must be 9-bit: a value above 511 is an
 * error naming the run, module and train when its chunk is read.
 */
export async function loadDsscModule(proposalNB: number | string, runNB: number | string, options: LoadDsscModuleOptions = {}): Promise<LoadedModule> {
  checkOptions('loadDsscModule', options, LOAD_OPTIONS);
  const module = options.moduleNB ?? 15;
  if (!Number.isInteger(module) || module < 0 || module > 15) throw new ParameterError(`loadDsscModule: moduleNB must be a DSSC module 0-15, got ${module}`, { parameter: 'moduleNB', value: module });
  let run = await openRun(proposalNB, runNB);
  if (options.subset !== undefined) run = run.selectTrains(options.subset);
  const where = `proposal ${proposalNB} run ${runNB}`;
  const mod = sourceOf(run, module, where);
  if (mod.corrected) throw new ToolBoxValueError(`${where}: DSSC module ${module} is corrected (${mod.source}); BOZ needs the raw 9-bit frames`);
  const frames = framesPerTrain(run, mod);
  const drop = options.dropIntraDarks ?? true;
  if (drop && frames % 2 !== 0) throw new ToolBoxValueError(`${where}: DSSC module ${module} has ${frames} frames per train, an odd count: cannot drop every second frame (the intra-darks)`);
  const counts = run.dataCounts(mod.source, 'image.data');
  const present = counts.values as Int32Array;
  const ids = counts.coords.trainId.values as BigUint64Array;
  const tid = BigUint64Array.from(ids.filter((_, i) => present[i] > 0));
  const arr = streamedModule(run, mod.source, { proposal: Number(proposalNB), run: Number(runNB), module, tid, frames, drop, where });
  if (!options.persist) return { arr, tid };
  return persistModule(arr, options.dataSizeGb);
}

function sourceOf(run: DataCollection, module: number, where: string): ReturnType<typeof moduleSource> {
  try {
    return moduleSource(run, module);
  } catch (err) {
    if (!(err instanceof SourceNameError)) throw err;
    const have = dsscModules(run).map((m) => m.module);
    throw new SourceNameError(`${where} has no DSSC module ${module}; modules present: ${have.join(', ') || '(none)'}`, { source: err.source, available: err.available, cause: err });
  }
}

interface StreamSpec { proposal: number; run: number; module: number; tid: BigUint64Array; frames: number; drop: boolean; where: string }

function streamedModule(run: DataCollection, source: string, s: StreamSpec): ModuleFrames {
  const pulses = s.drop ? s.frames / 2 : s.frames;
  return {
    proposal: s.proposal, run: s.run, module: s.module, trainIds: s.tid, pulses,
    chunks: (options = {}) => readChunks(run, source, s, pulses, options.trains ?? defaultChunkTrains(pulses), options.signal),
  };
}

async function* readChunks(run: DataCollection, source: string, s: StreamSpec, pulses: number, trains: number, signal?: AbortSignal): AsyncGenerator<RawChunk> {
  if (!Number.isInteger(trains) || trains < 1) throw new ParameterError(`chunks: trains must be a positive integer, got ${trains}`, { parameter: 'trains', value: trains });
  let firstTrain = 0;
  const read = run.trainsChunks(source, 'image.data', { roi: [0, null, null], extraDims: ['x', 'y'], chunksize: trains, reuseBuffer: true, progress: false });
  for await (const chunk of read) {
    signal?.throwIfAborted();
    const n = chunk.shape[0] / s.frames;
    if (n === 0) continue;
    if (chunk.shape[1] !== MODULE_ROWS || chunk.shape[2] !== MODULE_COLS) {
      throw new ToolBoxValueError(`${s.where}: DSSC module ${s.module} frames are ${chunk.shape.slice(1).join('×')} pixels; BOZ needs whole ${MODULE_ROWS}×${MODULE_COLS} modules`);
    }
    const raw = chunk.values as Uint16Array;
    const data = new Uint16Array(n * pulses * MODULE_PIXELS);
    for (let f = 0, out = 0; f < n * s.frames; f++) {
      if (s.drop && f % 2 === 1) continue;
      data.set(raw.subarray(f * MODULE_PIXELS, (f + 1) * MODULE_PIXELS), out * MODULE_PIXELS);
      out++;
    }
    checkNineBit(data, s, firstTrain, pulses);
    yield { firstTrain, trains: n, pulses, data };
    firstTrain += n;
  }
}

function checkNineBit(data: Uint16Array, s: StreamSpec, firstTrain: number, pulses: number): void {
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= ADC_LEVELS) {
      const t = firstTrain + Math.floor(i / (pulses * MODULE_PIXELS));
      throw new ToolBoxValueError(`${s.where}: DSSC module ${s.module} holds raw value ${data[i]} in train ${s.tid[t]}; BOZ needs 9-bit raw values 0-${ADC_LEVELS - 1} (is this run corrected or not DSSC raw data?)`);
    }
  }
}

/** Read every chunk (or the trains fitting dataSizeGb) into memory; the result streams from there. */
async function persistModule(arr: ModuleFrames, dataSizeGb: number | undefined): Promise<LoadedModule> {
  const perTrain = arr.pulses * MODULE_PIXELS * 2;
  if (dataSizeGb !== undefined && !(dataSizeGb > 0)) throw new ParameterError(`loadDsscModule: dataSizeGb must be > 0, got ${dataSizeGb}`, { parameter: 'dataSizeGb', value: dataSizeGb });
  const keep = Math.min(arr.trainIds.length, dataSizeGb === undefined ? Infinity : Math.floor((dataSizeGb * 1e9) / perTrain));
  if (keep < 1) throw new ToolBoxValueError(`loadDsscModule: dataSizeGb ${dataSizeGb} holds no whole train (one train is ${perTrain} bytes)`);
  const all = new Uint16Array(keep * arr.pulses * MODULE_PIXELS);
  for await (const c of arr.chunks()) {
    if (c.firstTrain >= keep) break;
    const n = Math.min(c.trains, keep - c.firstTrain);
    all.set(c.data.subarray(0, n * arr.pulses * MODULE_PIXELS), c.firstTrain * arr.pulses * MODULE_PIXELS);
  }
  const tid = arr.trainIds.slice(0, keep);
  return { arr: inMemoryModule({ ...arr, trainIds: tid }, all), tid };
}

/** ModuleFrames over frames held in memory (train, pulse, row, column), e.g. persisted or made by a test. */
export function inMemoryModule(meta: { proposal: number; run: number; module: number; trainIds: BigUint64Array; pulses: number }, data: Uint16Array): ModuleFrames {
  const frame = meta.pulses * MODULE_PIXELS;
  if (data.length !== meta.trainIds.length * frame) {
    throw new ToolBoxValueError(`module frames: ${data.length} values are not ${meta.trainIds.length} trains × ${meta.pulses} pulses × ${MODULE_ROWS}×${MODULE_COLS} pixels`);
  }
  const bad = data.findIndex((v) => v >= ADC_LEVELS);
  if (bad >= 0) throw new ToolBoxValueError(`module frames of run ${meta.run} module ${meta.module}: raw value ${data[bad]} at train ${meta.trainIds[Math.floor(bad / frame)]}; raw values must be 9-bit (0-${ADC_LEVELS - 1})`);
  return {
    proposal: meta.proposal, run: meta.run, module: meta.module, trainIds: meta.trainIds, pulses: meta.pulses,
    chunks: (options = {}) => memoryChunks(data, meta.trainIds.length, frame, meta.pulses, options.trains ?? defaultChunkTrains(meta.pulses), options.signal),
  };
}

async function* memoryChunks(data: Uint16Array, trains: number, frame: number, pulses: number, per: number, signal?: AbortSignal): AsyncGenerator<RawChunk> {
  if (!Number.isInteger(per) || per < 1) throw new ParameterError(`chunks: trains must be a positive integer, got ${per}`, { parameter: 'trains', value: per });
  for (let a = 0; a < trains; a += per) {
    signal?.throwIfAborted();
    const n = Math.min(per, trains - a);
    yield { firstTrain: a, trains: n, pulses, data: data.subarray(a * frame, (a + n) * frame) };
  }
}
