/** FastCCD: pump-probe binning, masks, azimuthal integration (issue 21; docs/fastccd.md). */
export { FastCCD } from './fastccd.js';
export type {
  FastCCDAzimuthalIntOptions, FastCCDOptions, FastCCDLoadBinnedOptions, FastCCDLoadMaskOptions, FastCCDOpenRunOptions,
  FastCCDPlotAzimuthalIntOptions, PlotFastCCDOptions, FastCCDSaveOptions, FastCCDXgmFilterOptions, FastCCDXgmHistOptions,
} from './fastccd.js';
export type { FastCCDBinningOptions } from './binning.js';
export type { FastCCDPixelMap } from './pixel-maps.js';
export type { FastCCDScanValues, FastCCDScanVariable, FastCCDXgmPulses } from './scan.js';
