/**
 * The streaming part of DSSC binning: read one module in train chunks and
 * add every planned frame into its (scan bin, pulse bin) sum. This is what a
 * worker thread runs; it needs only the plain arrays of an AccumulateTask,
 * so the task can be posted to a worker as is.
 */
import { ToolBoxError, ToolBoxValueError } from '../../errors.js';
import { dsscModuleChunks } from '../../detectors/dssc/run-view.js';
import type { DataCollection } from '../../run/data-collection.js';
import { runByFiles } from '../../run/open.js';
import { byId } from '../../run/train-select.js';
import { positiveInt } from './binning-plan.js';
import { type FrameData, accumulateFrames } from './kernel.js';

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

/** The trains read at a time when two reads share `chunksize` trains of memory (a positive integer, else a ParameterError). */
export function halfChunk(chunksize: number): number {
  return Math.ceil(positiveInt('chunksize', chunksize) / 2);
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
  const sums = new Float64Array(task.nScan * nPulse * pixels);
  if (task.trainIds.length === 0) return sums;
  const row = new Map<bigint, number>();
  task.trainIds.forEach((t, i) => row.set(t, i));
  const opened = options.run ? null : await runByFiles(task.files, { incSuspectTrains: task.incSuspectTrains });
  const run = (options.run ?? opened!).selectTrains(byId(Array.from(task.trainIds)));
  try {
    // Read in halves of `chunksize` into two alternating buffers, the next half read while this one
    // is binned: `chunksize` trains in memory whatever the run length, as one reused buffer held
    // before, and no fresh chunk is page-faulted in (bench/dssc-binning.ts).
    for await (const chunk of dsscModuleChunks(run, task.module, { chunksize: halfChunk(task.chunksize), prefetch: true })) {
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
      for (const [g, { offsets, weights }] of groups) accumulateFrames(sums, g * pixels, src, offsets, weights, offsets.length, pixels);
      onFrames(added);
    }
  } finally {
    opened?.close();
  }
  return sums;
}
