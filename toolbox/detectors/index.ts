/** Detectors: DSSC 1M module access (more detectors come with the DIAG issue). */
export { DSSC_MODULES, dsscCorrSource, dsscModuleChunks, dsscModuleFrames, dsscModules, dsscRawSource, getDsscModule, loadDsscInfo } from './dssc/run-view.js';
export type { DsscInfo, DsscModuleChunksOptions, DsscModuleFramesOptions, DsscModuleOptions, DsscModuleSource } from './dssc/run-view.js';
export { calibrateXgm, getXgm } from './xgm.js';
export type { CalibrateXgmOptions, GetXgmOptions } from './xgm.js';
export { BAM_MNEMONICS, getBam, getBamParams } from './bam.js';
export type { GetBamOptions } from './bam.js';
export { DIGITIZERS, checkPeakParams, digitizerSignalDescription, findIntegParams, getDigAvgTrace, getDigitizerPeaks, getLaserPeaks, getOnboardPeaks, getPeaks, getTimPeaks } from './digitizers/index.js';
export type {
  AllPulsesView, ChannelSpec, CheckPeakParamsOptions, DigAvgTraceOptions, DigitizerKind, DigitizerName, DigitizerPeaksOptions, FindIntegParamsOptions,
  GetDigitizerPeaksOptions, GetPeaksOptions, IntegParams,
  OnboardPeaksOptions, PeakParamsCheck, PulseWindowView, TraceChannel,
} from './digitizers/index.js';
// Spectrometers and cameras (issue 21)
export * from './hrixs/index.js';
export * from './viking/index.js';
export * from './pes/index.js';
export * from './fccd/index.js';
