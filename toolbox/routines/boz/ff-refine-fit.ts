/**
 * The flat-field refinement (Python: ff_refine_fit): Nelder-Mead on the
 * refinement criterion from the plane fit. The planes keep c = −1 (the
 * scale freedom of a·x + b·y + c·z + d = 0), and the free parameters are
 * scaled so a unit step changes the flat field by the same fraction at the
 * ROI's edge for a and b as everywhere for d.
 */
import { FitError, ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { FF_REFINE_MAX_FRAMES } from './ff-data.js';
import type { FlatFieldParams } from './ff-params.js';
import { type FfRefineCriterion, type FfRefineInput, ffRefineCritOn, ffRefineErrors, ffRefineInput } from './ff-refine-crit.js';
import { nelderMead } from './nelder-mead.js';
import { planeFitOn } from './plane-fitting.js';

/** Default regulariser weight α and iteration limit when params has none. */
export const FF_DEFAULT_ALPHA = 0.5;
export const FF_DEFAULT_MAX_ITER = 2000;

export interface FfRefineFitOptions {
  /** The criterion (default ffRefineCritOn, the definition of ffRefineCrit). */
  crit?: FfRefineCriterion;
  /** Frames sampled for the criterion (default FF_REFINE_MAX_FRAMES). */
  maxFrames?: number;
}
const FF_REFINE_FIT_OPTIONS = optionNames<FfRefineFitOptions>({ crit: true, maxFrames: true });

/** scipy's OptimizeResult of the refinement: `x` the planes (c = −1). */
export interface FfRefineResult { x: number[]; fun: number; nit: number; nfev: number; success: true; message: string }

/** Criteria at the best vertex after each iteration, for α = 0, α and 1 (Python's fitrres). */
export interface FfRefineProgress { alpha0: number[]; alpha: number[]; alpha1: number[] }

/** Maps the free, scaled parameters u to the planes (c = −1) and back. */
function parametrisation(start: readonly number[], input: FfRefineInput): { toPlanes: (u: readonly number[]) => number[]; u0: number[] } {
  const half = (v: Float64Array): number => Math.max(1, ...Array.from(v, Math.abs));
  const groups = start.length / 4;
  const scale: number[] = [];
  for (let g = 0; g < groups; g++) {
    const level = Math.abs(start[4 * g + 3]) || 1;
    scale.push(level / half(input.data.posN.X), level / half(input.data.posN.Y), level);
  }
  const toPlanes = (u: readonly number[]): number[] => {
    const out: number[] = [];
    for (let g = 0; g < groups; g++) out.push(u[3 * g] * scale[3 * g], u[3 * g + 1] * scale[3 * g + 1], -1, u[3 * g + 2] * scale[3 * g + 2]);
    return out;
  };
  const u0: number[] = [];
  for (let g = 0; g < groups; g++) {
    const c = -start[4 * g + 2];
    u0.push(start[4 * g] / c / scale[3 * g], start[4 * g + 1] / c / scale[3 * g + 1], start[4 * g + 3] / c / scale[3 * g + 2]);
  }
  return { toPlanes, u0 };
}

/** The criterion, Infinity for planes without a flat field (not positive at the ROI centre): the simplex steps back. */
function critOrInfinity(crit: FfRefineCriterion, p: number[], alpha: number, input: FfRefineInput): number {
  try {
    return crit(p, alpha, input);
  } catch (err) {
    if (err instanceof ToolBoxValueError && !(err instanceof ParameterError)) return Infinity;
    throw err;
  }
}

function inputsOf(params: FlatFieldParams): { arrDark: NonNullable<FlatFieldParams['arrDark']>; arr: NonNullable<FlatFieldParams['arr']>; rois: NonNullable<FlatFieldParams['rois']> } {
  if (!params.arrDark || !params.arr || !params.rois) {
    throw new ParameterError('ffRefineFit: params needs rois, arrDark and arr (the dark run, the run and its ROIs)', { parameter: 'params', value: undefined });
  }
  return { arrDark: params.arrDark, arr: params.arr, rois: params.rois };
}

/**
 * Python's ff_refine_fit(params, crit=ff_refine_crit): minimises the
 * criterion with α = params.ffAlpha from params' planes (or the plane fit of
 * the run's average when it has none), at most params.ffMaxIter iterations.
 * Returns `{ res, fitrres }`; a FitError with the last planes when it does
 * not converge.
 */
export async function ffRefineFit(params: FlatFieldParams, options: FfRefineFitOptions = {}): Promise<{ res: FfRefineResult; fitrres: FfRefineProgress }> {
  const opts = checkOptions<FfRefineFitOptions>('ffRefineFit', options, FF_REFINE_FIT_OPTIONS);
  const crit = opts.crit ?? ffRefineCritOn;
  const { arrDark, arr, rois } = inputsOf(params);
  const alpha = params.ffAlpha ?? FF_DEFAULT_ALPHA;
  if (!(alpha >= 0 && alpha <= 1)) throw new ParameterError(`ffRefineFit: params.ffAlpha must be in [0, 1], got ${alpha}`, { parameter: 'ffAlpha', value: alpha });
  const input = await ffRefineInput(params, arrDark, arr, params.tid, rois, params.getMask?.(), params.satLevel ?? 511, opts.maxFrames ?? FF_REFINE_MAX_FRAMES, 'ffRefineFit');
  const stored = params.getFlatField?.();
  const start = stored ? stored.slice(0, input.forceMirror ? 4 : 8) : planeFitOn(input.domain, input.data.posN, input.data.posP, input.forceMirror, params.planeGuessFit).x;
  const { toPlanes, u0 } = parametrisation(start, input);
  const fitrres: FfRefineProgress = { alpha0: [], alpha: [], alpha1: [] };
  const model = `flat-field refinement (α = ${alpha})`;
  try {
    const r = nelderMead((u) => critOrInfinity(crit, toPlanes(u), alpha, input), u0, {
      step: u0.map(() => 0.05), xatol: 1e-6, fatol: 1e-10, maxIter: params.ffMaxIter ?? FF_DEFAULT_MAX_ITER, model,
      callback: (u, f) => {
        const p = toPlanes(u);
        // The default criterion gives both ends from one evaluation: err1 at α = 0, err2 at α = 1.
        const e = crit === ffRefineCritOn ? ffRefineErrors(p, input) : { err1: critOrInfinity(crit, p, 0, input), err2: critOrInfinity(crit, p, 1, input) };
        fitrres.alpha0.push(e.err1); fitrres.alpha.push(f); fitrres.alpha1.push(e.err2);
      },
    });
    return { res: { x: toPlanes(r.x), fun: r.fun, nit: r.nit, nfev: r.nfev, success: true, message: r.message }, fitrres };
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
    throw new FitError(err.message, { model, lastParameters: toPlanes(err.lastParameters), iterations: err.iterations, cause: err });
  }
}
