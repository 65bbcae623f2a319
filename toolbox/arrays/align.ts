import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export type Join = 'inner' | 'outer' | 'left' | 'right' | 'exact' | 'override';
export interface AlignOptions { join?: Join; exclude?: string[]; fillValue?: number }
/** xarray.align: the objects with index coordinates made equal per join. */
export function align<T extends DataArray | Dataset>(objs: T[], options: AlignOptions = {}): T[] { return todo('align'); }
/** xarray.broadcast: the objects broadcast against each other by dimension name. */
export function broadcast<T extends DataArray | Dataset>(objs: T[]): T[] { return todo('broadcast'); }
export function reindex<T extends DataArray | Dataset>(obj: T, indexers: Record<string, DataArray | ArrayLike<unknown>>, options: { fillValue?: number } = {}): T { return todo('reindex'); }
