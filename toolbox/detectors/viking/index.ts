/** Viking spectrometer (Andor Newton camera): spectra, XAS, energy calibration (issue 21; docs/viking.md). */
export { Viking } from './viking.js';
export type { VikingCalibrateOptions, VikingFromRunOptions, VikingParams, VikingXasOptions } from './viking.js';
export { NEWTON_E_PER_COUNTS, NEWTON_PREAMP_GAINS } from './camera.js';
export type { VikingCameraParams, VikingCameraRun } from './camera.js';
export type { VikingCalibrationPeak } from './calibrate.js';
