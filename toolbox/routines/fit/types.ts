/**
 * The contract of the least-squares fitting the routines use (reflectivity,
 * knife-edge, spectrometer calibrations): scipy.optimize.curve_fit's, in
 * TypeScript. curve-fit.ts implements it.
 */

/** y = f(x; p). Called once per point with the current parameters. */
export type Model = (x: number, p: readonly number[]) => number;

/** ∂f/∂p_k at x, written into `out` (length = number of parameters). Optional: finite differences otherwise. */
export type ModelGradient = (x: number, p: readonly number[], out: number[]) => void;

export interface CurveFitOptions {
  /** Starting parameters (curve_fit's p0); their number is the number of parameters. */
  p0: ArrayLike<number>;
  /** Per-point standard deviations of y (curve_fit's sigma): residuals are divided by them. */
  sigma?: ArrayLike<number>;
  /** curve_fit's absolute_sigma: pcov is not rescaled by the reduced χ² (default false). */
  absoluteSigma?: boolean;
  /** Lower and upper bounds per parameter (curve_fit's bounds); ±Infinity for none. */
  bounds?: [ArrayLike<number>, ArrayLike<number>];
  /** Analytic gradient of the model; finite differences when absent. */
  gradient?: ModelGradient;
  /** Iteration limit (default 2000). */
  maxIterations?: number;
  /** Name of the model in messages and FitError, e.g. 'knife-edge erfc'. */
  model?: string;
}

export interface CurveFitResult {
  /** Optimal parameters (curve_fit's popt). */
  popt: number[];
  /** Covariance of popt (curve_fit's pcov), rows of the parameter count; Infinity everywhere when it cannot be estimated, as scipy does. */
  pcov: number[][];
  /** Standard errors: √diag(pcov). */
  perr: number[];
  /** Sum of squared (weighted) residuals at popt. */
  chiSquare: number;
  /** Points − parameters. */
  dof: number;
  /** Iterations used: the library's Levenberg-Marquardt iterations plus the Gauss-Newton polish steps. */
  iterations: number;
  /** Why the minimisation stopped (curve_fit's mesg with full_output). */
  message: string;
  /** What curve_fit would warn about (OptimizeWarning), e.g. a covariance that cannot be estimated; also emitted as a ToolBoxWarning. */
  warnings: string[];
}
