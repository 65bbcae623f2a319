/**
 * Dark-run statistics and the bad pixel map (Python: bad_pixel_map,
 * inspect_dark): a pixel is bad when its dark mean or dark std lies outside
 * the (low, high) thresholds; null is no bound.
 */
import { ParameterError, ToolBoxError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataArray } from '../../arrays/dataarray.js';
import { histogram } from '../../plots/histogram.js';
import { image } from '../../plots/image.js';
import type { Plot } from '../../plots/plot.js';
import { withPlot } from '../../plots/with-plot.js';
import type { BozMask } from './mask.js';
import { frameStats, moduleArray } from './module-image.js';
import type { Threshold } from './parameters-file.js';
import { stackPlots } from './plot-stack.js';
import { MODULE_PIXELS, type ModuleFrames } from './types.js';

/** Options of inspectDark. */
export interface InspectDarkOptions {
  /** Dark mean (low, high): pixels outside are bad; null is no bound (default [null, null]). */
  meanTh?: Threshold;
  /** Dark std (low, high): pixels outside are bad; null is no bound (default [null, null]). */
  stdTh?: Threshold;
}
const INSPECT_DARK_OPTIONS = optionNames<InspectDarkOptions>({ meanTh: true, stdTh: true });

/** What inspectDark shows: the dark mean and std images, the masks of bad pixels (1 = bad) by each criterion and both. */
export interface DarkInspection {
  mean: DataArray; std: DataArray; meanMask: BozMask; stdMask: BozMask; mask: BozMask; frames: number;
}

/** Checks a (low, high) threshold pair of numbers or nulls. */
export function checkThreshold(fn: string, name: string, th: unknown): Threshold {
  const ok = Array.isArray(th) && th.length === 2 && th.every((v) => v === null || (typeof v === 'number' && !Number.isNaN(v)));
  if (!ok) throw new ParameterError(`${fn}: ${name} must be (low, high), numbers or null, got ${JSON.stringify(th)}`, { parameter: name, value: th });
  const [lo, hi] = th as Threshold;
  if (lo !== null && hi !== null && lo > hi) throw new ParameterError(`${fn}: ${name} low ${lo} is above high ${hi}`, { parameter: name, value: th });
  return [lo, hi];
}

/** 1 where the value is outside [low, high] (bounds included as good; NaN is bad). */
export function outsideMask(values: Float64Array, [lo, hi]: Threshold): BozMask {
  const m = new Uint8Array(MODULE_PIXELS);
  for (let i = 0; i < MODULE_PIXELS; i++) {
    const v = values[i];
    m[i] = Number.isNaN(v) || (lo !== null && v < lo) || (hi !== null && v > hi) ? 1 : 0;
  }
  return m;
}

async function darkMasks(arr: ModuleFrames, meanTh: Threshold, stdTh: Threshold): Promise<DarkInspection> {
  const s = await frameStats(arr);
  const meanMask = outsideMask(s.mean, meanTh), stdMask = outsideMask(s.std, stdTh);
  const mask = meanMask.map((v, i) => v | stdMask[i]);
  return { mean: moduleArray(s.mean, 'dark mean'), std: moduleArray(s.std, 'dark std'), meanMask, stdMask, mask, frames: s.frames };
}

/**
 * The bad pixel map of params' dark run: 1 where the dark mean (over all
 * frames of params.arrDark) is outside params.meanTh or the dark std
 * outside params.stdTh. Needs params.openData().
 */
export async function badPixelMap(params: { arrDark: ModuleFrames | null; meanTh: Threshold; stdTh: Threshold }): Promise<BozMask> {
  if (params.arrDark === null) throw new ToolBoxError('badPixelMap: the dark run is not open; call params.openData() first');
  const meanTh = checkThreshold('badPixelMap', 'params.meanTh', params.meanTh);
  const stdTh = checkThreshold('badPixelMap', 'params.stdTh', params.stdTh);
  return (await darkMasks(params.arrDark, meanTh, stdTh)).mask;
}

/** Values of the good pixels of `mask`, for a histogram. */
const kept = (values: ArrayLike<number>) => Float64Array.from(values).filter((v) => Number.isFinite(v));

/**
 * Inspects a dark run: images of the per-pixel mean and std over all frames,
 * their histograms, and the bad pixel masks for the thresholds (1 = bad).
 */
export async function inspectDark(arr: ModuleFrames, options: InspectDarkOptions = {}): Promise<DarkInspection & { plot: Plot }> {
  const o = checkOptions('inspectDark', options, INSPECT_DARK_OPTIONS);
  const meanTh = checkThreshold('inspectDark', 'meanTh', o.meanTh ?? [null, null]);
  const stdTh = checkThreshold('inspectDark', 'stdTh', o.stdTh ?? [null, null]);
  const d = await darkMasks(arr, meanTh, stdTh);
  const bad = d.mask.reduce((a, b) => a + b, 0);
  const plot = stackPlots(() => [
    image(d.mean, { title: `dark mean (run ${arr.run}, module ${arr.module}, ${d.frames} frames)`, colourLabel: 'ADU' }).toSpec(),
    image(d.std, { title: 'dark std', colourLabel: 'ADU' }).toSpec(),
    histogram(kept(d.mean.values as Float64Array), { title: `dark mean; thresholds ${JSON.stringify(meanTh)}`, xLabel: 'mean (ADU)', bins: 100 }).toSpec(),
    histogram(kept(d.std.values as Float64Array), { title: `dark std; thresholds ${JSON.stringify(stdTh)}`, xLabel: 'std (ADU)', bins: 100 }).toSpec(),
  ], `dark run ${arr.run} module ${arr.module}: mean and std images and histograms, ${bad} bad pixels`);
  return withPlot(d, plot, `dark run ${arr.run} module ${arr.module}: ${d.frames} frames, ${bad} bad pixels (mean ${JSON.stringify(meanTh)}, std ${JSON.stringify(stdTh)})`);
}
