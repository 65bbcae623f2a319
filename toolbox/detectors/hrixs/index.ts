/** hRIXS spectrometer and its MaranaX camera: curvature, centroiding, integration (issue 21). */
export { hRIXS, HRIXS_SETTINGS } from './hrixs.js';
export type {
  AggregateOptions, CentroidOptions, FindCurvatureOptions, FrameInput, FromRunOptions, HrixsDetector, HrixsOptions, HrixsSetting, LoadDarkOptions, NormalizeOptions,
} from './hrixs.js';
export type { Aggregator } from './aggregate.js';
export type { CurvatureFit } from './curvature.js';
export { MaranaX } from './maranax.js';
export type { CentroidFromRunOptions, MaranaXCentroidOptions, MaranaXOptions, ParallelOptions } from './maranax.js';
