/**
 * Aggregating hRIXS datasets (Python's aggregator / aggregate /
 * aggregate_ds / normalize): images, spectra, normalisations and frame
 * counts are summed, delays and energies averaged, variables without an
 * aggregator dropped; with a variable, per group of its values first
 * (docs/hrixs.md, Aggregation).
 */
import { concat } from '../../arrays/combine.js';
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ParameterError, VariableNameError } from '../../errors.js';

/** Reduces one variable over `dim`. */
export type Aggregator = (da: DataArray, dim: string) => DataArray;

const sum: Aggregator = (da, dim) => da.sum(dim);
const mean: Aggregator = (da, dim) => da.mean(dim);

/** The Python class's aggregators, plus MaranaX's image and the mono energy. */
export function defaultAggregators(): Record<string, Aggregator> {
  return {
    hRIXS_det: sum, MaranaX: sum, Delay: mean, hRIXS_delay: mean, hRIXS_norm: sum, spectrum: sum, dbl_spectrum: sum,
    total: sum, dbl_total: sum, counts: sum, nrj: mean,
  };
}

function needVar(ds: Dataset, name: string, parameter: string): void {
  if (!ds.has(name)) {
    const available = [...ds.dataVars, ...Object.keys(ds.coords)];
    throw new VariableNameError(`${parameter} '${name}' is not a variable of the dataset (it has ${available.join(', ')})`, { variable: name, available, suggestions: [] });
  }
}

/** Aggregate every variable that has an aggregator over `dim`; the others are dropped. */
export function aggregateDataset(ds: Dataset, aggregators: Record<string, Aggregator>, dim: string): Dataset {
  if (!(dim in ds.sizes)) throw new ParameterError(`dim '${dim}' is not a dimension of the dataset (it has ${Object.keys(ds.sizes).join(', ')})`, { parameter: 'dim', value: dim, expected: Object.keys(ds.sizes) });
  const out: Record<string, DataArray> = {};
  for (const name of ds.dataVars) {
    const agg = aggregators[name];
    const v = ds.get(name);
    if (agg && v.dims.includes(dim)) out[name] = agg(v, dim);
  }
  return new Dataset(out, { attrs: ds.attrs });
}

/** With `counts` (ones over dim) added; grouped by the values of `variable` (NaN dropped) when given. */
export function aggregateGrouped(ds: Dataset, aggregators: Record<string, Aggregator>, variable: string | null, dim: string): Dataset {
  needVar(ds, dim, 'dim');
  const n = ds.sizes[dim];
  const withCounts = ds.assign({ counts: new DataArray(new Float64Array(n).fill(1), { dims: [dim], coords: { [dim]: ds.get(dim) } }) });
  if (variable === null) return aggregateDataset(withCounts, aggregators, dim);
  needVar(ds, variable, 'var');
  const by = ds.get(variable);
  if (by.dims.length !== 1 || by.dims[0] !== dim) throw new ParameterError(`var '${variable}' has dims (${by.dims.join(', ')}); grouping needs one value per ${dim}`, { parameter: 'var', value: variable });
  const values = Array.from(by.values as ArrayLike<number>, Number);
  const groups = [...new Set(values.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const parts = groups.map((g) => {
    const idx = values.flatMap((v, i) => (v === g ? [i] : []));
    const agg = aggregateDataset(withCounts.isel({ [dim]: idx }), aggregators, dim);
    return agg.has(variable) && agg.dataVars.includes(variable) ? agg.dropVars(variable) : agg;
  });
  return concat(parts, new DataArray(Float64Array.from(groups), { dims: [variable], name: variable }), { coords: 'minimal' });
}

/** data with `normalized` = spectrum / data[which]. */
export function normalizeDataset(data: Dataset, which: string): Dataset {
  needVar(data, 'spectrum', 'spectrum');
  needVar(data, which, 'which');
  return data.assign({ normalized: data.get('spectrum').div(data.get(which)) });
}
