/** Labeled arrays: the xarray layer of the toolbox. */
export type { ArrayData, BigIntArray, DType, FloatDType, IntDType, NumberArray, NumericDType, Scalar, ScalarOf, TypedData, ValuesByDType, ValuesOf } from './dtype.js';
export { Slice, slice } from './slice.js';
export { DataArray } from './dataarray.js';
export type { AttrValue, Attrs, CoordInput, DataArrayOptions, DataArrayParts, DataInput, Dims, IselIndexer, NestedArray, OneDimReduceOptions, Operand, ReduceOptions, SelIndexer, SelOptions, GroupByBinsOptions } from './dataarray.js';
export { Dataset } from './dataset.js';
export type { DatasetOptions, VariableInput } from './dataset.js';
export { align, broadcast, reindex } from './align.js';
export type { AlignOptions, Join, Labeled } from './align.js';
export { concat, merge } from './combine.js';
export type { ConcatOptions, MergeOptions } from './combine.js';
export type { CombineAttrs } from './combine-attrs.js';
export type { GroupBy } from './groupby.js';
export { fromDict } from './convert.js';
export { binEdges, roundToBinWidth } from './scan-bins.js';
export type { DatasetDropnaOptions, DictOptions, DropOption, DropnaOptions, ExpandDimsOptions } from './option-names.js';
