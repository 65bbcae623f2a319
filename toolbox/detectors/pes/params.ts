/**
 * get_pes_params: the PES settings of a run, read from the RUN section (the
 * values at run start): the gas whose injection valve is open and its
 * binding energy, the retardation voltage(s), all MPOD voltages
 * (docs/pes.md, getPesParams).
 */
import { isAbsent } from '../../errors.js';
import { PES_CHANNELS, PES_GAS_VALVES, PES_MPOD, PES_MPOD_CHANNELS, pesMpodKey } from '../../mnemonics/pes.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataCollection } from '../../run/data-collection.js';
import { pesChannelName } from './channels.js';

/** Binding energy (eV) of the reference line of each gas (X-ray Data Booklet): N 1s, Ne 1s, Kr 2s, Xe 3s. */
export const PES_GAS_BINDING_ENERGIES: Readonly<Record<string, number>> = { N2: 409.9, Ne: 870.2, Kr: 1921, Xe: 1148.7 };

export interface PesParamsOptions {
  /** Channel name or mnemonic, e.g. '2A' or 'PES_1Craw'; absent or not in the run: every channel's retardation voltage. */
  channel?: string;
}
const PES_PARAMS_OPTIONS = optionNames<PesParamsOptions>({ channel: true });

/** The dictionary of get_pes_params, with its keys. */
export interface PesParams {
  /** The gas whose valve is open ('N2', 'Ne', 'Kr', 'Xe'); several joined by '+'; null when none is. */
  gas: string | null;
  /** Binding energy (eV) of the gas's reference line; null unless exactly one gas flows. */
  binding_energy: number | null;
  /** The channel's retardation voltage (V), or with no channel (or one the run lacks) every channel's, '1A' → V. */
  ret_voltage: number | Record<string, number>;
  /** All MPOD channel voltages (V), 'U0' → V. */
  mpod: Record<string, number>;
  /** The channel ret_voltage is of ('2A'), when one was found. */
  channel?: string;
}

function runNumber(run: DataCollection, source: string, key: string): number | null {
  if (!run.controlSources.includes(source)) return null;
  try {
    return Number(run.getRunValue(source, key));
  } catch (err) {
    if (isAbsent(err)) return null;
    throw err;
  }
}

function gasOf(run: DataCollection): { gas: string | null; binding_energy: number | null } {
  const open = Object.entries(PES_GAS_VALVES).filter(([, src]) => (runNumber(run, src, 'isOpen') ?? 0) !== 0).map(([g]) => g);
  if (open.length === 0) {
    process.emitWarning(`getPesParams: no PES gas valve is open (valves: ${Object.values(PES_GAS_VALVES).join(', ')}); gas and binding_energy are null`, 'ToolBoxWarning');
    return { gas: null, binding_energy: null };
  }
  return { gas: open.join('+'), binding_energy: open.length === 1 ? PES_GAS_BINDING_ENERGIES[open[0]] : null };
}

function mpodOf(run: DataCollection): Record<string, number> {
  const out: Record<string, number> = {};
  if (!run.controlSources.includes(PES_MPOD)) {
    process.emitWarning(`getPesParams: the run has no MPOD power supply (${PES_MPOD}); no voltages`, 'ToolBoxWarning');
    return out;
  }
  // all RUN values at once: one walk of the device's keys instead of one per channel
  const values = run.getRunValues(PES_MPOD);
  for (let n = 0; n < PES_MPOD_CHANNELS; n++) {
    const v = values[pesMpodKey(n)];
    if (v !== undefined) out[`U${n}`] = Number(v);
  }
  return out;
}

/**
 * PES parameters of a run (Python: get_pes_params): gas, binding_energy,
 * ret_voltage (of `channel`, else of every channel) and mpod (all voltages).
 * Retardation voltage of channel i of 1A…4D (i = 0…15) is MPOD channel U<i>.
 */
export function getPesParams(run: DataCollection, options: PesParamsOptions = {}): PesParams {
  options = checkOptions('getPesParams', options, PES_PARAMS_OPTIONS);
  const mpod = mpodOf(run);
  const all: Record<string, number> = {};
  PES_CHANNELS.forEach((ch, i) => { if (`U${i}` in mpod) all[ch] = mpod[`U${i}`]; });
  const params: PesParams = { ...gasOf(run), ret_voltage: all, mpod };
  if (options.channel === undefined || options.channel === null) return params;
  const ch = pesChannelName(options.channel);
  if (ch !== null && ch in all) return { ...params, ret_voltage: all[ch], channel: ch };
  process.emitWarning(`getPesParams: channel '${String(options.channel)}' is ${ch === null ? 'not a PES channel' : 'not in the run'}; ret_voltage holds every channel's retardation voltage (${Object.keys(all).join(', ') || 'none recorded'})`, 'ToolBoxWarning');
  return params;
}
