/** DSSC binning (Python: toolbox_scs.routines DSSCBinner and friends). */
export { BINNER_DIMS, createDsscBins } from './bins.js';
export type { BinLabel, BinnerDim, BinsInput } from './bins.js';
export { DSSCBinner, processDsscData } from './binner.js';
export type { DSSCBinnerInfo, DSSCBinnerOptions } from './binner.js';
export type { DsscBinningPlan, DsscModuleInput } from './binning-plan.js';
export type { ModuleSummary, ProcessDataOptions, ProcessDataSummary } from './process.js';
export { EXCLUSION_REASONS } from './plan.js';
export type { Averaging, ExclusionReason, Exclusions } from './plan.js';
export type { DsscCoordsStride } from './stride.js';
export { getDsscDark } from './dark-run.js';
export type { DsscDarkOptions } from './dark-run.js';
export { DSSCFormatter, getDataFormatted } from './formatter.js';
export type { DSSCFormatterOptions, GetDataFormattedOptions } from './formatter.js';
export { getXgmFormatted } from './formatted-xgm.js';
export type { DsscFrameCoords } from './formatted-xgm.js';
export { DSSC_ASIC_PIXELS, DSSC_SHAPE, loadMask, quickmaskDsscAsic } from './mask.js';
export type { AsicPosition, LoadMaskOptions, MaskShape } from './mask.js';
