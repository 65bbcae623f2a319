import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export function isnull(da: DataArray): DataArray { return todo('isnull'); }
export function notnull(da: DataArray): DataArray { return todo('notnull'); }
export function where(da: DataArray, cond: DataArray | boolean, other?: Operand): DataArray { return todo('where'); }
export function fillna(da: DataArray, value: Operand): DataArray { return todo('fillna'); }
export function dropna(da: DataArray, dim: string, options: { how?: 'any' | 'all'; thresh?: number }): DataArray { return todo('dropna'); }
export function whereDataset(ds: Dataset, cond: DataArray | boolean, other?: Operand): Dataset { return todo('where'); }
export function fillnaDataset(ds: Dataset, value: Operand): Dataset { return todo('fillna'); }
export function dropnaDataset(ds: Dataset, dim: string, options: { how?: 'any' | 'all'; thresh?: number; subset?: string[] }): Dataset { return todo('dropna'); }
