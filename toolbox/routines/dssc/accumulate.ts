/**
 * The streaming part of DSSC binning: read one module in train chunks and
 * add every planned frame into its (scan bin, pulse bin) sum. This is what a
 * worker thread runs; it needs only the plain arrays of an AccumulateTask,
 * so the task can be posted to a worker as is.
 */
import { ToolBoxError, ToolBoxValueError } from '../../errors.js';
import { itemSize } from '../../arrays/dtype.js';
import { dsscModuleFrames, framesPerTrain, moduleSource } from '../../detectors/dssc/run-view.js';
import type { DataCollection } from '../../run/data-collection.js';
import { runByFiles } from '../../run/open.js';
import { byId } from '../../run/train-select.js';
import { positiveInt } from './binning-plan.js';
import type { FrameData } from './kernel.js';
import { FrameAccumulator } from './kernel-simd.js';

export interface AccumulateTask {
  /** Files holding the module's source, and how the run was opened. */
  files: string[];
  incSuspectTrains: boolean;
  module: number;
  chunksize: number;
  /** The trains of this task, ascending, with their scan bins and trains × frames weights (NaN: skip). */
  trainIds: BigUint64Array;
  scanBin: Int32Array;
  weights: Float64Array;
  frames: number;
  pulseBin: Int32Array;
  nScan: number;
  nPulse: number;
  pixels: number;
}

export const readTuning = {
  /**
   * Bytes read at a time at most (one train at least) where whole trains are
   * read (dark runs). Small reads fault in little fresh memory (a fresh
   * buffer costs more to fault in than to read into) and the first read,
   * which nothing overlaps, is short.
   */
  readBytes: 16 * 2 ** 20,
  /**
   * Bytes of frames binned at a time. Two such pieces (the one binned, the
   * one being read) and the sums of a few bins stay in the CPU's last-level
   * cache (32 MiB here): the kernel reads the frames from the cache the read
   * has just filled rather than from memory, which the read uses too.
   */
  pieceBytes: 4 * 2 ** 20,
};

/**
 * Trains per whole-train read of a module (dark runs): half of `chunksize`,
 * as two reads share its memory with prefetch; at most readTuning.readBytes;
 * one train at least. `chunksize` must be a positive integer, else a ParameterError.
 */
export function trainsPerRead(run: DataCollection, module: number, chunksize: number): number {
  const half = Math.ceil(positiveInt('chunksize', chunksize) / 2);
  const { perTrain } = moduleSizes(run, module);
  return Math.max(1, Math.min(half, Math.floor(readTuning.readBytes / perTrain)));
}

/**
 * How processData reads a module: frames per piece (readTuning.pieceBytes,
 * at most half of `chunksize` trains' frames, one frame at least) and the
 * bytes of such a piece. `chunksize` must be a positive integer, else a ParameterError.
 */
export function framePlan(run: DataCollection, module: number, chunksize: number): { frames: number; bytes: number } {
  const half = Math.ceil(positiveInt('chunksize', chunksize) / 2);
  const { perEntry, perTrain } = moduleSizes(run, module);
  const frames = Math.max(1, Math.min(Math.floor((half * perTrain) / perEntry), Math.floor(readTuning.pieceBytes / perEntry)));
  return { frames, bytes: frames * perEntry };
}

/** Bytes of one frame of the module and of one train's frames (the mean over trains with data, rounded up). */
function moduleSizes(run: DataCollection, module: number): { perEntry: number; perTrain: number } {
  const kd = run.get(moduleSource(run, module).source, 'image.data');
  const perEntry = Math.max(1, kd.entryShape.reduce((a, b) => a * b, 1) * itemSize(kd.dtype));
  return { perEntry, perTrain: Math.max(1, Math.ceil(kd.shape[0] / Math.max(1, kd.trainsWithData)) * perEntry) };
}

/** One (scan bin, pulse bin) group of a piece: where its frames start and their weights. */
interface Group { offsets: number[]; weights: number[] }

/**
 * Σ weight·frame per (scan bin, pulse bin, pixel) over the task's trains, in
 * float64. `onFrames` hears how many frames each piece added; `aborted` is
 * polled between pieces.
 */
export async function accumulateModule(task: AccumulateTask, onFrames: (frames: number) => void = () => {}, options: { run?: DataCollection; aborted?: () => boolean } = {}): Promise<Float64Array> {
  const { frames, nPulse, pixels } = task;
  if (task.trainIds.length === 0) return new Float64Array(task.nScan * nPulse * pixels);
  const row = new Map<bigint, number>();
  task.trainIds.forEach((t, i) => row.set(t, i));
  const opened = options.run ? null : await runByFiles(task.files, { incSuspectTrains: task.incSuspectTrains });
  const run = (options.run ?? opened!).selectTrains(byId(Array.from(task.trainIds)));
  try {
    const perTrain = framesPerTrain(run, moduleSource(run, task.module));
    if (perTrain > 0 && perTrain < frames) throw new ToolBoxValueError(`DSSC module ${task.module} has ${perTrain} frames per train, ${frames} were planned`);
    // Two alternating buffers of a few MiB, the next piece read while this one is binned; both in
    // the SIMD kernel's memory with the sums, so frames are read where it bins them.
    const plan = framePlan(run, task.module, task.chunksize);
    const acc = FrameAccumulator.create(task.nScan * nPulse * pixels, plan.bytes, 2);
    const buffers = acc.buffers.length === 2 ? acc.buffers : undefined;
    for await (const piece of dsscModuleFrames(run, task.module, { frames: plan.frames, prefetch: true, buffers })) {
      if (options.aborted?.()) throw new ToolBoxError(`binning of DSSC module ${task.module} aborted`);
      const [n, x, y] = piece.shape;
      if (x * y !== pixels) throw new ToolBoxValueError(`DSSC module ${task.module} has ${x}×${y} pixels in a chunk, ${pixels} were planned`);
      const groups = pieceGroups(task, row, piece.coords.trainId.values as BigUint64Array, piece.coords.pulse.values as Int32Array, n);
      const src = piece.values as FrameData;
      let added = 0;
      for (const [g, { offsets, weights }] of groups) {
        acc.accumulate(g * pixels, src, offsets, weights, offsets.length, pixels);
        added += offsets.length;
      }
      onFrames(added);
    }
    return acc.result();
  } finally {
    opened?.close();
  }
}

/** The piece's frames by (scan bin, pulse bin), in frame order; frames of trains not in the task, past `frames` or weighted NaN are left out. */
function pieceGroups(task: AccumulateTask, row: Map<bigint, number>, ids: BigUint64Array, pulse: Int32Array, n: number): Map<number, Group> {
  const { frames, nPulse, pixels } = task;
  const groups = new Map<number, Group>();
  let lastId: bigint | null = null;
  let r: number | undefined;
  for (let i = 0; i < n; i++) {
    if (ids[i] !== lastId) r = row.get(lastId = ids[i]);
    const f = pulse[i];
    if (r === undefined || f >= frames) continue;
    const w = task.weights[r * frames + f];
    if (Number.isNaN(w)) continue;
    const g = task.scanBin[r] * nPulse + task.pulseBin[f];
    let group = groups.get(g);
    if (!group) groups.set(g, group = { offsets: [], weights: [] });
    group.offsets.push(i * pixels);
    group.weights.push(w);
  }
  return groups;
}
