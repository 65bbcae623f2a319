/**
 * The Python toolbox's convenience entry points around get_peaks:
 * get_tim_peaks (MCPs on SASE3), get_laser_peaks (PP laser photodiodes on
 * the SCS laser pattern) and get_digitizer_peaks (any channel). Each
 * returns a Dataset with `<name>raw` renamed `<name>peaks`, merged with
 * `mergeWith` on trainId (inner join) when given.
 */
import { merge } from '../../arrays/combine.js';
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import type { PulseLocation } from '../../misc/bunch-pattern-bits.js';
import type { DataCollection } from '../../run/data-collection.js';
import { type GetPeaksOptions, getPeaks } from './peaks.js';
import { traceChannel } from './channels.js';
import { getOnboardPeaks, onboardName } from './onboard.js';

export interface DigitizerPeaksOptions extends Omit<GetPeaksOptions, 'bunchPattern'> {
  /** Mnemonic(s) to integrate; default: every channel of the family the run recorded. */
  mnemonics?: string | string[];
  bunchPattern?: PulseLocation | null;
  /** Dataset to merge the peaks into (inner join on trainId). */
  mergeWith?: Dataset;
  /** false: use the device's own per-pulse integrals (MCP<n>apd, FastADC<n>peaks) instead of integrating raw traces. */
  useRaw?: boolean;
}

/** Mnemonics of `candidates` whose trace key exists in the run with data. */
function present(run: DataCollection, candidates: string[]): string[] {
  return candidates.filter((mn) => {
    try {
      const ch = traceChannel(run, mn);
      return run.keysForSource(ch.source).includes(ch.key) && run.keyInfo(ch.source, ch.key).trainsWithData > 0;
    } catch {
      return false;
    }
  });
}

async function peaksDataset(run: DataCollection, names: string[], options: DigitizerPeaksOptions, what: string): Promise<Dataset> {
  if (!names.length) throw new ToolBoxValueError(`no ${what} channel with data in this run; pass mnemonics explicitly`);
  const arrays: DataArray[] = [];
  // Sequential: each channel streams its own traces; running them together would only add memory.
  for (const mn of names) {
    if (options.useRaw === false) {
      arrays.push(await getOnboardPeaks(run, onboardName(mn), { bunchPattern: options.bunchPattern ?? 'sase3', sign: options.sign }));
    } else {
      arrays.push(await getPeaks(run, mn, options));
    }
  }
  const ds = merge(arrays, { join: 'inner' });
  return options.mergeWith ? merge([options.mergeWith, ds], { join: 'inner' }) : ds;
}

const list = (m: string | string[] | undefined): string[] | undefined => (m === undefined ? undefined : typeof m === 'string' ? [m] : m);

/** get_tim_peaks: MCP1raw..MCP4raw on the SASE3 pattern by default. */
export async function getTimPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  const names = list(options.mnemonics) ?? present(run, ['MCP1raw', 'MCP2raw', 'MCP3raw', 'MCP4raw']);
  return peaksDataset(run, names, { ...options, bunchPattern: options.bunchPattern === undefined ? 'sase3' : options.bunchPattern }, 'TIM (MCP1raw..MCP4raw)');
}

/** get_laser_peaks: FastADC photodiodes on the SCS pump-probe laser pattern ('ol_pId') by default. */
export async function getLaserPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  const names = list(options.mnemonics) ?? present(run, Array.from({ length: 10 }, (_, i) => `FastADC${i}raw`));
  return peaksDataset(run, names, { ...options, bunchPattern: options.bunchPattern === undefined ? 'scs_ppl' : options.bunchPattern }, 'laser (FastADC<n>raw)');
}

/** get_digitizer_peaks: one channel, any digitizer, SASE3 by default. */
export async function getDigitizerPeaks(run: DataCollection, mnemonic: string, options: Omit<DigitizerPeaksOptions, 'mnemonics'> = {}): Promise<Dataset> {
  return peaksDataset(run, [mnemonic], { ...options, bunchPattern: options.bunchPattern === undefined ? 'sase3' : options.bunchPattern }, mnemonic);
}
