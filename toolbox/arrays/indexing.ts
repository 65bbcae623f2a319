import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export function isel(da: DataArray, indexers: Record<string, IselIndexer>, options: { drop?: boolean }): DataArray { return todo('isel'); }
export function sel(da: DataArray, indexers: Record<string, SelIndexer>, options: SelOptions): DataArray { return todo('sel'); }
export function head(da: DataArray, n: Record<string, number> | number): DataArray { return todo('head'); }
export function tail(da: DataArray, n: Record<string, number> | number): DataArray { return todo('tail'); }
export function iselDataset(ds: Dataset, indexers: Record<string, IselIndexer>, options: { drop?: boolean }): Dataset { return todo('isel'); }
export function selDataset(ds: Dataset, indexers: Record<string, SelIndexer>, options: SelOptions): Dataset { return todo('sel'); }
