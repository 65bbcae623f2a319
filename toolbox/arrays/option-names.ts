/**
 * The run-time option names of the labeled-array API, one list per options
 * type, for `checkOptions` (toolbox/options.ts) on entry of every public
 * DataArray/Dataset method and arrays function that takes options.
 */
import { type OptionNames, mergeOptionNames, optionNames } from '../options.js';
import type { DataArrayOptions, GroupByBinsOptions, ReduceOptions, SelOptions } from './dataarray.js';
import type { DatasetOptions } from './dataset.js';
import type { AlignOptions } from './align.js';
import type { ConcatOptions } from './combine.js';
import type { MergeOptions } from './merge.js';

/** Options of isel, squeeze and resetCoords. */
export interface DropOption {
  /** Drop the coordinates indexed by scalars (isel, squeeze) or the non-index coordinates (resetCoords). */
  drop?: boolean;
}
/** Options of DataArray.dropna. */
export interface DropnaOptions {
  /** Drop a label when any (default) or all of its values are missing. */
  how?: 'any' | 'all';
  /** Keep a label with at least this many non-missing values (overrides `how`). */
  thresh?: number;
}
/** Options of Dataset.dropna. */
export interface DatasetDropnaOptions extends DropnaOptions {
  /** Only these data variables are looked at. */
  subset?: string[];
}
/** Options of expandDims. */
export interface ExpandDimsOptions {
  /** Position(s) of the new dims (default first). */
  axis?: number | number[];
}
/** Options of toDict. */
export interface DictOptions {
  /** Include the values (default); false gives dtype and shape instead, like xarray. */
  data?: boolean;
}
/** Options of reindex. */
export interface ReindexOptions {
  /** Value at new labels (default NaN). */
  fillValue?: number;
}
/** Options of broadcast. */
export interface BroadcastOptions {
  /** Dims left alone. */
  exclude?: string[];
}

export const DATAARRAY_OPTIONS = optionNames<DataArrayOptions>({ dims: true, coords: true, attrs: true, name: true, dtype: true, shape: true, encoding: true });
export const DATASET_OPTIONS = optionNames<DatasetOptions>({ coords: true, attrs: true });
export const SEL_OPTIONS = optionNames<SelOptions>({ method: true, tolerance: true, drop: true });
export const DROP_OPTION = optionNames<DropOption>({ drop: true });
export const DROPNA_OPTIONS = optionNames<DropnaOptions>({ how: true, thresh: true });
export const DATASET_DROPNA_OPTIONS = mergeOptionNames<DatasetDropnaOptions>(DROPNA_OPTIONS, optionNames<{ subset?: string[] }>({ subset: true }));
export const EXPAND_DIMS_OPTIONS = optionNames<ExpandDimsOptions>({ axis: true });
export const DICT_OPTIONS = optionNames<DictOptions>({ data: true });
export const REDUCE_OPTIONS = optionNames<ReduceOptions>({ dim: true, skipna: true, ddof: true, minCount: true, keepAttrs: true });
export const GROUPBY_BINS_OPTIONS = optionNames<GroupByBinsOptions>({ right: true, includeLowest: true, labels: true, restoreCoordOrder: true });
export const ALIGN_OPTIONS = optionNames<AlignOptions>({ join: true, exclude: true, fillValue: true });
export const REINDEX_OPTIONS = optionNames<ReindexOptions>({ fillValue: true });
export const BROADCAST_OPTIONS = optionNames<BroadcastOptions>({ exclude: true });
export const CONCAT_OPTIONS = optionNames<ConcatOptions>({ join: true, fillValue: true, coords: true, compat: true, combineAttrs: true });
export const MERGE_OPTIONS = optionNames<MergeOptions>({ join: true, compat: true, fillValue: true, combineAttrs: true });

export type { OptionNames };
