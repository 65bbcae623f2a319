/**
 * Centroiding a range of frames into per-frame spectra: the loop the hRIXS
 * class runs in its own thread and each MaranaX worker runs on its share
 * (docs/hrixs.md, Parallel centroiding). Frames and outputs may live in
 * SharedArrayBuffers; nothing is allocated per frame.
 */
import { type Crop, type FrameStats, HitList, type KernelParams, centroidOneImage, centroidTwoFrame, cropFrame, darkStats, histogramHits, TwoScratch } from './kernels.js';

/** Per-frame numbers kept next to the spectra: FrameStats' and the hits. */
export const STATS = 7;

export interface CentroidTask {
  /** Frames `first … first + count − 1` of the whole series are values[(k − first) · fx · fy …]. */
  values: ArrayLike<number>;
  first: number;
  /** The frames to do (indices in the whole series). */
  start: number;
  end: number;
  /** Rows of a full frame (the crop holds its row length fy). */
  fx: number;
  crop: Crop;
  dark: Float64Array | null;
  params: KernelParams;
  method: 'manual' | 'auto';
  /** Incident energy per frame (method 'auto'). */
  energies: Float64Array | null;
  bins: number;
  /** Spectra (frames × bins, whole series) and stats (frames × STATS). */
  spectra: Float64Array;
  stats: Float64Array;
}

export function statsOf(stats: Float64Array, frame: number): { s: FrameStats; hits: number } {
  const o = frame * STATS;
  return { s: { mean: stats[o], std: stats[o + 1], threshold: stats[o + 2], above: stats[o + 3], windows: stats[o + 4], maxValue: stats[o + 5] }, hits: stats[o + 6] };
}

/** Run the task's frames; `onFrames(k)` after every few frames (progress, interruption). */
export function centroidFrames(t: CentroidTask, onFrames?: (k: number) => void): void {
  const { crop: c } = t;
  const manual = t.method === 'manual';
  // centroidTwo reads the frames directly; centroidOne works on the cropped, dark-subtracted image
  const img = new Float64Array(manual ? c.nx * c.ny : 0), s2 = new Float64Array(manual ? (c.nx - 1) * (c.ny - 1) : 0), hits = new HitList();
  const ds = darkStats(t.dark), scratch = new TwoScratch();
  const fxfy = t.fx * c.fy;
  let since = 0;
  for (let k = t.start; k < t.end; k++) {
    hits.clear();
    const at = (k - t.first) * fxfy;
    let s: FrameStats;
    if (manual) {
      const { mean, std } = cropFrame(t.values, at, c, t.dark, img);
      s = centroidOneImage(img, c, mean, std, t.params, s2, hits);
    } else {
      s = centroidTwoFrame(t.values, at, c, t.dark, ds, t.energies![k], t.params, hits, scratch);
    }
    t.spectra.fill(0, k * t.bins, (k + 1) * t.bins);
    histogramHits(hits, c.ny, t.bins, t.spectra, k * t.bins);
    t.stats.set([s.mean, s.std, s.threshold, s.above, s.windows, s.maxValue, hits.length], k * STATS);
    if (onFrames && ++since === 4) { onFrames(since); since = 0; }
  }
  if (onFrames && since) onFrames(since);
}
