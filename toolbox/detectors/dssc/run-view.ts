/**
 * DSSC 1M as a run holds it: 16 module sources (raw `…/DET/<m>CH0:xtdf`,
 * corrected `…/CORR/<m>CH0:output`), each with a stack of frames per train.
 * Here a module becomes a DataArray over (trainId, pulse, x, y), whole or
 * streamed in train chunks, with the per-train frame count checked so that
 * no frame is ever assigned to the wrong train or pulse.
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { IselIndexer } from '../../arrays/dataarray.js';
import { ParameterError, SourceNameError, ToolBoxValueError } from '../../errors.js';
import type { DataCollection } from '../../run/data-collection.js';
import { openRun } from '../../run/open.js';
import { checkOptions, optionNames } from '../../options.js';

export const DSSC_MODULES = 16;
export const dsscRawSource = (module: number): string => `SCS_DET_DSSC1M-1/DET/${module}CH0:xtdf`;
export const dsscCorrSource = (module: number): string => `SCS_DET_DSSC1M-1/CORR/${module}CH0:output`;

export interface DsscModuleSource {
  module: number;
  source: string;
  corrected: boolean;
}

/** The modules this run has, corrected (proc) data preferred over raw. */
export function dsscModules(run: DataCollection): DsscModuleSource[] {
  const sources = new Set(run.instrumentSources);
  const out: DsscModuleSource[] = [];
  for (let m = 0; m < DSSC_MODULES; m++) {
    if (sources.has(dsscCorrSource(m))) out.push({ module: m, source: dsscCorrSource(m), corrected: true });
    else if (sources.has(dsscRawSource(m))) out.push({ module: m, source: dsscRawSource(m), corrected: false });
  }
  return out;
}

/** The module's source; a module the run lacks is a SourceNameError listing the modules present. */
export function moduleSource(run: DataCollection, module: number): DsscModuleSource {
  const present = dsscModules(run);
  const found = present.find((p) => p.module === module);
  if (!found) {
    throw new SourceNameError(`DSSC module ${module} is not in this run; modules present: ${present.map((p) => p.module).join(', ') || '(none)'}`, {
      source: dsscRawSource(module), available: present.map((p) => p.source),
    });
  }
  return found;
}

export interface DsscInfo {
  /** Pixels of one module image [x (slow scan), y (fast scan)]. */
  dims: [number, number];
  framesPerTrain: number;
  totalFrames: number;
  modules: number[];
}

/**
 * load_dssc_info: image size, frames per train and total frames, read from
 * the first module present (the Python toolbox hard-codes module 1, which
 * fails when that module is missing).
 */
export async function loadDsscInfo(runOrProposal: DataCollection | number | string, runNumber?: number | string): Promise<DsscInfo> {
  const run = typeof runOrProposal === 'object' ? runOrProposal : await openRun(runOrProposal, requireRun(runNumber));
  const present = dsscModules(run);
  if (present.length === 0) throw new ToolBoxValueError('this run has no DSSC module sources (SCS_DET_DSSC1M-1/DET/<m>CH0:xtdf or …/CORR/<m>CH0:output)');
  const { source } = present[0];
  const info = run.keyInfo(source, 'image.data');
  const dims = info.shape.slice(-2) as [number, number];
  return { dims, framesPerTrain: framesPerTrain(run, present[0]), totalFrames: info.shape[0], modules: present.map((p) => p.module) };
}

function requireRun(runNumber: number | string | undefined): number | string {
  if (runNumber === undefined) throw new ParameterError('loadDsscInfo(proposal, run) needs the run number', { parameter: 'run', value: runNumber });
  return runNumber;
}

/** The one frame count all trains with data share; a train with another count is an error naming it. */
export function framesPerTrain(run: DataCollection, mod: DsscModuleSource): number {
  const counts = run.dataCounts(mod.source, 'image.data');
  const c = counts.values as Int32Array;
  const ids = counts.coords.trainId.values as BigUint64Array;
  let frames = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] === 0) continue;
    if (frames === 0) frames = c[i];
    else if (c[i] !== frames) {
      throw new ToolBoxValueError(`DSSC module ${mod.module} (${mod.source}) has ${c[i]} frames in train ${ids[i]} but ${frames} in earlier trains; frames per train must be constant`);
    }
  }
  return frames;
}

export interface DsscModuleOptions {
  /** Frames to keep per train (positions along 'pulse'): an index, a list or a slice. */
  pulses?: IselIndexer;
}

/** dsscModuleChunks' options: the module options plus how to stream. */
export interface DsscModuleChunksOptions extends DsscModuleOptions {
  /** Trains per chunk. */
  chunksize?: number;
  /** Reuse one buffer for every chunk (each chunk is then only valid until the next one is read). */
  reuseBuffer?: boolean;
  /** Read the next chunk while this one is used (trainsChunks' prefetch: two chunks in memory, each valid until the next is asked for). */
  prefetch?: boolean;
  /** Memory to read the chunks into (trainsChunks' `buffers`: two with prefetch, else one). */
  buffers?: Uint8Array[];
}
/** dsscModuleFrames' options: how many frames per piece and how to stream them. */
export interface DsscModuleFramesOptions {
  /** Frames per piece (default 32, 4 MiB of raw 128×512 frames). */
  frames?: number;
  /** As dsscModuleChunks'. */
  reuseBuffer?: boolean;
  /** As dsscModuleChunks'. */
  prefetch?: boolean;
  /** As dsscModuleChunks'. */
  buffers?: Uint8Array[];
}
const DSSC_MODULE_OPTIONS = optionNames<DsscModuleOptions>({ pulses: true });
const DSSC_MODULE_FRAMES_OPTIONS = optionNames<DsscModuleFramesOptions>({ frames: true, reuseBuffer: true, prefetch: true, buffers: true });
const DSSC_MODULE_CHUNKS_OPTIONS = optionNames<DsscModuleChunksOptions>({ pulses: true, chunksize: true, reuseBuffer: true, prefetch: true, buffers: true });

/** Frames stacked per entry → (trainId, pulse, x, y); the buffer is reused, not copied. */
function toTrainPulse(frames: DataArray, perTrain: number, module: number): DataArray {
  const n = frames.shape[0];
  const ids = frames.coords.trainId.values as BigUint64Array;
  const trains = n / perTrain;
  const trainId = new BigUint64Array(trains);
  for (let t = 0; t < trains; t++) trainId[t] = ids[t * perTrain];
  const [x, y] = frames.shape.slice(-2);
  return new DataArray(frames.values, {
    dims: ['trainId', 'pulse', 'x', 'y'], shape: [trains, perTrain, x, y], name: `module${module}`,
    coords: { trainId, pulse: ['pulse', Int32Array.from({ length: perTrain }, (_, i) => i)] },
  });
}

function readOptions(mod: DsscModuleSource) {
  // raw frames carry a length-1 axis before the image: drop it while reading
  return mod.corrected ? { extraDims: ['x', 'y'] } : { extraDims: ['x', 'y'], roi: [0, null, null] as [number, null, null] };
}

/** One module's frames for the selected trains as (trainId, pulse, x, y). Reads the whole module: use dsscModuleChunks for long runs. */
export async function getDsscModule(run: DataCollection, module: number, options: DsscModuleOptions = {}): Promise<DataArray> {
  options = checkOptions('getDsscModule', options, DSSC_MODULE_OPTIONS);
  const mod = moduleSource(run, module);
  const perTrain = framesPerTrain(run, mod);
  const da = toTrainPulse(await run.getArray(mod.source, 'image.data', readOptions(mod)), perTrain, module);
  return options.pulses === undefined ? da : da.isel({ pulse: options.pulses });
}

/** The module in chunks of `chunksize` trains, each (trainId, pulse, x, y): memory stays bounded for any run length. */
export function dsscModuleChunks(run: DataCollection, module: number, options: DsscModuleChunksOptions = {}): AsyncGenerator<DataArray> {
  // Checked on the call, not on the first read as the generator body would.
  return moduleChunks(run, module, checkOptions('dsscModuleChunks', options, DSSC_MODULE_CHUNKS_OPTIONS));
}

/**
 * One module's frames for the selected trains in pieces of `frames` frames
 * (the last shorter), as (trainId, x, y): a piece may end inside a train and
 * the next continue it. Every frame's train is its trainId coordinate and
 * its position in that train its `pulse` coordinate. For consumers that take
 * frames one by one and want pieces small enough to stay in the CPU's cache
 * (DSSC binning); buffer contract as dsscModuleChunks'.
 */
export function dsscModuleFrames(run: DataCollection, module: number, options: DsscModuleFramesOptions = {}): AsyncGenerator<DataArray> {
  return moduleFrames(run, module, checkOptions('dsscModuleFrames', options, DSSC_MODULE_FRAMES_OPTIONS));
}

async function* moduleFrames(run: DataCollection, module: number, options: DsscModuleFramesOptions): AsyncGenerator<DataArray> {
  const mod = moduleSource(run, module);
  const perTrain = framesPerTrain(run, mod);
  const { frames = 32, reuseBuffer, prefetch, buffers } = options;
  let seen = 0;
  const key = run.get(mod.source, 'image.data');
  for await (const piece of key.entriesChunks({ ...readOptions(mod), entries: frames, reuseBuffer, prefetch, buffers, progress: `reading ${mod.source} image.data` })) {
    const n = piece.shape[0];
    const pulse = new Int32Array(n);
    for (let i = 0; i < n; i++) pulse[i] = (seen + i) % perTrain;
    seen += n;
    yield new DataArray(piece.values, {
      dims: ['trainId', 'x', 'y'], shape: [...piece.shape], name: `module${module}`,
      coords: { trainId: piece.coords.trainId.values as BigUint64Array, pulse: ['trainId', pulse] },
    });
  }
}

async function* moduleChunks(run: DataCollection, module: number, options: DsscModuleChunksOptions): AsyncGenerator<DataArray> {
  const mod = moduleSource(run, module);
  const perTrain = framesPerTrain(run, mod);
  const { chunksize, reuseBuffer, prefetch, buffers } = options;
  for await (const chunk of run.trainsChunks(mod.source, 'image.data', { ...readOptions(mod), chunksize, reuseBuffer, prefetch, buffers })) {
    if (chunk.shape[0] === 0) continue;
    const da = toTrainPulse(chunk, perTrain, module);
    yield options.pulses === undefined ? da : da.isel({ pulse: options.pulses });
  }
}
