/**
 * The combination step of get_data_formatted: per-module binned Datasets
 * (one module each, the layout processData writes) become one Dataset over
 * 'module', as xr.open_mfdataset(..., join='inner') builds it in Python.
 *
 * Differences from open_mfdataset, chosen so nothing is silently wrong:
 * two inputs holding the same module are an error (xarray would stack them),
 * and variables without a 'module' dim (the binned XGM/TIM, the same for
 * every module) are kept once instead of being repeated per module — after
 * checking that every input agrees on them.
 */
import { concat } from '../../arrays/combine.js';
import { reindex } from '../../arrays/align.js';
import { sameVariable } from '../../arrays/common.js';
import type { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';

/** The dims of a combined result, in the order Python's get_data_formatted returns. */
export const FORMATTED_DIMS = ['trainId', 'pulse', 'module', 'x', 'y'] as const;

export interface ModuleInput {
  ds: Dataset;
  /** Where it came from (file name or 'dataList[3]'), for messages. */
  source: string;
}

/** The module numbers an input holds (from its 'module' coordinate). */
export function modulesOf(input: ModuleInput): number[] {
  const { ds, source } = input;
  if (!('module' in ds.sizes)) {
    throw new ToolBoxValueError(`${source} has no 'module' dimension (dims: ${Object.keys(ds.sizes).join(', ') || 'none'}); module files keep a 'module' dim of length 1`);
  }
  const c = ds.coords.module;
  if (!c) throw new ToolBoxValueError(`${source} has a 'module' dimension but no 'module' coordinate saying which module it holds`);
  return Array.from(c.values as ArrayLike<number | bigint>, Number);
}

/** Sort by module, refusing a module held twice. */
function sortByModule(inputs: ModuleInput[]): ModuleInput[] {
  const owner = new Map<number, string>();
  const keyed = inputs.map((input) => {
    const mods = modulesOf(input);
    for (const m of mods) {
      const other = owner.get(m);
      if (other !== undefined) throw new ToolBoxValueError(`module ${m} is in both ${other} and ${input.source}; combine each module once`);
      owner.set(m, input.source);
    }
    return { input, first: Math.min(...mods) };
  });
  return keyed.sort((a, b) => a.first - b.first).map((k) => k.input);
}

/** Variables without a 'module' dim must agree between inputs on the labels all of them have. */
function sharedVariable(name: string, inputs: ModuleInput[], coords: Record<string, DataArray>): DataArray {
  const onCommon = (v: DataArray): DataArray => {
    const idx: Record<string, DataArray> = {};
    for (const d of v.dims) if (coords[d]) idx[d] = coords[d];
    return reindex(v, idx);
  };
  const first = onCommon(inputs[0].ds.get(name));
  for (const input of inputs.slice(1)) {
    if (!input.ds.has(name)) throw new ToolBoxValueError(`variable '${name}' is in ${inputs[0].source} but missing from ${input.source}`);
    if (!sameVariable(first, onCommon(input.ds.get(name)))) {
      throw new ToolBoxValueError(`variable '${name}' differs between ${inputs[0].source} and ${input.source}: were they binned from the same run with the same binners?`);
    }
  }
  return first;
}

/** Module files of different runs never belong together, whatever their bins. */
function checkSameRun(inputs: ModuleInput[]): void {
  for (const key of ['proposal', 'run']) {
    const first = inputs.find((i) => key in i.ds.attrs);
    if (!first) continue;
    const other = inputs.find((i) => key in i.ds.attrs && String(i.ds.attrs[key]) !== String(first.ds.attrs[key]));
    if (other) throw new ToolBoxValueError(`${first.source} is ${key} ${String(first.ds.attrs[key])} but ${other.source} is ${key} ${String(other.ds.attrs[key])}: module files of different runs cannot be combined`);
  }
}

/**
 * One Dataset over 'module' (sorted), inner-joined on the other index
 * coordinates, transposed to (trainId, pulse, module, x, y) (dims present;
 * others after), attributes cleared as Python's get_data_formatted does.
 */
export function combineModules(inputs: ModuleInput[]): Dataset {
  if (inputs.length === 0) throw new ToolBoxValueError('nothing to combine: no module files or datasets given');
  const sorted = sortByModule(inputs);
  checkSameRun(sorted);
  const first = sorted[0].ds;
  const perModule = first.dataVars.filter((n) => first.get(n).dims.includes('module'));
  const shared = first.dataVars.filter((n) => !perModule.includes(n));
  const parts = sorted.map(({ ds, source }) => {
    for (const n of perModule) {
      if (!ds.has(n)) throw new ToolBoxValueError(`variable '${n}' is in ${sorted[0].source} but missing from ${source}`);
    }
    const extra = ds.dataVars.filter((n) => !first.has(n));
    if (extra.length) throw new ToolBoxValueError(`${source} has variables ${extra.join(', ')} that ${sorted[0].source} lacks`);
    return ds.dropVars(shared.filter((n) => ds.has(n)));
  });
  let combined = concat(parts, 'module', { join: 'inner' });
  const vars: Record<string, DataArray> = {};
  for (const n of shared) vars[n] = sharedVariable(n, sorted, combined.coords);
  if (shared.length) combined = combined.assign(vars);
  const order = FORMATTED_DIMS.filter((d) => d in combined.sizes);
  combined = combined.transpose(...order, '...');
  // Python clears the Dataset's attributes (per-module ones would be wrong for the whole); variables keep theirs.
  return Dataset.fromParts(new Map(combined.dataVars.map((n) => [n, combined.variable(n)] as [string, DataArray])), combined.coords, {});
}
