/** Detectors: DSSC 1M module access (more detectors come with the DIAG issue). */
export { DSSC_MODULES, dsscCorrSource, dsscModuleChunks, dsscModules, dsscRawSource, getDsscModule, loadDsscInfo } from './dssc/run-view.js';
export type { DsscInfo, DsscModuleOptions, DsscModuleSource } from './dssc/run-view.js';
export { calibrateXgm, getXgm } from './xgm.js';
export type { GetXgmOptions } from './xgm.js';
export { BAM_MNEMONICS, getBam, getBamParams } from './bam.js';
export type { GetBamOptions } from './bam.js';
export { checkPeakParams, digitizerSignalDescription, findIntegParams, getDigAvgTrace, getDigitizerPeaks, getLaserPeaks, getOnboardPeaks, getPeaks, getTimPeaks } from './digitizers/index.js';
export type {
  ChannelSpec, CheckPeakParamsOptions, DigAvgTraceOptions, DigitizerKind, DigitizerPeaksOptions, FindIntegParamsOptions, GetPeaksOptions, IntegParams,
  OnboardPeaksOptions, PeakParamsCheck, PulseWindowView, TraceChannel,
} from './digitizers/index.js';
