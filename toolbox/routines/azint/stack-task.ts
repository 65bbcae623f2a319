/**
 * One share of a stack integration, the same in a worker thread and in the
 * calling thread: frames [start, end) through the per-frame kernel, results
 * written at each frame's offset in the (shared) output arrays.
 */
import { type FrameParams, type NumericArray, type PreparedMatrix, finishFrame, frameSums, integrateFrame } from './csr-dot.js';

/** Per-frame outputs, each nFrames × rows (SharedArrayBuffer-backed when workers write them). */
export interface StackOutputs {
  intensity: Float64Array;
  sigma: Float64Array;
  count: Float64Array;
  sumSignal: Float64Array;
  sumNormalization: Float64Array;
  sumVariance: Float64Array;
}

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
}

/** How many frames between progress reports. */
const REPORT_EVERY = 4;

export function integrateFrames(t: StackTask, onProgress?: (frames: number) => void): void {
  const rows = t.matrix.rows;
  const sums = frameSums(rows);
  const intensity = new Float64Array(rows);
  const sigma = new Float64Array(rows);
  let pending = 0;
  for (let f = t.start; f < t.end; f++) {
    const frame = t.frames.subarray(f * t.pixels, (f + 1) * t.pixels) as NumericArray;
    integrateFrame(t.matrix, frame, t.params, sums);
    finishFrame(sums, t.withSigma, t.empty, intensity, sigma);
    const o = f * rows;
    t.out.intensity.set(intensity, o);
    t.out.sigma.set(sigma, o);
    t.out.count.set(sums.count, o);
    t.out.sumSignal.set(sums.signal, o);
    t.out.sumNormalization.set(sums.normalization, o);
    if (t.withSigma) t.out.sumVariance.set(sums.variance, o);
    if (++pending === REPORT_EVERY) { onProgress?.(pending); pending = 0; }
  }
  if (pending) onProgress?.(pending);
}
