/** Routines: analyses built on the detectors (Python: toolbox_scs.routines). */
export {
  BINNER_DIMS, DSSCBinner, DSSCFormatter, DSSC_ASIC_PIXELS, DSSC_SHAPE, EXCLUSION_REASONS, createDsscBins, getDataFormatted, getDsscDark,
  getXgmFormatted, loadMask, processDsscData, quickmaskDsscAsic, binningOutcome,
} from './dssc/index.js';
export type {
  AsicPosition, Averaging, BinLabel, BinnerDim, BinningSetup, BinsInput, DSSCBinnerInfo, DSSCBinnerOptions, DSSCFormatterOptions, DsscBinningPlan,
  DsscCoordsStride, DsscDarkOptions, DsscFrameCoords, DsscModuleInput, ExclusionReason, Exclusions, FrameMask, GetDataFormattedOptions, LegacyDsscInfo,
  LegacyProcessOptions, LoadMaskOptions, MaskShape, ModuleDark, ModuleFailure, ModuleOutcome, ModuleSummary, ProcessDataOptions, ProcessDataSummary, PulseValues,
  BinnerPlanOptions, CreatePulsemaskOptions, BinnerSetupOptions,
} from './dssc/index.js';
