/** Digitizers (ADQ412, FastADC): raw-trace peak integration on the bunch-pattern pulse axis. */
export { DIGITIZERS, digitizerSignalDescription } from './channels.js';
export type { ChannelSpec, DigitizerKind, DigitizerName, TraceChannel } from './channels.js';
export { getDigAvgTrace } from './avg-trace.js';
export type { DigAvgTraceOptions } from './avg-trace.js';
export { findIntegParams } from './params.js';
export type { FindIntegParamsOptions, IntegParams } from './params.js';
export { getPeaks } from './peaks.js';
export type { GetPeaksOptions } from './peaks.js';
export { checkPeakParams } from './check.js';
export type { AllPulsesView, CheckPeakParamsOptions, PeakParamsCheck, PulseWindowView } from './check.js';
export { getDigitizerPeaks, getLaserPeaks, getTimPeaks } from './wrappers.js';
export type { DigitizerPeaksOptions, GetDigitizerPeaksOptions } from './wrappers.js';
export { getOnboardPeaks } from './onboard.js';
export type { OnboardPeaksOptions } from './onboard.js';
