/**
 * What FastCCD binning needs besides the frames, read per train: the scan
 * variable (rounded to the bin step), pumped or not (the SCS pump-probe laser
 * bit of the bunch pattern) and the SASE3 XGM pulse energies.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { roundToBinWidth } from '../../arrays/scan-bins.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { getArray } from '../../load/load.js';
import { wordHasPulse } from '../../misc/bunch-pattern-bits.js';
import { positionToDelay } from '../../misc/laser.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import type { DataCollection } from '../../run/data-collection.js';
import { getXgm } from '../xgm.js';

/** A scan variable: a mnemonic name or a custom {source, key}. */
export type FastCCDScanVariable = string | { source: string; key: string };

/** Per train: the scan value (rounded; NaN when unusable). */
export interface FastCCDScanValues {
  name: string;
  trainIds: BigUint64Array;
  values: Float64Array;
}

function describeVariable(vname: FastCCDScanVariable): string {
  return typeof vname === 'string' ? `'${vname}'` : `{source: '${vname.source}', key: '${vname.key}'}`;
}

/**
 * The scan variable rounded to multiples of `bins` (numpy's half-to-even, as
 * Python's bins·round(v/bins)); PP800_DelayLine is turned into a delay in ps
 * first, `positionToDelay(v, {origin: t0})`, as the Python class does.
 */
export async function readScan(run: DataCollection, runNr: number, vname: FastCCDScanVariable, bins: number, t0: number): Promise<FastCCDScanValues> {
  if (typeof bins !== 'number' || !(bins > 0) || !Number.isFinite(bins)) {
    throw new ParameterError(`defineScan: bins must be a step size > 0, got ${String(bins)} (bin edges are not implemented, as in the Python class)`, { parameter: 'bins', value: bins });
  }
  const ok = typeof vname === 'string' || (typeof vname === 'object' && vname !== null && typeof vname.source === 'string' && typeof vname.key === 'string');
  if (!ok) throw new ParameterError(`defineScan: vname must be a mnemonic name or {source, key}, got ${JSON.stringify(vname)}`, { parameter: 'vname', value: vname });
  const m = typeof vname === 'string' ? vname : { source: vname.source, key: vname.key, dim: null };
  try {
    resolveMnemonic(m, run);
  } catch (err) {
    throw new ToolBoxValueError(`defineScan: run ${runNr} has no scan variable ${describeVariable(vname)}: ${(err as Error).message}`, { cause: err });
  }
  let da: DataArray = await getArray(run, m);
  if (da.ndim !== 1) throw new ToolBoxValueError(`defineScan: scan variable ${describeVariable(vname)} has dims (${da.dims.join(', ')}); one value per train is needed`);
  if (vname === 'PP800_DelayLine') da = positionToDelay(da, { origin: t0 });
  da = roundToBinWidth(da, bins);
  const values = Float64Array.from(da.values as ArrayLike<number>, Number);
  return { name: typeof vname === 'string' ? vname : `${vname.source}/${vname.key}`, trainIds: da.coords.trainId.values as BigUint64Array, values };
}

/** Train → pumped, from the SCS PPL bit of each train's bunch pattern table; null when the run has no table. */
export async function readPumped(run: DataCollection): Promise<Map<bigint, boolean> | null> {
  let table: DataArray;
  try {
    table = await getArray(run, 'bunchPatternTable');
  } catch {
    return null;
  }
  const ids = table.coords.trainId.values as BigUint64Array;
  const words = table.values as ArrayLike<number>;
  const per = table.shape[1];
  const out = new Map<bigint, boolean>();
  for (let t = 0; t < ids.length; t++) {
    let laser = false;
    for (let k = 0; k < per && !laser; k++) laser = wordHasPulse(words[t * per + k] >>> 0, 'scs_ppl');
    out.set(ids[t], laser);
  }
  return out;
}

/** SASE3 pulse energies of the SCS XGM (µJ): per train the pulses of the bunch pattern. */
export interface FastCCDXgmPulses {
  trainIds: BigUint64Array;
  /** trains × pulses, row-major. */
  values: Float64Array;
  pulses: number;
}

export async function readXgm(run: DataCollection): Promise<FastCCDXgmPulses> {
  const ds = await getXgm(run, { mnemonics: 'SCS_SA3' });
  const da = ds.get('SCS_SA3');
  return {
    trainIds: da.coords.trainId.values as BigUint64Array,
    values: Float64Array.from(da.values as ArrayLike<number>, Number),
    pulses: da.shape[1] ?? 1,
  };
}

/** Mean pulse energy per train (NaN pulses skipped). */
export function xgmTrainMeans(x: FastCCDXgmPulses): Map<bigint, number> {
  const out = new Map<bigint, number>();
  for (let t = 0; t < x.trainIds.length; t++) {
    let s = 0, n = 0;
    for (let k = 0; k < x.pulses; k++) {
      const v = x.values[t * x.pulses + k];
      if (!Number.isNaN(v)) { s += v; n++; }
    }
    out.set(x.trainIds[t], n ? s / n : NaN);
  }
  return out;
}
