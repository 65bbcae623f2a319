/**
 * The streaming part of FastCCD binning, what one worker runs: read the
 * frames of its trains, rows [row0, row1) only, a chunk at a time, and add
 * gain·frame to the sums of the train's (scan bin, pumped | unpumped). The
 * task is plain data so it can be posted to a worker thread as is.
 */
import { ToolBoxError } from '../../errors.js';
import { FASTCCD_KEY, FASTCCD_SOURCE } from '../../mnemonics/fastccd.js';
import { runByFiles } from '../../run/open.js';
import { byId } from '../../run/train-select.js';

/** Where a train's frame goes: 0 pumped, 1 unpumped, 2 both (a dark run). */
export const PUMPED = 0, UNPUMPED = 1, BOTH = 2;

export interface FccdTask {
  files: string[];
  incSuspectTrains: boolean;
  /** Trains to bin, ascending, with their scan bin and state (PUMPED, UNPUMPED, BOTH). */
  trainIds: BigUint64Array;
  bin: Int32Array;
  state: Int8Array;
  nBins: number;
  /** The band of rows of this task, and the frame's columns. */
  row0: number;
  row1: number;
  columns: number;
  /** Gain of the band's pixels (row-major), or null for none. */
  gain: Float64Array | null;
  /** Trains per read. */
  chunksize: number;
}

/** sums[(bin·2 + state)·pixels + pixel] += gain·frame over the task's trains; band pixels = (row1 − row0)·columns. */
export function addFrame(sums: Float64Array, offset: number, frame: ArrayLike<number>, from: number, pixels: number, gain: Float64Array | null): void {
  if (gain) for (let k = 0; k < pixels; k++) sums[offset + k] += gain[k] * frame[from + k];
  else for (let k = 0; k < pixels; k++) sums[offset + k] += frame[from + k];
}

/**
 * Σ gain·frame per (scan bin, state, band pixel), float64. `onFrames` hears
 * the frames each chunk added; `aborted` is polled between chunks.
 */
export async function accumulateBand(task: FccdTask, onFrames: (frames: number) => void = () => {}, aborted: () => boolean = () => false): Promise<Float64Array> {
  const pixels = (task.row1 - task.row0) * task.columns;
  const sums = new Float64Array(task.nBins * 2 * pixels);
  if (task.trainIds.length === 0 || pixels === 0) return sums;
  const row = new Map<bigint, number>();
  task.trainIds.forEach((t, i) => row.set(t, i));
  const run = (await runByFiles(task.files, { incSuspectTrains: task.incSuspectTrains })).selectTrains(byId(Array.from(task.trainIds)));
  try {
    const kd = run.get(FASTCCD_SOURCE, FASTCCD_KEY);
    const roi: [number, number][] = [[task.row0, task.row1], [0, task.columns]];
    for await (const chunk of kd.trainsChunks({ chunksize: task.chunksize, roi, prefetch: true, progress: false })) {
      if (aborted()) throw new ToolBoxError('FastCCD binning aborted');
      const ids = chunk.coords.trainId.values as BigUint64Array;
      const data = chunk.values as ArrayLike<number>;
      let added = 0;
      for (let i = 0; i < ids.length; i++) {
        const r = row.get(ids[i]);
        if (r === undefined) continue;
        const s = task.state[r], base = task.bin[r] * 2;
        if (s !== UNPUMPED) addFrame(sums, (base + PUMPED) * pixels, data, i * pixels, pixels, task.gain);
        if (s !== PUMPED) addFrame(sums, (base + UNPUMPED) * pixels, data, i * pixels, pixels, task.gain);
        added++;
      }
      onFrames(added);
    }
  } finally {
    run.close();
  }
  return sums;
}
