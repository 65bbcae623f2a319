/**
 * scs-toolbox: the SCS ToolBox for TypeScript. The public entry point: the
 * camelCased counterparts of the Python toolbox's run loading (load,
 * get_array, open_run, ...), mnemonics, bunch-pattern, laser and undulator
 * helpers, XGM, BAM and digitizer functions, DSSC binning (DSSCBinner,
 * DSSCFormatter and their helpers and plots), azimuthal integration (the
 * toolbox's integrators, a pyFAI-grade engine, the DSSC 1M geometry), the
 * routines XAS/XMCD, reflectivity and knife-edge with their least-squares
 * fits, the BOZ corrections (flat field, non-linearity), netCDF files and exceptions,
 * with the Python parameters (keyword arguments as one options object,
 * checked at run time), and the spectrometers and cameras (hRIXS and MaranaX, Viking, PES,
 * FastCCD). The lists are explicit on purpose, except for the spectrometer modules, whose
 * index files name their public exports: what is not named here (dtype helpers, sink
 * getters, parsing helpers, tuning knobs) is internal and may change. The
 * synthetic-data generator is the subpath scs-toolbox/synthetic.
 */
import * as plot from './plots/index.js';

export * from './errors.js';
export { checkOptions, mergeOptionNames, optionNames } from './options.js';
export type { OptionNames } from './options.js';
export { packageRoot, toolboxVersion } from './version.js';

// Labeled arrays (xarray)
export { DataArray, Dataset, Slice, align, binEdges, broadcast, concat, fromDict, merge, reindex, roundToBinWidth, slice } from './arrays/index.js';
export type {
  AlignOptions, ArrayData, Labeled, AttrValue, Attrs, BigIntArray, CombineAttrs, ConcatOptions, CoordInput, DType, DataArrayOptions, DataInput, DatasetOptions, Dims,
  FloatDType, GroupBy, GroupByBinsOptions, IntDType, IselIndexer, Join, MergeOptions, NestedArray, NumberArray, NumericDType, Operand, ReduceOptions,
  Scalar, ScalarOf, SelIndexer, SelOptions, TypedData, ValuesByDType, ValuesOf, VariableInput, OneDimReduceOptions, DataArrayParts, DatasetDropnaOptions,
  DictOptions, DropOption, DropnaOptions, ExpandDimsOptions,
} from './arrays/index.js';
export type { DataArrayPlot } from './plots/accessor.js';

// netCDF files (load_xarray, save_xarray)
export { loadXarray, saveAttributesH5, saveXarray } from './io/netcdf.js';
export type { LoadXarrayOptions, SaveXarrayOptions } from './io/netcdf.js';

// Mnemonics
export { MNEMONICS, mnemonicKeyData, mnemonicsForRun, resolveMnemonic } from './mnemonics/index.js';
export type { Mnemonic, MnemonicEntry, MnemonicLike, Provenance, RunSources } from './mnemonics/index.js';

// load(), getArray() and friends
export { checkDataRate, concatenateRuns, getArray, load, loadFromRun, loadRunValues } from './load/index.js';
export type { FieldSpec, Fields, GetArrayOptions, LoadOptions, LoadRunOptions, LoadableRun, RateRun, RoiSpec, RunValuesOptions, RunValuesRun } from './load/index.js';

// Run access (EXtra-data's open_run, RunDirectory, DataCollection, SourceData, KeyData)
export {
  DataCollection, KeyData, SourceData, byId, byIndex, dataRoot, findProposal, findRunPath, openRun, proposalNumber, runByPath, runNumber, validateRun,
} from './run/index.js';
export type {
  ById, ByIndex, ChunkOptions, EntriesChunkOptions, IdLike, Positional, RunData, OpenRunOptions, ReadOptions, RoiItem, RunFiles, RunOptions, RunValue, SingleValueOptions, SourceInfo, SplitOptions,
  TrainSelection, XarrayOptions,
} from './run/index.js';

// Detectors: DSSC modules, XGM, BAM, digitizers
export {
  BAM_MNEMONICS, DIGITIZERS, DSSC_MODULES, digitizerSignalDescription, dsscCorrSource, dsscModuleChunks, dsscModuleFrames, dsscModules, dsscRawSource,
  findIntegParams, getBam, getBamParams, getDigAvgTrace, getDigitizerPeaks, getDsscModule, getLaserPeaks, getOnboardPeaks, getPeaks, getTimPeaks,
  getXgm, loadDsscInfo,
} from './detectors/index.js';
export type {
  AllPulsesView, CalibrateXgmOptions, ChannelSpec, CheckPeakParamsOptions, DigAvgTraceOptions, DigitizerKind, DigitizerName, DigitizerPeaksOptions,
  DsscInfo, DsscModuleChunksOptions, DsscModuleFramesOptions, DsscModuleOptions, DsscModuleSource, FindIntegParamsOptions, GetBamOptions, GetDigitizerPeaksOptions, GetPeaksOptions, GetXgmOptions, IntegParams, OnboardPeaksOptions, PeakParamsCheck, PulseWindowView,
  TraceChannel,
} from './detectors/index.js';
// Spectrometers and cameras: hRIXS/MaranaX, Viking, PES, FastCCD
export * from './detectors/hrixs/index.js';
export * from './detectors/viking/index.js';
export * from './detectors/pes/index.js';
export * from './detectors/fccd/index.js';
// checkPeakParams with its plot (Python's plot=True) replaces the detectors' plain one.
export { checkPeakParams } from './plots/check-peak-params.js';
export type { CheckPeakParamsPlotOptions, PeakParamsCheckWithPlot } from './plots/check-peak-params.js';
// calibrateXgm with its plot (Python's plot=True), likewise.
export { calibrateXgm } from './plots/calibrate-xgm.js';
export type { CalibrateXgmPlotOptions } from './plots/calibrate-xgm.js';

// Bunch pattern, laser and undulator helpers (toolbox_scs.misc)
export {
  PULSE_LOCATIONS, SPEED_OF_LIGHT_MM_PER_PS, UNDULATOR_DEFAULTS, alignOlToFelPId, degToRelPower, delayToPosition, extractBunchPattern,
  fluenceCalibration, getSasePId, getUndulatorConfig, isPpl, isPulseAt, isSase1, isSase3, npulsesHasChanged, plotUndulatorConfig, positionToDelay,
  pulseIdsPerTrain, pulsePatternInfo, repRate, undulatorK, undulatorPhotonEnergy,
} from './misc/index.js';
export type {
  AlignOlOptions, DelayOptions, ExtractedBunchPattern, FluenceCalibration, FluenceOptions, NpulsesOptions, PulseIdsPerTrain, PulseLocation, PulsePatternInfo,
  PulsePatternInfoOptions, RelPowerOptions, RepRateOptions, SasePIdOptions, UndulatorConfigOptions, UndulatorSourceKey,
} from './misc/index.js';

// Rich display and progress; the sink setters are the host side a frontend (the kernel) installs.
export {
  DisplayHandle, MIME_BUNDLE, clearOutput, display, displayProgressSink, isDisplayable, mimeBundleOf, setDisplaySink, setProgressSink, startProgress, trackProgress,
} from './display/index.js';
export type {
  ClearOutputOptions, DisplayOptions, DisplayOutput, DisplaySink, Displayable, MimeBundle, Progress, ProgressSink, ProgressState, StartProgressOptions,
} from './display/index.js';

// Routines: knife-edge (knifeEdge, knifeEdgeBase)
export { knifeEdge, knifeEdgeBase } from './routines/knife-edge/index.js';
export type {
  KnifeEdgeAxisRange, KnifeEdgeBaseOptions, KnifeEdgeFit, KnifeEdgeFitFields, KnifeEdgeFullFit, KnifeEdgeFunction, KnifeEdgeIntensities, KnifeEdgeOptions,
  KnifeEdgePositions, KnifeEdgeRoutineFields,
} from './routines/knife-edge/index.js';

// Routines: DSSC binning (DSSCBinner, DSSCFormatter, masks, darks)
export {
  BINNER_DIMS, DSSCBinner, DSSCFormatter, DSSC_ASIC_PIXELS, DSSC_SHAPE, EXCLUSION_REASONS, createDsscBins, getDataFormatted, getDsscDark,
  getXgmFormatted, loadMask, processDsscData, quickmaskDsscAsic, binningOutcome,
} from './routines/index.js';
export type {
  AsicPosition, Averaging, BinLabel, BinnerDim, BinningSetup, BinsInput, DSSCBinnerInfo, DSSCBinnerOptions, DSSCFormatterOptions, DsscBinningPlan,
  DsscCoordsStride, DsscDarkOptions, DsscFrameCoords, DsscModuleInput, ExclusionReason, Exclusions, FrameMask, GetDataFormattedOptions, LegacyDsscInfo,
  LegacyProcessOptions, LoadMaskOptions, MaskShape, ModuleDark, ModuleFailure, ModuleOutcome, ModuleSummary, BinnerPlanOptions, ProcessDataOptions, ProcessDataSummary, PulseValues,
  CreatePulsemaskOptions, BinnerSetupOptions,
} from './routines/index.js';
// Routines: XAS and XMCD
export { xas, xasxmcd } from './routines/xas/index.js';
export type { XasBins, XasOptions, XasResult, XasXmcdOptions, XasXmcdResult } from './routines/xas/index.js';
// The DSSC plots take the binner's DataArrays (Python: tbdet.plot_binner & co.).
export { binnerCounts, plotBinner, plotBinnerHist, plotHistProcessed, plotXgmThreshold } from './plots/dssc.js';
export type { HistProcessedOptions, XgmThresholdOptions } from './plots/dssc.js';

// Plots as vega-lite specs: tb.plot.line, tb.plot.image, ...
export { plot };

// Azimuthal integration: integrator
export { RadialIntegrator } from './routines/azint/radial-integrator.js';
export { Integrate1dResult, Integrate2dResult, IntegrateStackResult } from './routines/azint/results.js';
export type { IntegrateStackOptions } from './routines/azint/radial-integrator.js';
export type { ErrorModel, IntegrateOptions } from './routines/azint/integrate-options.js';
export type { ImageInput } from './routines/azint/frames.js';
export type { MaskInput, PixelArray } from './routines/azint/preprocess.js';
export type { StackRunOptions } from './routines/azint/stack.js';
export type { IntegrateResultFields, StackLayout } from './routines/azint/results.js';
export type { NumericArray } from './routines/azint/csr-dot.js';

// Azimuthal integration: geometry (pyFAI PONI geometry, units, .poni files)
export { PoniGeometry } from './routines/azint/poni-geometry.js';
export { RADIAL_UNITS, radialUnitInfo } from './routines/azint/units.js';
export type { PositionsOptions } from './routines/azint/poni-geometry.js';
export type { PoniGeometryConfig, PoniGeometryOptions } from './routines/azint/poni-options.js';
export type { PoniTextOptions } from './routines/azint/poni-file.js';
export type { CornerCentres } from './routines/azint/pixel-layout.js';
export type { RadialSpace, RadialUnitInfo } from './routines/azint/units.js';
export type {
  AzimuthalUnit, CsrMatrix, CsrSpec, IntegrationGeometry, PixelPositions, RadialUnit, SplitMethod,
} from './routines/azint/types.js';

// Azimuthal integration: DSSC geometry and toolbox integrators
export { DSSC_1MGeometry } from './detectors/dssc/geometry.js';
export type { DsscGeometryOptions, GeometryConstructorOptions, GeometryFragment, PixelPositionOptions, Vec3 } from './detectors/dssc/geometry.js';
export { AzimuthalIntegrator, AzimuthalIntegratorDSSC, RingIntegrator } from './routines/azint/toolbox-integrators.js';
export type { AzimuthalIntegratorDSSCOptions, AzimuthalIntegratorOptions, RingImageInput, RingReduce } from './routines/azint/toolbox-integrators.js';
export type { RingTable } from './routines/azint/ring-reduce.js';
export { fitCircle, refineCenter } from './routines/azint/refine-center.js';
export type { RefineCenterOptions, RefineCenterResult } from './routines/azint/refine-center.js';
export { dsscPoniGeometry } from './routines/azint/dssc-poni.js';
export type { DsscPoniOptions } from './routines/azint/dssc-poni.js';

// Routines: fitting (scipy.optimize.curve_fit with covariance; used by reflectivity and knife-edge)
export { curveFit } from './routines/fit/curve-fit.js';
export { erf, erfc, erfcx } from './routines/fit/special.js';
export type { CurveFitOptions, CurveFitResult, Model, ModelGradient } from './routines/fit/types.js';

// Routines: reflectivity (transient reflectivity binned on the delay, step and double-exponential fits for t0)
export { reflectivity, FIT_PARAMETERS as REFLECTIVITY_FIT_PARAMETERS, gaussExp } from './routines/reflectivity/index.js';
export type { ReflectivityFitModel, ReflectivityOptions, ReflectivityResult } from './routines/reflectivity/index.js';

// Routines: BOZ params (the parameters class, masks, ROIs, dark inspection)
export { BozParameters, DEFAULT_PLANE_GUESS, parameters } from './routines/boz/parameters.js';
export type { LoadPersistentlyOptions, ModuleLoader, OpenDataOptions, ParametersOptions, SetFlatFieldOptions } from './routines/boz/parameters.js';
export { PARAMETERS_FIELDS, PARAMETERS_VERSION } from './routines/boz/parameters-file.js';
export type { BozParametersState, FitSummary, JsonValue, Threshold } from './routines/boz/parameters-file.js';
export type { BozMask, BozMaskInput } from './routines/boz/mask.js';
export { ASIC_SIZE, DSSC_PITCH_X_UM, DSSC_PITCH_Y_UM, findRois, getRoiPixelPos, roiProjections, runsAbove } from './routines/boz/rois.js';
export type { FindRoisOptions } from './routines/boz/rois.js';
export { findRoisFromParams, inspectRois } from './routines/boz/rois-inspect.js';
export type { InspectRoisOptions, RoisInspection, RoisParams } from './routines/boz/rois-inspect.js';
export { badPixelMap, inspectDark } from './routines/boz/dark.js';
export type { DarkInspection, InspectDarkOptions } from './routines/boz/dark.js';
export type { ModuleImage } from './routines/boz/module-image.js';

// Routines: BOZ data (loadDsscModule, averaging, ROI processing, snr; docs/boz.md)
export { inMemoryModule, loadDsscModule } from './routines/boz/load.js';
export type { LoadDsscModuleOptions, LoadedModule } from './routines/boz/load.js';
export type { ModuleFrames, RawChunk, Roi, Rois, Plane, BeamName } from './routines/boz/types.js';
export { averageModule } from './routines/boz/average.js';
export type { AverageModuleOptions } from './routines/boz/average.js';
export { histogramModule, inspectHistogram } from './routines/boz/histogram.js';
export type { HistogramInspection, HistogramModuleOptions, InspectHistogramOptions } from './routines/boz/histogram.js';
export { process, processModule } from './routines/boz/process.js';
export type { ProcessModuleOptions, ProcessOptions } from './routines/boz/process.js';
export { inspectSaturation } from './routines/boz/saturation.js';
export type { InspectSaturationOptions, SaturationInspection } from './routines/boz/saturation.js';
export { SNR_METHODS, snr } from './routines/boz/snr.js';
export type { SnrMethod, SnrOptions, SnrValue } from './routines/boz/snr.js';
export type { LutInput, ModuleImageInput, ModuleMaskInput } from './routines/boz/inputs.js';

// Routines: BOZ nl (the DSSC non-linearity: lookup table, criteria on per-frame histograms, fit, inspection)
export { nlDomain, nlLut } from './routines/boz/nl-lut.js';
export { nlCrit, nlCritSk, nlCritFromHistograms, nlCritSkFromHistograms } from './routines/boz/nl-crit.js';
export type { NlCritOptions, NlCritHistogramOptions } from './routines/boz/nl-crit.js';
export { nlHistograms } from './routines/boz/nl-histograms.js';
export type { NlHistograms, NlHistogramsOptions } from './routines/boz/nl-histograms.js';
export { nlFit } from './routines/boz/nl-fit.js';
export type { NlFitOptions, NlFitParameters, NlFitProgress, NlFitRes, NlFitResult } from './routines/boz/nl-fit.js';
export { inspectCorrection, inspectCorrectionSk, inspectFnl, inspectNlFit } from './routines/boz/nl-inspect.js';
export type { CorrectionCurve, InspectCorrectionData, InspectCorrectionOptions, InspectCorrectionParameters, InspectCorrectionSkOptions, InspectNlFitData } from './routines/boz/nl-inspect.js';

// Routines: BOZ ff (the zone plate's flat field: planes, plane-fitting domain, plane fit, refinement)
export { computeFlatFieldCorrection, FF_FLOOR } from './routines/boz/flat-field.js';
export type { ComputeFlatFieldOptions } from './routines/boz/flat-field.js';
export { planeFittingDomain } from './routines/boz/plane-fitting-domain.js';
export type { DomainValues, PlaneFittingDomain } from './routines/boz/plane-fitting-domain.js';
export { planeFitting } from './routines/boz/plane-fitting.js';
export type { PlaneFitResult, PlaneFittingOptions } from './routines/boz/plane-fitting.js';
export { inspectFlatFieldDomain, inspectPlaneFitting } from './routines/boz/ff-plot.js';
export type { InspectFlatFieldDomainOptions, InspectPlaneFittingOptions } from './routines/boz/ff-plot.js';
export { FF_REFINE_BINS, ffRefineCrit, ffRefineCritOn, ffRefineErrors } from './routines/boz/ff-refine-crit.js';
export type { FfRefineCritOptions, FfRefineCriterion, FfRefineInput } from './routines/boz/ff-refine-crit.js';
export { FF_DEFAULT_ALPHA, FF_DEFAULT_MAX_ITER, ffRefineFit } from './routines/boz/ff-refine-fit.js';
export type { FfRefineFitOptions, FfRefineProgress, FfRefineResult } from './routines/boz/ff-refine-fit.js';
export { FF_REFINE_MAX_FRAMES } from './routines/boz/ff-data.js';
export type { FfRefineData } from './routines/boz/ff-data.js';
export type { FlatFieldParams, RoiPixelPos, Thresholds } from './routines/boz/ff-params.js';
