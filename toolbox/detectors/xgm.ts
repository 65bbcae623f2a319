/**
 * XGM pulse energies on the bunch-pattern pulse axis (Python:
 * toolbox_scs.detectors.xgm). The device writes 1000 slots per train; slot k
 * is the k-th pulse of its SASE and unused slots hold 1.0. Here slot k goes
 * to that pulse's ID, so the result has dims (trainId, sa3_pId) or
 * (trainId, sa1_pId) and lines up with every other pulse-resolved signal.
 * When the pulse count changes during the run, the pulse axis is the union
 * of the IDs used and a train's missing pulses are NaN: never shifted.
 */
import { merge } from '../arrays/combine.js';
import { DataArray, type IselIndexer } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { slice } from '../arrays/slice.js';
import { ToolBoxValueError } from '../errors.js';
import { resolveMnemonic } from '../mnemonics/lookup.js';
import type { PulseLocation } from '../misc/bunch-pattern-bits.js';
import { pulseIdsPerTrain } from '../misc/bunch-pattern.js';
import type { DataCollection } from '../run/data-collection.js';

/** XGM mnemonics and the pulses their slots hold ('all': SASE1 and SASE3 in pulse order). */
export const XGM_PULSES: Readonly<Record<string, 'sase1' | 'sase3' | 'all'>> = {
  SCS_SA3: 'sase3', XTD10_SA3: 'sase3', SCS_SA1: 'sase1', XTD10_SA1: 'sase1', SCS_XGM: 'all', XTD10_XGM: 'all',
};
const PULSE_DIM = { sase3: 'sa3_pId', sase1: 'sa1_pId', all: 'pId' } as const;
const SLOT_DIM = 'XGMbunchId';
/** What the device writes into slots without a pulse. */
export const XGM_PAD_VALUE = 1.0;

export interface GetXgmOptions {
  /** XGM mnemonics to load (default 'SCS_SA3' unless mergeWith brings XGM variables). */
  mnemonics?: string | string[];
  /** A Dataset to merge the result with (inner join on trainId); its raw XGM variables are converted too. */
  mergeWith?: Dataset;
  /** Slots to keep when the run has no bunch pattern (default all but the 1.0 pads). */
  indices?: IselIndexer;
}

/** Pulse IDs per train of a location; 'all' merges SASE1 and SASE3. */
async function pulsesByTrain(run: DataCollection, what: PulseLocation | 'all'): Promise<Map<number, number[]> | null> {
  const locs: PulseLocation[] = what === 'all' ? ['sase1', 'sase3'] : [what];
  const parts = await Promise.all(locs.map((l) => pulseIdsPerTrain(run, l)));
  if (parts.some((p) => p === null)) return null;
  const out = new Map<number, number[]>();
  for (const p of parts) p!.trainIds.forEach((t, i) => out.set(t, [...(out.get(t) ?? []), ...p!.pulseIds[i]]));
  if (what === 'all') for (const ids of out.values()) ids.sort((a, b) => a - b);
  return out;
}

/** Slots → pulse IDs for one XGM variable (trainId, XGMbunchId). */
function onPulseAxis(raw: DataArray, name: string, dim: string, pulses: Map<number, number[]>): DataArray {
  const trains = Array.from(raw.coords.trainId.values as BigUint64Array, Number);
  const keep = trains.map((t, i) => [t, i] as const).filter(([t]) => pulses.has(t));
  const allIds = [...new Set(keep.flatMap(([t]) => pulses.get(t)!))].sort((a, b) => a - b);
  const pos = new Map(allIds.map((id, k) => [id, k]));
  const nslots = raw.shape[1];
  const src = raw.values as Float32Array | Float64Array;
  const out = new Float32Array(keep.length * allIds.length).fill(NaN);
  keep.forEach(([t, i], r) => {
    const ids = pulses.get(t)!;
    if (ids.length > nslots) throw new ToolBoxValueError(`${name}: train ${t} has ${ids.length} pulses but the XGM records only ${nslots}`);
    ids.forEach((id, k) => { out[r * allIds.length + pos.get(id)!] = src[i * nslots + k]; });
  });
  return new DataArray(out, {
    dims: ['trainId', dim], shape: [keep.length, allIds.length], name, attrs: raw.attrs,
    coords: { trainId: BigUint64Array.from(keep, ([t]) => BigInt(t)), [dim]: BigInt64Array.from(allIds, (v) => BigInt(v)) },
  });
}

/** Without a bunch pattern: keep the chosen slots and turn the device's 1.0 pads into NaN. */
function onSlots(raw: DataArray, name: string, indices: IselIndexer): DataArray {
  const sel = raw.isel({ [SLOT_DIM]: indices }).astype('float32');
  const v = sel.values as Float32Array;
  for (let i = 0; i < v.length; i++) if (v[i] === XGM_PAD_VALUE) v[i] = NaN;
  return sel.rename(name);
}

/** get_xgm: pulse-resolved XGM variables on the bunch-pattern pulse axis, optionally merged into a Dataset. */
export async function getXgm(run: DataCollection, options: GetXgmOptions = {}): Promise<Dataset> {
  const fromMerge = options.mergeWith ? options.mergeWith.dataVars.filter((v) => v in XGM_PULSES && options.mergeWith!.get(v).dims.includes(SLOT_DIM)) : [];
  const names = options.mnemonics === undefined ? (fromMerge.length ? fromMerge : ['SCS_SA3'])
    : typeof options.mnemonics === 'string' ? [options.mnemonics] : options.mnemonics;
  const results: DataArray[] = [];
  let warned = false;
  for (const name of names) {
    const what = XGM_PULSES[name];
    if (!what) throw new ToolBoxValueError(`'${name}' is not a pulse-resolved XGM mnemonic; use one of ${Object.keys(XGM_PULSES).join(', ')}`);
    let raw: DataArray;
    if (fromMerge.includes(name)) raw = options.mergeWith!.get(name);
    else {
      const m = resolveMnemonic(name, run);
      raw = await run.getArray(m.source, m.key, { extraDims: [SLOT_DIM] });
    }
    const pulses = await pulsesByTrain(run, what);
    if (!pulses) {
      if (!warned) process.emitWarning(`no bunch pattern in this run: XGM kept on '${SLOT_DIM}' slots, 1.0 pads set to NaN`, 'ToolBoxWarning');
      warned = true;
      results.push(onSlots(raw, name, options.indices ?? slice(0, null)));
    } else {
      results.push(onPulseAxis(raw, name, PULSE_DIM[what], pulses));
    }
  }
  const ds = merge(results, { join: 'inner' });
  if (!options.mergeWith) return ds;
  return merge([options.mergeWith.dropVars(names.filter((n) => options.mergeWith!.has(n))), ds], { join: 'inner' });
}

/**
 * calibrate_xgm: F such that F × fast signal = pulse energy in µJ, from the
 * slow photon flux (µJ, the device's train average) over the mean fast
 * signal of the SASE3 pulses, on the trains both have.
 */
export async function calibrateXgm(run: DataCollection, data: Dataset, options: { xgm?: 'SCS' | 'XTD10' } = {}): Promise<number> {
  const xgm = options.xgm ?? 'SCS';
  if (xgm !== 'SCS' && xgm !== 'XTD10') throw new ToolBoxValueError(`xgm must be 'SCS' or 'XTD10', got '${String(xgm)}'`);
  const fastName = `${xgm}_SA3`;
  if (!data.has(fastName)) throw new ToolBoxValueError(`calibrateXgm needs '${fastName}' in the Dataset (from getXgm); it has ${data.dataVars.join(', ') || '(none)'}`);
  const m = resolveMnemonic(`${xgm}_photonFlux`, run);
  const slow = await run.getArray(m.source, m.key);
  const fastMean = data.get(fastName).mean(data.get(fastName).dims.filter((d) => d !== 'trainId'));
  const both = merge([slow.rename('slow'), fastMean.rename('fast')], { join: 'inner' });
  const ratio = both.get('slow').mean().item() as number;
  const fast = both.get('fast').mean().item() as number;
  if (!(fast > 0) || !Number.isFinite(ratio)) throw new ToolBoxValueError(`cannot calibrate ${xgm} XGM: mean fast signal ${fast}, mean photon flux ${ratio} over ${both.sizes.trainId ?? 0} trains`);
  return ratio / fast;
}
