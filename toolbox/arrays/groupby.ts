import { ToolBoxError } from '../errors.js';
import type { DataArray, Dims, IselIndexer, SelIndexer, SelOptions, ReduceOptions, Operand, CoordInput, Attrs, GroupByBinsOptions, NestedArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
const todo = (what: string): never => { throw new ToolBoxError(`${what} is not implemented yet`); };

export interface GroupBy<T extends DataArray | Dataset> {
  readonly groups: Map<unknown, number[]>;
  sum(options?: ReduceOptions): T;
  mean(options?: ReduceOptions): T;
  std(options?: ReduceOptions): T;
  var(options?: ReduceOptions): T;
  min(options?: ReduceOptions): T;
  max(options?: ReduceOptions): T;
  count(options?: ReduceOptions): T;
  map(fn: (group: T, label: unknown) => T): T;
}
export function groupby<T extends DataArray | Dataset>(obj: T, group: string | DataArray): GroupBy<T> { return todo('groupby'); }
export function groupbyBins<T extends DataArray | Dataset>(obj: T, group: string | DataArray, bins: number[] | ArrayLike<number> | number, options: GroupByBinsOptions): GroupBy<T> { return todo('groupbyBins'); }
