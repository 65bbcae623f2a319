/** FastCCD: pump-probe binning, masks, azimuthal integration (issue 21; docs/fastccd.md). */
export { FastCCD } from './fastccd.js';
export type {
  AzimuthalIntOptions, FastCCDBinningOptions, FastCCDOptions, LoadBinnedOptions, LoadMaskOptions, OpenRunOptions as FastCCDOpenRunOptions,
  PlotAzimuthalIntOptions, PlotFastCCDOptions, SaveOptions as FastCCDSaveOptions, XgmFilterOptions, XgmHistOptions,
} from './fastccd.js';
export type { ScanVariable } from './scan.js';
