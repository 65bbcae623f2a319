/**
 * knifeEdgeBase (Python: toolbox_scs.base.knife_edge): the beam radius at 1/e²
 * from positions and intensities, without a Dataset. One result serves both
 * Python functions of that module: it is the pair [w0, w0Std] that
 * base.knife_edge returns, and carries popt and pcov, what
 * base.knife_edge_base returns, as fields.
 */
import { checkOptions, optionNames } from '../../options.js';
import { type KnifeEdgeFitFields, fitKnifeEdge } from './fit.js';
import { type KnifeEdgeAxisRange, type KnifeEdgeIntensities, type KnifeEdgePositions, preparePoints } from './prepare.js';

export interface KnifeEdgeBaseOptions {
  /** Edges of the scanning axis between which to fit (inclusive); default all positions. */
  axisRange?: KnifeEdgeAxisRange | null;
  /** Starting parameters x0, w0, a, b; default mean position, 0.1, max/2, 0 (a 100 µm radius with positions in mm). */
  p0?: ArrayLike<number> | null;
}
const BASE_OPTIONS = optionNames<KnifeEdgeBaseOptions>({ axisRange: true, p0: true });

/**
 * A knife-edge fit: the array [w0, w0Std] (destructure it as Python's
 * `width, std = knife_edge(...)`) with every fit detail as named fields.
 */
export type KnifeEdgeFit = [w0: number, w0Std: number] & KnifeEdgeFitFields;

/** [first, second] with `fields` attached (enumerable, so they print and spread). */
export function pairWith<A, B, F extends object>(first: A, second: B, fields: F): [A, B] & F {
  return Object.assign([first, second] as [A, B], fields);
}

/**
 * knifeEdgeBase: fit f(x) = a·erfc(√2(x − x0)/w0) + b (erf for a rising
 * signal) to intensities against positions. Intensities may be 2-D, one row
 * per position; points outside axisRange and NaNs are dropped. Returns
 * [w0, w0Std] in the units of the positions, with popt, pcov and the rest
 * as fields. Throws ToolBoxValueError for too few points and FitError when
 * the fit does not converge.
 */
export function knifeEdgeBase(positions: KnifeEdgePositions, intensities: KnifeEdgeIntensities, options: KnifeEdgeBaseOptions = {}): KnifeEdgeFit {
  const { axisRange, p0 } = checkOptions('knifeEdgeBase', options, BASE_OPTIONS);
  const { x, y, ...kept } = preparePoints(positions, intensities, axisRange);
  const fit = fitKnifeEdge('knifeEdgeBase', x, y, p0, { ...kept, axisRange });
  return pairWith(fit.w0, fit.w0Std, fit);
}
