/**
 * One share of a stack integration, the same in a worker thread and in the
 * calling thread: frames [start, end) through the per-frame kernels (four
 * frames per matrix pass when they need only the plain dot), results written
 * at each frame's offset in the (shared) output arrays.
 */
import type { BinArrays } from './results.js';
import { type FrameParams, type FrameSums, type NumericArray, type PreparedMatrix, dotPlain4, finishFrame, frameSums, integrateFrame, isPlain } from './csr-dot.js';

/** Per-frame outputs, each nFrames × rows (SharedArrayBuffer-backed when workers write them). */
export type StackOutputs = BinArrays;

export interface StackTask {
  matrix: PreparedMatrix;
  params: FrameParams;
  frames: NumericArray;
  pixels: number;
  start: number;
  end: number;
  withSigma: boolean;
  empty: number;
  out: StackOutputs;
  /**
   * When the frames are being copied into shared memory while workers run:
   * ready[slot] counts the frames of this task's share already copied.
   */
  ready?: Int32Array;
  slot?: number;
}

/** Block until the first `n` frames of the task's share are in shared memory. */
function awaitFrames(t: StackTask, n: number): void {
  if (!t.ready) return;
  const slot = t.slot ?? 0;
  for (let have = Atomics.load(t.ready, slot); have < n; have = Atomics.load(t.ready, slot)) Atomics.wait(t.ready, slot, have, 1000);
}

/** How many frames between progress reports. */
const REPORT_EVERY = 4;

function store(t: StackTask, f: number, sums: FrameSums, intensity: Float64Array, sigma: Float64Array): void {
  finishFrame(sums, t.withSigma, t.empty, intensity, sigma);
  const o = f * t.matrix.rows;
  t.out.intensity.set(intensity, o);
  t.out.sigma.set(sigma, o);
  t.out.count.set(sums.count, o);
  t.out.sumSignal.set(sums.signal, o);
  t.out.sumNormalization.set(sums.normalization, o);
  if (t.withSigma) t.out.sumVariance.set(sums.variance, o);
}

/** Frames [start, end) of the task; plain frames four at a time (one matrix pass for four frames). */
export function integrateFrames(t: StackTask, onProgress?: (frames: number) => void): void {
  const rows = t.matrix.rows;
  const sums = [frameSums(rows), frameSums(rows), frameSums(rows), frameSums(rows)];
  const intensity = new Float64Array(rows);
  const sigma = new Float64Array(rows);
  const frame = (f: number) => t.frames.subarray(f * t.pixels, (f + 1) * t.pixels) as NumericArray;
  const batch = isPlain(t.params) ? 4 : 1;
  let pending = 0;
  for (let f = t.start; f < t.end;) {
    const n = Math.min(batch, t.end - f) === 4 ? 4 : 1;
    awaitFrames(t, f + n - t.start);
    if (n === 4) {
      dotPlain4(t.matrix, [frame(f), frame(f + 1), frame(f + 2), frame(f + 3)], sums);
      for (let k = 0; k < 4; k++) { sums[k].variance.fill(0); store(t, f + k, sums[k], intensity, sigma); }
    } else {
      integrateFrame(t.matrix, frame(f), t.params, sums[0]);
      store(t, f, sums[0], intensity, sigma);
    }
    f += n;
    pending += n;
    if (pending >= REPORT_EVERY) { onProgress?.(pending); pending = 0; }
  }
  if (pending) onProgress?.(pending);
}
