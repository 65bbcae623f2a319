import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export function formatDataArray(da: DataArray): string { return '<DataArray>'; }
export function htmlDataArray(da: DataArray): string { return todo('html'); }
export function formatDataset(ds: Dataset): string { return '<Dataset>'; }
export function htmlDataset(ds: Dataset): string { return todo('html'); }
