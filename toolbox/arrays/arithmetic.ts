import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'mod' | 'pow';
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type LogicalOp = 'and' | 'or' | 'xor';
export type UnaryOp = 'not' | 'neg' | 'abs' | 'sqrt' | 'exp' | 'log' | 'log10';
export function binary(a: DataArray, b: Operand, op: BinaryOp): DataArray { return todo(op); }
export function compare(a: DataArray, b: Operand | string, op: CompareOp): DataArray { return todo(op); }
export function logical(a: DataArray, b: Operand, op: LogicalOp): DataArray { return todo(op); }
export function unary(a: DataArray, op: UnaryOp): DataArray { return todo(op); }
export function round(a: DataArray, decimals: number): DataArray { return todo('round'); }
export function mapValues(a: DataArray, fn: (v: number) => number): DataArray { return todo('map'); }
export function binaryDataset(a: Dataset, b: Operand | Dataset, op: BinaryOp): Dataset { return todo(op); }
