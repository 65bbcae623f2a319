/**
 * The streaming part of DSSC binning: read one module in train chunks and
 * add every planned frame into its (scan bin, pulse bin) sum. This is what a
 * worker thread runs; it needs only the plain arrays of an AccumulateTask,
 * so the task can be posted to a worker as is.
 */
import { ToolBoxError, ToolBoxValueError } from '../../errors.js';
import { itemSize } from '../../arrays/dtype.js';
import { dsscModuleChunks, moduleSource } from '../../detectors/dssc/run-view.js';
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
   * Bytes read at a time at most (one train at least). Small reads fault in
   * little fresh memory (a fresh buffer costs more to fault in than to read
   * into) and the first read, which nothing overlaps, is short.
   */
  readBytes: 16 * 2 ** 20,
};

/**
 * How processData reads a module: trains per read (half of `chunksize`, as
 * two reads share its memory with prefetch; at most readTuning.readBytes;
 * one train at least) and the bytes such a read needs. `chunksize` must be a
 * positive integer, else a ParameterError.
 */
export function readPlan(run: DataCollection, module: number, chunksize: number): { trains: number; bytes: number } {
  const half = Math.ceil(positiveInt('chunksize', chunksize) / 2);
  const kd = run.get(moduleSource(run, module).source, 'image.data');
  const perEntry = kd.entryShape.reduce((a, b) => a * b, 1) * itemSize(kd.dtype);
  const perTrain = Math.ceil(kd.shape[0] / Math.max(1, kd.trainsWithData)) * perEntry;
  const trains = Math.max(1, Math.min(half, Math.floor(readTuning.readBytes / Math.max(1, perTrain))));
  return { trains, bytes: trains * perTrain };
}

/** Trains per read of the module's frames (readPlan's). */
export function trainsPerRead(run: DataCollection, module: number, chunksize: number): number {
  return readPlan(run, module, chunksize).trains;
}

/** One (scan bin, pulse bin) group of a chunk: where its frames start and their weights. */
interface Group { offsets: number[]; weights: number[] }

/**
 * Σ weight·frame per (scan bin, pulse bin, pixel) over the task's trains, in
 * float64. `onFrames` hears how many frames each chunk added; `aborted` is
 * polled between chunks.
 */
export async function accumulateModule(task: AccumulateTask, onFrames: (frames: number) => void = () => {}, options: { run?: DataCollection; aborted?: () => boolean } = {}): Promise<Float64Array> {
  const { frames, nPulse, pixels } = task;
  if (task.trainIds.length === 0) return new Float64Array(task.nScan * nPulse * pixels);
  const row = new Map<bigint, number>();
  task.trainIds.forEach((t, i) => row.set(t, i));
  const opened = options.run ? null : await runByFiles(task.files, { incSuspectTrains: task.incSuspectTrains });
  const run = (options.run ?? opened!).selectTrains(byId(Array.from(task.trainIds)));
  try {
    // Two alternating buffers, the next read while this one is binned: at most `chunksize` trains in
    // memory whatever the run length, and after the first two reads no fresh memory is faulted in.
    const plan = readPlan(run, task.module, task.chunksize);
    // the sums and both read buffers in the SIMD kernel's memory: frames are read where it bins them
    const acc = FrameAccumulator.create(task.nScan * nPulse * pixels, plan.bytes, 2);
    const buffers = acc.buffers.length === 2 ? acc.buffers : undefined;
    for await (const chunk of dsscModuleChunks(run, task.module, { chunksize: plan.trains, prefetch: true, buffers })) {
      if (options.aborted?.()) throw new ToolBoxError(`binning of DSSC module ${task.module} aborted`);
      const [nT, perTrain, x, y] = chunk.shape;
      if (x * y !== pixels) throw new ToolBoxValueError(`DSSC module ${task.module} has ${x}×${y} pixels in a chunk, ${pixels} were planned`);
      if (perTrain < frames) throw new ToolBoxValueError(`DSSC module ${task.module} has ${perTrain} frames per train, ${frames} were planned`);
      const ids = chunk.coords.trainId.values as BigUint64Array;
      const groups = new Map<number, Group>();
      let added = 0;
      for (let i = 0; i < nT; i++) {
        const r = row.get(ids[i]);
        if (r === undefined) continue;
        const base = task.scanBin[r] * nPulse;
        for (let f = 0; f < frames; f++) {
          const w = task.weights[r * frames + f];
          if (Number.isNaN(w)) continue;
          const g = base + task.pulseBin[f];
          let group = groups.get(g);
          if (!group) groups.set(g, group = { offsets: [], weights: [] });
          group.offsets.push((i * perTrain + f) * pixels);
          group.weights.push(w);
          added++;
        }
      }
      const src = chunk.values as FrameData;
      for (const [g, { offsets, weights }] of groups) acc.accumulate(g * pixels, src, offsets, weights, offsets.length, pixels);
      onFrames(added);
    }
    return acc.result();
  } finally {
    opened?.close();
  }
}
