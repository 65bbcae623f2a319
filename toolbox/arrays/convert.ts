import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export function toNested(da: DataArray): NestedArray { return todo('toArray'); }
export function toDict(da: DataArray, options: { data?: boolean; json?: boolean }): Record<string, unknown> { return todo('toDict'); }
export function toDictDataset(ds: Dataset, options: { data?: boolean; json?: boolean }): Record<string, unknown> { return todo('toDict'); }
