/**
 * Fitting a binned reflectivity trace with the step or double-exponential
 * model (models.ts) by curveFit, unweighted as curve_fit without sigma: the
 * covariance is scaled by the reduced χ² (docs/routines.md, Reflectivity: fits).
 */
import { FitError, ToolBoxValueError } from '../../errors.js';
import { curveFit } from '../fit/curve-fit.js';
import type { CurveFitResult } from '../fit/types.js';
import { FIT_PARAMETERS, type ReflectivityFitModel, doubleExponentialGuesses, modelFunction, stepGuess } from './models.js';

/** A reflectivity fit: parameters by name with their standard errors. */
export interface ReflectivityFit {
  model: ReflectivityFitModel;
  /** Parameter names in the order of popt. */
  names: string[];
  popt: number[];
  perr: number[];
  pcov: number[][];
  /** The fitted curve at any delay. */
  curve: (x: number) => number;
}

const LABEL: Record<ReflectivityFitModel, string> = { step: 'reflectivity step', doubleExponential: 'reflectivity double exponential' };

/** σ and τ enter the models by absolute value; report them positive, and the faster component first. */
function normalise(model: ReflectivityFitModel, popt: number[], perr: number[], pcov: number[][]): void {
  popt[1] = Math.abs(popt[1]);
  if (model !== 'doubleExponential') return;
  popt[3] = Math.abs(popt[3]); popt[5] = Math.abs(popt[5]);
  if (popt[3] <= popt[5]) return;
  const perm = [0, 1, 4, 5, 2, 3, 6];
  const p = perm.map((i) => popt[i]), e = perm.map((i) => perr[i]), c = perm.map((i) => perm.map((j) => pcov[i][j]));
  popt.splice(0, 7, ...p); perr.splice(0, 7, ...e); pcov.splice(0, 7, ...c);
}

/** Run `fn` holding back the warnings it emits (process.emitWarning is synchronous here); returns them for re-emission. */
function quietly<T>(fn: () => T): { value: T; warnings: Parameters<typeof process.emitWarning>[] } {
  const warnings: Parameters<typeof process.emitWarning>[] = [];
  const emit = process.emitWarning;
  process.emitWarning = ((...args: Parameters<typeof process.emitWarning>) => { warnings.push(args); }) as typeof process.emitWarning;
  try {
    return { value: fn(), warnings };
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * The double exponential without p0: from a step fit (or the step guess, if
 * that fit fails), each of doubleExponentialGuesses; the converged fit of
 * least χ² among those with a covariance (else among all), or the first
 * FitError when none converges. Only the chosen fit's warnings are shown:
 * the discarded starts are trials, not results.
 */
function bestOf(f: (x: number, p: readonly number[]) => number, x: number[], y: number[], s: 1 | -1): CurveFitResult {
  let step = stepGuess(x, y, s);
  try {
    step = quietly(() => curveFit(modelFunction('step', s), x, y, { p0: step, model: LABEL.step })).value.popt;
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
  }
  const done: { r: CurveFitResult; warnings: Parameters<typeof process.emitWarning>[] }[] = [];
  let first: FitError | null = null;
  for (const start of doubleExponentialGuesses(x, y, s, step)) {
    try {
      const { value, warnings } = quietly(() => curveFit(f, x, y, { p0: start, model: LABEL.doubleExponential }));
      done.push({ r: value, warnings });
    } catch (err) {
      if (!(err instanceof FitError)) throw err;
      first ??= err;
    }
  }
  if (!done.length) throw first!;
  const ok = done.filter((d) => d.r.perr.every(Number.isFinite));
  const best = (ok.length ? ok : done).reduce((a, b) => (b.r.chiSquare < a.r.chiSquare ? b : a));
  for (const w of best.warnings) process.emitWarning(...w);
  return best.r;
}

/** Fit `model` to (x, y); without p0 a double exponential starts from a step fit (bestOf). */
export function fitReflectivity(x: number[], y: number[], model: ReflectivityFitModel, s: 1 | -1, p0?: readonly number[]): ReflectivityFit {
  const names = [...FIT_PARAMETERS[model]];
  if (p0 !== undefined && p0.length !== names.length) {
    throw new ToolBoxValueError(`reflectivity: p0 for the ${model} fit needs ${names.length} values (${names.join(', ')}), got ${p0.length}`);
  }
  if (x.length <= names.length) {
    throw new ToolBoxValueError(`reflectivity: the ${model} fit has ${names.length} parameters but only ${x.length} delay bins; use a smaller binWidth or the step model`);
  }
  const f = modelFunction(model, s);
  const r = p0 || model === 'step' ? curveFit(f, x, y, { p0: p0 ?? stepGuess(x, y, s), model: LABEL[model] }) : bestOf(f, x, y, s);
  const popt = [...r.popt], perr = [...r.perr], pcov = r.pcov.map((row) => [...row]);
  normalise(model, popt, perr, pcov);
  return { model, names, popt, perr, pcov, curve: (v) => f(v, popt) };
}
