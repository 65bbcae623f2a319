/**
 * The plane fit of the flat field (Python: plane_fitting): least squares of
 * the ratio images n/0 and p/0 on their domain against the planes' heights.
 * A plane a·x + b·y + c·z + d = 0 is defined up to a factor; we fix c = −1,
 * so z = a·x + b·y + d is linear in the parameters and the fit is ordinary
 * least squares (curveFit, with scipy's covariance for the uncertainties).
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { curveFit } from '../fit/curve-fit.js';
import { DEFAULT_PROD_TH, DEFAULT_RATIO_TH, type FlatFieldParams, type ModuleImage, type RoiPixelPos, pixelPosOf } from './ff-params.js';
import { ffData } from './ff-data.js';
import { type DomainValues, domainValues } from './plane-fitting-domain.js';

/** Python's minimisation result of plane_fitting: `x` = [a, b, c, d] (or 8 without mirror symmetry), c = −1. */
export interface PlaneFitResult {
  x: number[];
  /** Standard errors of x (curve_fit's √diag(pcov)); 0 for the fixed c. */
  xErr: number[];
  /** Sum of squared residuals of the ratio images on the domain. */
  fun: number;
  /** Domain pixels fitted ('n', 'p'). */
  points: { n: number; p: number };
  nit: number;
  success: true;
  message: string;
}

export interface PlaneFittingOptions {
  /** The dark-corrected average image of the unsaturated frames; computed from params.arrDark and params.arr when absent. */
  avg?: ModuleImage;
}
const PLANE_FITTING_OPTIONS = optionNames<PlaneFittingOptions>({ avg: true });

interface Pts { X: number[]; Y: number[]; Z: number[]; sx: number[] }

function domainPoints(z: Float64Array, m: Uint8Array, pos: RoiPixelPos, sx: number, pts: Pts): void {
  for (let i = 0; i < z.length; i++) {
    if (m[i]) { pts.X.push(pos.X[i]); pts.Y.push(pos.Y[i]); pts.Z.push(z[i]); pts.sx.push(sx); }
  }
}

/** A guess normalised to c = −1, or null when there is none usable. */
function normalisedGuess(g: readonly number[] | null | undefined, size: number): number[] | null {
  if (!g || g.length < size || !g.every(Number.isFinite) || g[2] === 0 || (size === 8 && g[6] === 0)) return null;
  return g.slice(0, size).map((v, i) => v / -g[i < 4 ? 2 : 6]);
}

function fitPoints(pts: Pts, p0: number[], what: string): { p: number[]; err: number[]; chi2: number; nit: number; message: string } {
  // x is the point index: the model reads the point's position (and mirror sign) from it.
  const model = (i: number, q: readonly number[]): number => pts.sx[i] * q[0] * pts.X[i] + q[1] * pts.Y[i] + q[2];
  const fit = curveFit(model, pts.Z.map((_, i) => i), pts.Z, {
    p0, model: what, gradient: (i, _q, out) => { out[0] = pts.sx[i] * pts.X[i]; out[1] = pts.Y[i]; out[2] = 1; },
  });
  return { p: fit.popt, err: fit.perr, chi2: fit.chiSquare, nit: fit.iterations, message: fit.message };
}

/** The plane fit on given ratio images and domains (see planeFitting). */
export function planeFitOn(d: DomainValues, posN: RoiPixelPos, posP: RoiPixelPos, forceMirror: boolean, guess: readonly number[] | null | undefined): PlaneFitResult {
  const pn: Pts = { X: [], Y: [], Z: [], sx: [] }, pp: Pts = { X: [], Y: [], Z: [], sx: [] };
  domainPoints(d.n, d.nM, posN, 1, pn);
  domainPoints(d.p, d.pM, posP, forceMirror ? -1 : 1, forceMirror ? pn : pp);
  const points = { n: d.nM.reduce((s, v) => s + v, 0), p: d.pM.reduce((s, v) => s + v, 0) };
  if (points.n < 3 || (!forceMirror && points.p < 3) || (forceMirror && points.p < 1)) {
    throw new ToolBoxValueError(`plane fitting: the domain has ${points.n} 'n' and ${points.p} 'p' pixels, too few for a plane; widen the product or ratio thresholds`, { val: points });
  }
  const mean = (z: number[]): number => z.reduce((s, v) => s + v, 0) / z.length;
  const g = normalisedGuess(guess, forceMirror ? 4 : 8);
  const start = (k: number, z: number[]): number[] => (g ? [g[k], g[k + 1], g[k + 3]] : [0, 0, mean(z)]);
  if (forceMirror) {
    const f = fitPoints(pn, start(0, pn.Z), 'flat-field plane (mirror symmetry)');
    return { x: [f.p[0], f.p[1], -1, f.p[2]], xErr: [f.err[0], f.err[1], 0, f.err[2]], fun: f.chi2, points, nit: f.nit, success: true, message: f.message };
  }
  const fn = fitPoints(pn, start(0, pn.Z), "flat-field plane 'n'"), fp = fitPoints(pp, start(4, pp.Z), "flat-field plane 'p'");
  return {
    x: [fn.p[0], fn.p[1], -1, fn.p[2], fp.p[0], fp.p[1], -1, fp.p[2]],
    xErr: [fn.err[0], fn.err[1], 0, fn.err[2], fp.err[0], fp.err[1], 0, fp.err[2]],
    fun: fn.chi2 + fp.chi2, points, nit: fn.nit + fp.nit, success: true, message: `${fn.message}; ${fp.message}`,
  };
}

/** The params' product and ratio thresholds (Python's defaults when unset). */
export function thresholdsOf(params: FlatFieldParams): { prodTh: readonly [number, number]; ratioTh: readonly [number, number] } {
  return { prodTh: params.ffProdTh ?? DEFAULT_PROD_TH, ratioTh: params.ffRatioTh ?? DEFAULT_RATIO_TH };
}

/** The average image: given, or streamed from params' dark and data runs. */
export async function averageOf(params: FlatFieldParams, avg: ModuleImage | undefined, fn: string): Promise<ModuleImage> {
  if (avg !== undefined) return avg;
  if (!params.arrDark || !params.arr || !params.rois) {
    throw new ParameterError(`${fn}: params needs rois, arrDark and arr (or give options.avg, the dark-corrected average image)`, { parameter: 'params', value: undefined });
  }
  const d = await ffData({ arrDark: params.arrDark, arr: params.arr, tid: params.tid, rois: params.rois, mask: params.getMask?.(), satLevel: params.satLevel ?? 511, maxFrames: 1, params }, fn);
  return d.avg;
}

/**
 * Python's plane_fitting(params): fits the plane(s) to the ratio images
 * n/0 and p/0 on the plane-fitting domain (params' ffProdTh, ffRatioTh).
 * With params.forceMirror (default) one plane [a, b, c, d] whose mirror in x
 * is the 'p' plane, else two. Returns `x` with c = −1, and its errors.
 */
export async function planeFitting(params: FlatFieldParams, options: PlaneFittingOptions = {}): Promise<PlaneFitResult> {
  const opts = checkOptions<PlaneFittingOptions>('planeFitting', options, PLANE_FITTING_OPTIONS);
  const avg = await averageOf(params, opts.avg, 'planeFitting');
  const { prodTh, ratioTh } = thresholdsOf(params);
  const d = domainValues(avg, params.rois, prodTh, ratioTh, 'planeFitting');
  return planeFitOn(d, pixelPosOf(params, d.rn), pixelPosOf(params, d.rp), params.forceMirror ?? true, params.planeGuessFit);
}
