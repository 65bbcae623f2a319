/**
 * The knife-edge fit on prepared points: erfc or erf from the slope, the
 * Python toolbox's default starting point, curveFit (scipy's curve_fit
 * contract), and the checks that turn empty or too-small data into clear errors.
 */
import { FitError, ToolBoxValueError } from '../../errors.js';
import { curveFit } from '../fit/curve-fit.js';
import { type KnifeEdgeFunction, MODELS, chooseFunction, defaultP0 } from './model.js';
import type { KnifeEdgeAxisRange, PreparedPoints } from './prepare.js';

/** What a knife-edge fit gives, next to the [w0, w0Std] pair. */
export interface KnifeEdgeFitFields {
  /** Beam radius at 1/e² of the intensity, |popt[1]|, in the units of the positions. */
  w0: number;
  /** Standard error of w0, √pcov[1][1] (Infinity when the covariance cannot be estimated, as scipy). */
  w0Std: number;
  /** Beam centre (edge position at half signal), popt[0]. */
  x0: number;
  /** Standard error of x0. */
  x0Std: number;
  /** Fitted parameters x0, w0, a, b (curve_fit's popt; w0 as fitted, sign included). */
  popt: number[];
  /** Their covariance (curve_fit's pcov). */
  pcov: number[][];
  /** Standard errors of popt, √diag(pcov). */
  perr: number[];
  /** The model fitted: 'erfc' (falling signal) or 'erf' (rising). */
  function: KnifeEdgeFunction;
  /** Starting parameters used. */
  p0: number[];
  /** Points fitted (after axisRange and NaNs). */
  points: number;
  /** Sum of squared residuals at popt. */
  chiSquare: number;
}

const PARAMETERS = ['x0', 'w0', 'a', 'b'];

/** What preparation kept (prepare.ts), with the range used. */
export type Kept = Omit<PreparedPoints, 'x' | 'y'> & { axisRange?: KnifeEdgeAxisRange | null };

function checkPoints(fn: string, x: Float64Array, kept: Kept): void {
  if (kept.total === 0) throw new ToolBoxValueError(`${fn}: no data points (positions are empty)`);
  if (kept.finite === 0) throw new ToolBoxValueError(`${fn}: the signal is NaN everywhere (${kept.total} values), nothing to fit`);
  if (x.length === 0 && kept.axisRange) {
    throw new ToolBoxValueError(`${fn}: axisRange [${kept.axisRange.join(', ')}] keeps no point; the positions span [${kept.span.join(', ')}]`);
  }
  if (x.length < PARAMETERS.length) {
    throw new ToolBoxValueError(`${fn}: ${x.length} point(s) left to fit but the knife-edge model has ${PARAMETERS.length} parameters (${PARAMETERS.join(', ')}); it needs at least ${PARAMETERS.length}`);
  }
}

function checkP0(fn: string, p0: ArrayLike<number>): number[] {
  const p = Array.from(p0, Number);
  if (p.length !== PARAMETERS.length || p.some((v) => !Number.isFinite(v))) {
    throw new ToolBoxValueError(`${fn}: p0 must be ${PARAMETERS.length} finite numbers (${PARAMETERS.join(', ')}), got [${Array.from(p0).join(', ')}]`);
  }
  if (p[1] === 0) throw new ToolBoxValueError(`${fn}: p0's w0 must not be 0`);
  return p;
}

/** Fit prepared points; `kept` describes what preparation kept, for the error messages. */
export function fitKnifeEdge(fn: string, x: Float64Array, y: Float64Array, p0: ArrayLike<number> | null | undefined,
  kept: Kept): KnifeEdgeFitFields {
  checkPoints(fn, x, kept);
  const start = p0 ? checkP0(fn, p0) : defaultP0(x, y);
  const which = chooseFunction(x, y);
  const { model, gradient } = MODELS[which];
  const r = curveFit(model, x, y, { p0: start, gradient, model: `knife-edge ${which}` });
  if (!r.popt.every(Number.isFinite) || r.popt[1] === 0) {
    throw new FitError(`${fn}: the knife-edge ${which} fit did not converge (parameters [${r.popt.join(', ')}])`,
      { model: `knife-edge ${which}`, lastParameters: r.popt, iterations: r.iterations });
  }
  return {
    w0: Math.abs(r.popt[1]), w0Std: r.perr[1], x0: r.popt[0], x0Std: r.perr[0],
    popt: r.popt, pcov: r.pcov, perr: r.perr, function: which, p0: start, points: x.length, chiSquare: r.chiSquare,
  };
}
