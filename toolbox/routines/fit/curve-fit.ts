/**
 * curveFit: scipy.optimize.curve_fit in TypeScript — weighted nonlinear least
 * squares from a starting point, with curve_fit's covariance and an explicit
 * convergence report (a FitError instead of a silently returned guess).
 */
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { checkInput } from './check-input.js';
import { covariance } from './covariance.js';
import { minimise, notFiniteJacobian } from './minimise.js';
import { NotFiniteJacobian, type Problem, jacobianColumns } from './problem.js';
import type { CurveFitOptions, CurveFitResult, Model } from './types.js';

const CURVE_FIT_OPTIONS = optionNames<CurveFitOptions>({
  p0: true, sigma: true, absoluteSigma: true, bounds: true, gradient: true, maxIterations: true, model: true,
});

const DEFAULT_MAX_ITERATIONS = 2000;

function modelName(model: Model, options: CurveFitOptions): string {
  if (options.model !== undefined) {
    if (typeof options.model !== 'string') throw new ParameterError(`curveFit: model (the name) must be a string, got ${typeof options.model}`, { parameter: 'model', value: options.model });
    return options.model;
  }
  return (typeof model === 'function' && model.name) || 'anonymous model';
}

function maxIterationsOf(options: CurveFitOptions): number {
  const v = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!Number.isInteger(v) || v < 1) {
    throw new ParameterError(`curveFit: maxIterations must be a positive integer, got ${String(v)}`, { parameter: 'maxIterations', value: v });
  }
  return v;
}

function jacobianAtOptimum(pb: Problem, popt: readonly number[], iterations: number): Float64Array[] {
  try {
    return jacobianColumns(pb, popt);
  } catch (err) {
    throw err instanceof NotFiniteJacobian ? notFiniteJacobian(pb, err, iterations) : err;
  }
}

/**
 * Fits `model(x, p)` to the points (x, y) by least squares from `options.p0`
 * (scipy.optimize.curve_fit). Residuals are divided by `sigma` when given;
 * pcov is (JᵀJ)⁻¹ scaled by χ²/(m − n) unless `absoluteSigma`, and Infinity
 * everywhere (with a ToolBoxWarning and an entry in `warnings`) when it cannot
 * be estimated. Throws ToolBoxValueError/ParameterError on bad input and
 * FitError (with the last parameters) when the fit does not converge.
 */
export function curveFit(model: Model, x: ArrayLike<number>, y: ArrayLike<number>, options: CurveFitOptions): CurveFitResult {
  const opts = checkOptions<CurveFitOptions>('curveFit', options, CURVE_FIT_OPTIONS);
  if (opts.p0 === undefined) throw new ParameterError('curveFit: options.p0 is required (one starting value per parameter, as curve_fit\'s p0)', { parameter: 'p0', value: undefined });
  const name = modelName(model, opts);
  const maxIterations = maxIterationsOf(opts);
  const { pb, p0 } = checkInput(model, x, y, opts, name);
  const min = minimise(pb, p0, maxIterations);
  const cov = covariance(jacobianAtOptimum(pb, min.p, min.iterations), min.chi2, opts.absoluteSigma === true);
  const warnings: string[] = [];
  if (cov.warning) {
    warnings.push(`${cov.warning} (model '${name}'); pcov and perr are Infinity`);
    process.emitWarning(`curveFit: ${warnings[0]}`, 'ToolBoxWarning');
  }
  return {
    popt: min.p,
    pcov: cov.pcov,
    perr: cov.pcov.map((row, j) => Math.sqrt(row[j])),
    chiSquare: min.chi2,
    dof: pb.x.length - p0.length,
    iterations: min.iterations,
    message: min.message,
    warnings,
  };
}
