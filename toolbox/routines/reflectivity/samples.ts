/**
 * The samples of a reflectivity measurement: one per (pumped, unpumped)
 * pair, or per pulse when everything is pumped, each with its Io, Ir and
 * delay (docs/routines.md, Reflectivity: schemes).
 */
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { ParameterError, ToolBoxValueError, VariableNameError } from '../../errors.js';

/** How pumped and unpumped shots are told apart. */
export type ReflectivityScheme = 'alternatePulses' | 'alternateTrains' | 'pumpedOnly';

/** Io/Ir of the pumped shot (and the unpumped one it is paired with) plus the delay, one entry per sample. */
export interface ReflectivitySamples {
  irP: Float64Array; ioP: Float64Array; irU: Float64Array; ioU: Float64Array; delay: Float64Array;
}

/** data[key], or a VariableNameError listing what the Dataset has. */
export function variable(data: Dataset, key: string, option: string): DataArray {
  if (data.has(key)) return data.get(key);
  const available = [...data.dataVars, ...Object.keys(data.coords)];
  throw new VariableNameError(`reflectivity: ${option} '${key}' is not in the dataset; it has ${available.join(', ') || '(nothing)'}`, {
    variable: key, available, suggestions: available.filter((n) => n.toLowerCase().includes(key.toLowerCase().slice(0, 6))),
  });
}

/** Values in C order of dims [trainId, pulse] as float64. */
function grid(da: DataArray, dims: readonly string[]): Float64Array {
  return Float64Array.from(da.transpose(...dims).values as ArrayLike<number>, Number);
}

interface Table { io: Float64Array; ir: Float64Array; delay: Float64Array; trains: number[]; pulses: number; dims: readonly string[] }

/** Io, Ir and delay on a common [trainId, pulse] grid; the delay broadcast over pulses when it is per train. */
function table(io: DataArray, ir: DataArray, delay: DataArray, keys: { iokey: string; irkey: string; delaykey: string }): Table {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d) => b.includes(d));
  if (!same(io.dims, ir.dims)) {
    throw new ToolBoxValueError(`reflectivity: ${keys.iokey} has dims (${io.dims.join(', ')}) but ${keys.irkey} has (${ir.dims.join(', ')}); they must share dimensions`);
  }
  if (!io.dims.includes('trainId') || io.ndim > 2) {
    throw new ToolBoxValueError(`reflectivity: ${keys.iokey} must have dims (trainId) or (trainId, pulse dim), got (${io.dims.join(', ')})`);
  }
  const dims = ['trainId', ...io.dims.filter((d) => d !== 'trainId')];
  const pulses = dims.length > 1 ? io.sizes[dims[1]] : 1;
  const trains = Array.from((io.coords.trainId?.values ?? []) as ArrayLike<number | bigint>, Number);
  if (trains.length !== io.sizes.trainId) throw new ToolBoxValueError(`reflectivity: ${keys.iokey} has no trainId coordinate`);
  let d: Float64Array;
  if (same(delay.dims, dims)) d = grid(delay, dims);
  else if (delay.ndim === 1 && delay.dims[0] === 'trainId') {
    const perTrain = grid(delay, ['trainId']);
    d = new Float64Array(trains.length * pulses).map((_, i) => perTrain[Math.floor(i / pulses)]);
  } else {
    throw new ToolBoxValueError(`reflectivity: ${keys.delaykey} has dims (${delay.dims.join(', ')}); it must be per train (trainId) or per pulse like ${keys.iokey} (${dims.join(', ')})`);
  }
  return { io: grid(io, dims), ir: grid(ir, dims), delay: d, trains, pulses, dims };
}

/** Index pairs (pumped, unpumped) into the flat [trainId, pulse] grid. */
function pairs(t: Table, scheme: ReflectivityScheme, pumpOnEven: boolean): [number, number][] {
  const out: [number, number][] = [];
  if (scheme === 'pumpedOnly') {
    for (let i = 0; i < t.io.length; i++) out.push([i, i]);
  } else if (scheme === 'alternatePulses') {
    if (t.pulses < 2) {
      throw new ParameterError(`reflectivity: alternating pulses need at least two pulses per train, but the data have ${t.dims.length > 1 ? `${t.pulses} along ${t.dims[1]}` : 'one value per train'}; use alternateTrains or pumpedOnly`, { parameter: 'alternateTrains', value: false });
    }
    for (let r = 0; r < t.trains.length; r++) for (let k = 0; k + 1 < t.pulses; k += 2) out.push([r * t.pulses + k, r * t.pulses + k + 1]);
  } else {
    if (t.trains.length < 2) throw new ParameterError(`reflectivity: alternateTrains needs pumped and unpumped trains, but the data have ${t.trains.length} train${t.trains.length === 1 ? '' : 's'}`, { parameter: 'alternateTrains', value: true });
    const row = new Map(t.trains.map((id, r) => [id, r]));
    t.trains.forEach((id, r) => {
      const next = row.get(id + 1);
      if ((id % 2 === 0) !== pumpOnEven || next === undefined) return;
      for (let k = 0; k < t.pulses; k++) out.push([r * t.pulses + k, next * t.pulses + k]);
    });
    if (!out.length) {
      throw new ParameterError(`reflectivity: alternateTrains found no ${pumpOnEven ? 'even' : 'odd'} (pumped) train followed by an unpumped one among ${t.trains.length} trains`, { parameter: 'alternateTrains', value: true });
    }
  }
  return out;
}

/** The samples of `data` under `scheme`; in the train scheme a pair takes the pumped train's delay. */
export function reflectivitySamples(data: Dataset, keys: { iokey: string; irkey: string; delaykey: string }, scheme: ReflectivityScheme, pumpOnEven: boolean): ReflectivitySamples {
  const t = table(variable(data, keys.iokey, 'iokey'), variable(data, keys.irkey, 'irkey'), variable(data, keys.delaykey, 'delaykey'), keys);
  const ps = pairs(t, scheme, pumpOnEven);
  const pick = (src: Float64Array, which: 0 | 1) => Float64Array.from(ps, (p) => src[p[which]]);
  return { irP: pick(t.ir, 0), ioP: pick(t.io, 0), irU: pick(t.ir, 1), ioU: pick(t.io, 1), delay: pick(t.delay, 0) };
}
