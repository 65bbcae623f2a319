/**
 * concatenateRuns: several runs' Datasets (e.g. from load()) joined along
 * trainId in train order, as the Python toolbox does: the variables must be
 * the same in every run, and each attribute becomes the list of the runs'
 * values, so the result still says which run contributed what.
 */
import { concat } from '../arrays/combine.js';
import type { AttrValue } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
import { ParameterError, ToolBoxValueError } from '../errors.js';

function firstTrain(ds: Dataset, i: number): number {
  const ids = ds.coords.trainId;
  if (!ids || ids.size === 0) throw new ToolBoxValueError(`run ${i} has no trainId coordinate (or no trains); concatenateRuns joins along trainId`);
  return Number(ids.values[0]);
}

export function concatenateRuns(runs: Dataset[]): Dataset {
  if (runs.length === 0) throw new ParameterError('concatenateRuns needs at least one Dataset', { parameter: 'runs', value: runs });
  const ordered = runs.map((ds, i) => ({ ds, i, t: firstTrain(ds, i) })).sort((a, b) => a.t - b.t);
  const names = [...ordered[0].ds.dataVars].sort().join(', ');
  for (const { ds, i } of ordered) {
    const these = [...ds.dataVars].sort().join(', ');
    if (these !== names) {
      throw new ToolBoxValueError(`data variables differ between runs, cannot combine: run ${ordered[0].i} has (${names}) but run ${i} has (${these})`);
    }
  }
  const joined = concat(ordered.map((o) => o.ds), 'trainId');
  const attrs: Record<string, AttrValue> = {};
  for (const k of Object.keys(ordered[0].ds.attrs)) attrs[k] = ordered.map((o) => o.ds.attrs[k] ?? null);
  return joined.assignAttrs(attrs);
}
