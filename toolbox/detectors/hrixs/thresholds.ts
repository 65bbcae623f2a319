/**
 * What centroiding says about its thresholds (docs/hrixs.md, Bad input): a
 * threshold exceeded by more than EVERYWHERE of the frame's windows finds
 * "photons everywhere" (a ToolBoxValueError: the result would be noise);
 * no photon in any frame is a ToolBoxWarning naming the threshold and the
 * largest value seen.
 */
import { ToolBoxValueError } from '../../errors.js';
import type { FrameStats } from './kernels.js';

/** Fraction of windows (2 × 2 sums, or candidate pixels) above the threshold that means photons everywhere. */
export const EVERYWHERE = 0.2;

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : String(v));

export class ThresholdReport {
  private hits = 0;
  private frames = 0;
  private maxValue = -Infinity;
  private threshold = NaN;

  constructor(private readonly method: 'manual' | 'auto', private readonly describe: string) {}

  add(frame: number, s: FrameStats, hits: number): void {
    this.frames++;
    this.hits += hits;
    if (s.maxValue > this.maxValue) { this.maxValue = s.maxValue; this.threshold = s.threshold; }
    if (s.windows > 0 && s.above / s.windows > EVERYWHERE) {
      const what = this.method === 'manual' ? '2 × 2 sums above the frame mean' : 'pixels above the frame mean';
      throw new ToolBoxValueError(
        `centroiding finds photons everywhere in frame ${frame}: ${s.above} of ${s.windows} ${what} (${(100 * s.above / s.windows).toFixed(1)}%) exceed the threshold ` +
        `${f1(s.threshold)} ADU (${this.describe}; frame mean ${f1(s.mean)}${Number.isNaN(s.std) ? '' : `, std ${f1(s.std)}`} ADU); raise the threshold, or load a dark`, { val: s.threshold });
    }
  }

  /** Warn when no frame had a photon. */
  finish(): void {
    if (this.frames === 0 || this.hits > 0) return;
    const what = this.method === 'manual' ? '2 × 2 sum' : 'pixel';
    process.emitWarning(
      `centroiding found no photon in ${this.frames} frame${this.frames > 1 ? 's' : ''}: the threshold is ${f1(this.threshold)} ADU (${this.describe}) and the largest ${what} above the frame mean was ${f1(this.maxValue)} ADU`,
      'ToolBoxWarning');
  }
}
