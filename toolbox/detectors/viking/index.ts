/** Viking spectrometer (Andor Newton camera): spectra, XAS, energy calibration (issue 21; docs/viking.md). */
export { Viking } from './viking.js';
export type { VikingCalibrateOptions, VikingFromRunOptions, VikingParams, VikingXasOptions } from './viking.js';
export { E_PER_COUNTS, PREAMP_GAINS, ePerCounts, getCameraGain, getCameraParams } from './camera.js';
export type { CameraParams, CameraRun } from './camera.js';
export type { CalibrationPeak } from './calibrate.js';
