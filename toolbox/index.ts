/**
 * scs-toolbox: the SCS ToolBox for TypeScript. The public entry point; every
 * function and class of the Python toolbox has its camelCased counterpart here.
 */
export * from './errors.js';
export { packageRoot, toolboxVersion } from './version.js';
export * from './arrays/index.js';
export { loadXarray, saveXarray, saveAttributesH5 } from './io/netcdf.js';
export type { LoadXarrayOptions, SaveXarrayOptions } from './io/netcdf.js';
export * from './mnemonics/index.js';
export * from './load/index.js';
export * from './run/index.js';
export * from './detectors/index.js';
export * from './misc/index.js';
export * from './display/index.js';
export * from './routines/index.js';
export * as plot from './plots/index.js';
// checkPeakParams with its plot (Python's plot=True) replaces the detectors' plain one.
export { checkPeakParams } from './plots/check-peak-params.js';
export type { CheckPeakParamsPlotOptions, PeakParamsCheckWithPlot } from './plots/check-peak-params.js';
// The DSSC plots take the binner's DataArrays (Python: tbdet.plot_binner & co.).
export { binnerCounts, plotBinner, plotBinnerHist, plotHistProcessed, plotXgmThreshold } from './plots/dssc.js';
export type { HistProcessedOptions, XgmThresholdOptions } from './plots/dssc.js';
