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
import { ParameterError, ToolBoxValueError } from '../errors.js';
import { checkOptions, optionNames } from '../options.js';
import { resolveMnemonic } from '../mnemonics/lookup.js';
import type { DataCollection } from '../run/data-collection.js';
import { PULSE_DIMS, onPulseAxis, pulsesByTrain } from './pulse-axis.js';

/** XGM mnemonics and the pulses their slots hold ('all': SASE1 and SASE3 in pulse order). */
export const XGM_PULSES: Readonly<Record<string, 'sase1' | 'sase3' | 'all'>> = {
  SCS_SA3: 'sase3', XTD10_SA3: 'sase3', SCS_SA1: 'sase1', XTD10_SA1: 'sase1', SCS_XGM: 'all', XTD10_XGM: 'all',
};
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

const GET_XGM_OPTIONS = optionNames<GetXgmOptions>({ mnemonics: true, mergeWith: true, indices: true });

/** Without a bunch pattern: keep the chosen slots and turn the device's 1.0 pads into NaN. */
function onSlots(raw: DataArray, name: string, indices: IselIndexer): DataArray {
  const sel = raw.isel({ [SLOT_DIM]: indices }).astype('float32');
  const v = sel.values as Float32Array;
  for (let i = 0; i < v.length; i++) if (v[i] === XGM_PAD_VALUE) v[i] = NaN;
  return sel.rename(name);
}

/** get_xgm: pulse-resolved XGM variables on the bunch-pattern pulse axis, optionally merged into a Dataset. */
export async function getXgm(run: DataCollection, options: GetXgmOptions = {}): Promise<Dataset> {
  options = checkOptions('getXgm', options, GET_XGM_OPTIONS);
  const fromMerge = options.mergeWith ? options.mergeWith.dataVars.filter((v) => v in XGM_PULSES && options.mergeWith!.get(v).dims.includes(SLOT_DIM)) : [];
  const names = options.mnemonics === undefined ? (fromMerge.length ? fromMerge : ['SCS_SA3'])
    : typeof options.mnemonics === 'string' ? [options.mnemonics] : options.mnemonics;
  const results: DataArray[] = [];
  // One bunch-pattern read per location, however many mnemonics share it.
  const patterns = new Map<'sase1' | 'sase3' | 'all', Promise<Map<number, number[]> | null>>();
  let warned = false;
  for (const name of names) {
    const what = XGM_PULSES[name];
    if (!what) throw new ParameterError(`'${name}' is not a pulse-resolved XGM mnemonic; use one of ${Object.keys(XGM_PULSES).join(', ')}`, { parameter: 'mnemonics', value: name, expected: Object.keys(XGM_PULSES) });
    let raw: DataArray;
    if (fromMerge.includes(name)) raw = options.mergeWith!.get(name);
    else {
      const m = resolveMnemonic(name, run);
      raw = await run.getArray(m.source, m.key, { extraDims: [SLOT_DIM] });
    }
    if (!patterns.has(what)) patterns.set(what, pulsesByTrain(run, what));
    const pulses = await patterns.get(what)!;
    if (!pulses) {
      if (!warned) process.emitWarning(`no bunch pattern in this run: XGM kept on '${SLOT_DIM}' slots, 1.0 pads set to NaN`, 'ToolBoxWarning');
      warned = true;
      results.push(onSlots(raw, name, options.indices ?? slice(0, null)));
    } else {
      results.push(onPulseAxis(raw, name, PULSE_DIMS[what], pulses, (k) => k));
    }
  }
  const ds = merge(results, { join: 'inner' });
  if (!options.mergeWith) return ds;
  return merge([options.mergeWith.dropVars(names.filter((n) => options.mergeWith!.has(n))), ds], { join: 'inner' });
}

export interface CalibrateXgmOptions {
  /** Which XGM: 'SCS' (default) or 'XTD10'. */
  xgm?: 'SCS' | 'XTD10';
}
const CALIBRATE_XGM_OPTIONS = optionNames<CalibrateXgmOptions>({ xgm: true });

/**
 * calibrate_xgm: F such that F × fast signal = pulse energy in µJ, from the
 * slow photon flux (µJ, the device's train average) over the mean fast
 * signal of the SASE3 pulses, on the trains both have.
 */
export async function calibrateXgm(run: DataCollection, data: Dataset, options: CalibrateXgmOptions = {}): Promise<number> {
  options = checkOptions('calibrateXgm', options, CALIBRATE_XGM_OPTIONS);
  const xgm = options.xgm ?? 'SCS';
  if (xgm !== 'SCS' && xgm !== 'XTD10') throw new ParameterError(`xgm must be 'SCS' or 'XTD10', got '${String(xgm)}'`, { parameter: 'xgm', value: xgm, expected: ['SCS', 'XTD10'] });
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
