/**
 * nlFit (Python: boz.nl_fit): the deviations dy of the lookup table that make
 * the ROI ratios independent of intensity. Python runs scipy.optimize.minimize
 * (BFGS with a finite-difference gradient, each criterion call touching every
 * pixel); the criterion is a sum of squares, so here a Levenberg-Marquardt on
 * its residuals with the analytic Jacobian from the histograms (nl-residuals.ts)
 * converges in a handful of iterations of milliseconds each.
 *
 * Hand-written loop (ml-matrix solves the damped normal equations): curveFit
 * and ml-levenberg-marquardt take one model value per point and have no
 * per-iteration hook, and Python's result records the three criteria after
 * every iteration (fitrres), reports progress and must be abortable.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { FitError, ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { type NlCritKind, nlCrit, nlCritSk, nlErr1, nlErr2, nlIntensities, nlSegments, satLevelOf } from './nl-crit.js';
import { type NlHistograms, nlHistograms } from './nl-histograms.js';
import type { ModuleImageInput, ModuleMaskInput } from './inputs.js';
import { accumulate, nlCost, ratioPairs, symmetrise } from './nl-residuals.js';
import { checkDomain } from './nl-lut.js';
import { MODULE_PIXELS, type ModuleFrames, type Rois } from './types.js';

/** What nlFit reads from the BOZ parameters (the `parameters` class, after openData()). */
export interface NlFitParameters {
  arrDark: ModuleFrames | null;
  arr: ModuleFrames | null;
  rois: Rois | null;
  satLevel: number | null;
  nlAlpha: number | null;
  nlMaxIter: number | null;
  /** The bad-pixel mask (nonzero = bad), as Python's get_mask(). */
  getMask(): ModuleMaskInput;
}

/** The runs and ROIs of the parameters, present (ParameterError naming the missing one otherwise). */
export function runsOf(fn: string, params: NlFitParameters): { arrDark: ModuleFrames; arr: ModuleFrames; rois: Rois; satLevel: number } {
  const { arrDark, arr, rois } = params;
  if (!arrDark || !arr) throw new ParameterError(`${fn}: params.${arr ? 'arrDark' : 'arr'} is not loaded (call params.openData() first)`, { parameter: arr ? 'arrDark' : 'arr', value: null });
  if (!rois) throw new ParameterError(`${fn}: params.rois is not set (find the ROIs first)`, { parameter: 'rois', value: null });
  return { arrDark, arr, rois, satLevel: satLevelOf(fn, params.satLevel ?? undefined) };
}

/** Options of nlFit. */
export interface NlFitOptions {
  /** Flat-field image (module-sized; default: 1 everywhere, i.e. computeFlatFieldCorrection of the parameters' planes should be passed). */
  ff?: ModuleImageInput;
  /** The criterion: nlCrit (default) or nlCritSk. */
  crit?: typeof nlCrit | typeof nlCritSk;
  /** Histograms already built for these parameters and ff (nlHistograms), e.g. by an earlier fit. */
  histograms?: NlHistograms;
  signal?: AbortSignal;
  /** Called after building the histograms and after each iteration. */
  progress?: (info: NlFitProgress) => void;
}
const NL_FIT_OPTIONS = optionNames<NlFitOptions>({ ff: true, crit: true, histograms: true, signal: true, progress: true });

/** Progress of nlFit. */
export interface NlFitProgress { stage: 'histograms' | 'fit'; done: number; total: number; criterion?: number }

/** The minimisation result (as scipy's OptimizeResult). */
export interface NlFitRes { x: Float64Array; success: boolean; message: string; nit: number; fun: number }

/** nlFit's result: res, and per iteration the criterion for α = 0, α and 1 (Python's fit_callback.res). */
export interface NlFitResult { res: NlFitRes; fitrres: [number, number, number][]; histograms: NlHistograms }

const FTOL = 1e-10;
const XTOL = 1e-8;
const DAMPING0 = 1e-3;
const DAMPING_MAX = 1e14;

/** The damped step −(A + λ·diag A)⁻¹ g, or null when the system is not positive definite. */
function dampedStep(A: Float64Array, g: Float64Array, N: number, lambda: number): Float64Array | null {
  let dmax = 0;
  for (let k = 0; k < N; k++) dmax = Math.max(dmax, A[k * N + k]);
  const M = new Matrix(N, N);
  for (let k = 0; k < N; k++) {
    for (let l = 0; l < N; l++) M.set(k, l, A[k * N + l]);
    M.set(k, k, A[k * N + k] + lambda * Math.max(A[k * N + k], 1e-12 * dmax, Number.MIN_VALUE));
  }
  const ch = new CholeskyDecomposition(M);
  if (!ch.isPositiveDefinite()) return null;
  const x = ch.solve(Matrix.columnVector(Array.from(g, (v) => -v)));
  return Float64Array.from(x.getColumn(0));
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

interface Fitting { kind: NlCritKind; alpha: number; h: NlHistograms; domain: ArrayLike<number>; satLevel: number; maxIter: number; opts: NlFitOptions }

/** The three criteria of fitrres at dy. */
function criteria(f: Fitting, dy: Float64Array): [number, number, number] {
  const seg = nlSegments(f.h, f.domain);
  const e1 = nlErr1(f.kind, nlIntensities(f.h, seg, dy, f.satLevel).I), e2 = nlErr2(seg, dy);
  return [e1, (1 - f.alpha) * e1 + f.alpha * e2, e2];
}

async function levenbergMarquardt(f: Fitting): Promise<{ res: NlFitRes; fitrres: [number, number, number][] }> {
  const seg = nlSegments(f.h, f.domain), N = seg.n;
  const { frames } = nlIntensities(f.h, seg, new Float64Array(N), f.satLevel);
  if (frames.length === 0) throw new ParameterError(`nlFit: every frame is saturated (a raw value ≥ satLevel ${f.satLevel} in ROI 'sat'); nothing to fit`, { parameter: 'satLevel', value: f.satLevel });
  const pairs = ratioPairs(f.kind, seg, frames);
  let dy: Float64Array = new Float64Array(N), lambda = DAMPING0, nit = 0;
  const fitrres: [number, number, number][] = [];
  let { A, g, cost } = accumulate(pairs, seg, dy, f.alpha);
  while (nit < f.maxIter) {
    f.opts.signal?.throwIfAborted();
    await new Promise((r) => setImmediate(r));
    symmetrise(A, N);
    let next: Float64Array | null = null, nextCost = cost, step: Float64Array | null = null;
    while (lambda < DAMPING_MAX) {
      step = dampedStep(A, g, N, lambda);
      if (step) {
        const trial = dy.map((v, k) => v + step![k]);
        nextCost = nlCost(pairs, seg, trial, f.alpha);
        if (nextCost < cost) { next = trial; break; }
      }
      lambda *= 10;
    }
    if (!next || !step) return done(dy, cost, nit, fitrres, true, 'the criterion cannot decrease further (gradient zero to rounding)');
    nit++;
    const decrease = cost - nextCost;
    dy = next; lambda = Math.max(lambda / 10, 1e-12);
    fitrres.push(criteria(f, dy));
    f.opts.progress?.({ stage: 'fit', done: nit, total: f.maxIter, criterion: fitrres[nit - 1][1] });
    ({ A, g, cost } = accumulate(pairs, seg, dy, f.alpha));
    if (decrease <= FTOL * cost) return done(dy, cost, nit, fitrres, true, `relative decrease of the criterion below ${FTOL}`);
    if (norm(step) <= XTOL * (norm(dy) + XTOL)) return done(dy, cost, nit, fitrres, true, `step below ${XTOL} relative`);
  }
  throw new FitError(`nlFit: no convergence within nlMaxIter = ${f.maxIter} iterations (criterion ${cost}); last dy in lastParameters`, {
    model: `BOZ non-linearity (${f.kind === 'nl' ? 'nlCrit' : 'nlCritSk'})`, lastParameters: Array.from(dy), iterations: nit,
  });
}

function done(dy: Float64Array, fun: number, nit: number, fitrres: [number, number, number][], success: boolean, message: string) {
  return { res: { x: dy, success, message: `Optimization terminated successfully: ${message}.`, nit, fun }, fitrres };
}

function paramsOf(params: NlFitParameters): { alpha: number; maxIter: number } {
  const alpha = params.nlAlpha, maxIter = params.nlMaxIter;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) throw new ParameterError(`nlFit: params.nlAlpha must be in [0, 1], got ${String(alpha)}`, { parameter: 'nlAlpha', value: alpha });
  if (typeof maxIter !== 'number' || !Number.isInteger(maxIter) || maxIter < 1) throw new ParameterError(`nlFit: params.nlMaxIter must be a positive integer, got ${String(maxIter)}`, { parameter: 'nlMaxIter', value: maxIter });
  return { alpha, maxIter };
}

function kindOf(crit: NlFitOptions['crit']): NlCritKind {
  if (crit === undefined || crit === nlCrit) return 'nl';
  if (crit === nlCritSk) return 'sk';
  throw new ParameterError('nlFit: crit must be nlCrit or nlCritSk (the fit evaluates them on histograms)', { parameter: 'crit', value: typeof crit });
}

/**
 * Fits the non-linearity correction (Python: nl_fit): dy minimising
 * crit(dy, domain, params.nlAlpha, …) from dy = 0 in at most params.nlMaxIter
 * iterations. Returns res (x = dy, success, message, nit, fun), fitrres (per
 * iteration [crit α = 0, crit α, crit α = 1]) and the histograms for reuse.
 * FitError (lastParameters = the last dy) when it does not converge.
 */
export async function nlFit(params: NlFitParameters, domain: ArrayLike<number>, options?: NlFitOptions): Promise<NlFitResult> {
  const opts = checkOptions<NlFitOptions>('nlFit', options, NL_FIT_OPTIONS);
  checkDomain('nlFit', domain);
  const { alpha, maxIter } = paramsOf(params);
  const kind = kindOf(opts.crit);
  const ff = opts.ff ?? new Float64Array(MODULE_PIXELS).fill(1);
  const { arrDark, arr, rois, satLevel } = runsOf('nlFit', params);
  const h = opts.histograms ?? await nlHistograms(arrDark, arr, rois, params.getMask(), ff, {
    signal: opts.signal, progress: (done, total) => opts.progress?.({ stage: 'histograms', done, total }),
  });
  const { res, fitrres } = await levenbergMarquardt({ kind, alpha, h, domain, satLevel, maxIter, opts });
  return { res, fitrres, histograms: h };
}
