import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

import type { Join } from './align.js';
export interface ConcatOptions { join?: Join; fillValue?: number; coords?: 'minimal' | 'different' | 'all'; compat?: 'equals' | 'override'; combineAttrs?: 'override' | 'drop' | 'identical' | 'no_conflicts' | 'drop_conflicts' }
export interface MergeOptions { join?: Join; compat?: 'no_conflicts' | 'equals' | 'identical' | 'broadcast_equals' | 'override'; fillValue?: number; combineAttrs?: 'override' | 'drop' | 'identical' | 'no_conflicts' | 'drop_conflicts' }
/** xarray.concat: join along an existing dimension or a new one (a name, or a DataArray giving its coordinate). */
export function concat<T extends DataArray | Dataset>(objs: T[], dim: string | DataArray, options: ConcatOptions = {}): T { return todo('concat'); }
/** xarray.merge. */
export function merge(objs: Array<Dataset | DataArray>, options: MergeOptions = {}): Dataset { return todo('merge'); }
