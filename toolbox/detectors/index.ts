/** Detectors: DSSC 1M module access (more detectors come with the DIAG issue). */
export { DSSC_MODULES, dsscCorrSource, dsscModuleChunks, dsscModules, dsscRawSource, getDsscModule, loadDsscInfo } from './dssc/run-view.js';
export type { DsscInfo, DsscModuleOptions, DsscModuleSource } from './dssc/run-view.js';
export { XGM_PAD_VALUE, XGM_PULSES, calibrateXgm, getXgm } from './xgm.js';
export type { GetXgmOptions } from './xgm.js';
export { BAM_MNEMONICS, getBam, getBamParams } from './bam.js';
export type { GetBamOptions } from './bam.js';
export { PULSE_DIMS } from './pulse-axis.js';
export * from './digitizers/index.js';
