import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export type ReduceOp = 'sum' | 'mean' | 'std' | 'var' | 'min' | 'max' | 'count' | 'prod' | 'median' | 'any' | 'all' | 'argmin' | 'argmax';
export function reduce(da: DataArray, op: ReduceOp, dim?: Dims | null | ReduceOptions, options?: ReduceOptions): DataArray { return todo(op); }
export function reduceDataset(ds: Dataset, op: ReduceOp, dim?: Dims | null | ReduceOptions, options?: ReduceOptions): Dataset { return todo(op); }
