import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export function transpose(da: DataArray, dims: string[]): DataArray { return todo('transpose'); }
export function squeeze(da: DataArray, dim: Dims | undefined, options: { drop?: boolean }): DataArray { return todo('squeeze'); }
export function expandDims(da: DataArray, dim: Dims | Record<string, number>, options: { axis?: number | number[] }): DataArray { return todo('expandDims'); }
export function assignCoords(da: DataArray, coords: Record<string, CoordInput>): DataArray { return todo('assignCoords'); }
export function rename(da: DataArray, nameOrMapping: string | null | Record<string, string>): DataArray { return todo('rename'); }
export function swapDims(da: DataArray, mapping: Record<string, string>): DataArray { return todo('swapDims'); }
export function resetCoords(da: DataArray, names: Dims | undefined, options: { drop?: boolean }): DataArray { return todo('resetCoords'); }
export function dropVars(da: DataArray, names: Dims): DataArray { return todo('dropVars'); }
export function assignCoordsDataset(ds: Dataset, coords: Record<string, CoordInput>): Dataset { return todo('assignCoords'); }
export function dropVarsDataset(ds: Dataset, names: Dims): Dataset { return todo('dropVars'); }
export function renameDataset(ds: Dataset, mapping: Record<string, string>): Dataset { return todo('rename'); }
export function swapDimsDataset(ds: Dataset, mapping: Record<string, string>): Dataset { return todo('swapDims'); }
export function transposeDataset(ds: Dataset, dims: string[]): Dataset { return todo('transpose'); }
export function squeezeDataset(ds: Dataset, dim: Dims | undefined, options: { drop?: boolean }): Dataset { return todo('squeeze'); }
export function expandDimsDataset(ds: Dataset, dim: Dims | Record<string, number>, options: { axis?: number | number[] }): Dataset { return todo('expandDims'); }
export function setCoords(ds: Dataset, names: Dims): Dataset { return todo('setCoords'); }
export function resetCoordsDataset(ds: Dataset, names: Dims | undefined, options: { drop?: boolean }): Dataset { return todo('resetCoords'); }
