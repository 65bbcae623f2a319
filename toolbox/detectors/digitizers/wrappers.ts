/**
 * The Python toolbox's convenience entry points around get_peaks:
 * get_tim_peaks (MCPs on SASE3), get_laser_peaks (PP laser photodiodes on
 * the SCS laser pattern) and get_digitizer_peaks (any channel). Each
 * returns a Dataset with `<name>raw` renamed `<name>peaks`, merged with
 * `mergeWith` on trainId (inner join) when given.
 *
 * Raw traces in `mergeWith` (MCP2raw, FastADC5raw… as load() leaves them
 * with extractDigitizers: false) are integrated from memory and replaced by
 * their peaks (MCP2peaks, FastADC5peaks), as the Python toolbox does. The
 * bunch pattern is read once per call, not once per channel.
 */
import { merge } from '../../arrays/combine.js';
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { pulseIdsPerTrain } from '../../misc/bunch-pattern.js';
import { isAbsent, ToolBoxValueError } from '../../errors.js';
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
    } catch (err) {
      if (isAbsent(err)) return false;
      throw err;
    }
  });
}

/** Raw-trace variables of `family` that `mergeWith` holds. */
function loadedTraces(mergeWith: Dataset | undefined, family: (name: string) => boolean): string[] {
  return mergeWith ? mergeWith.dataVars.filter(family) : [];
}

/**
 * Peaks of `names` plus every raw trace of `family` in mergeWith, merged
 * into mergeWith without those raw traces.
 */
async function peaksDataset(run: DataCollection, requested: string[] | undefined, candidates: string[], family: (name: string) => boolean, options: DigitizerPeaksOptions, what: string): Promise<Dataset> {
  const mw = options.mergeWith;
  const loaded = loadedTraces(mw, family);
  const peakName = (mn: string) => mn.replace(/raw$/, 'peaks');
  let names = [...new Set([...(requested ?? (loaded.length ? [] : present(run, candidates))), ...loaded])];
  const done = names.filter((mn) => !loaded.includes(mn) && mw?.has(peakName(mn)));
  if (done.length) {
    process.emitWarning(`${done.join(', ')} already extracted in mergeWith (${done.map(peakName).join(', ')}); skipped`, 'ToolBoxWarning');
    names = names.filter((mn) => !done.includes(mn));
    if (!names.length) return mw!;
  }
  if (!names.length) throw new ToolBoxValueError(`no ${what} channel with data in this run; pass mnemonics explicitly`);
  const loc = options.bunchPattern === undefined ? 'sase3' : options.bunchPattern;
  // One bunch-pattern read shared by every channel.
  const pulsePattern = loc === null || options.useRaw === false ? undefined : await pulseIdsPerTrain(run, loc);
  const arrays: DataArray[] = [];
  // Sequential: each channel streams its own traces; running them together would only add memory.
  for (const mn of names) {
    if (options.useRaw === false) {
      arrays.push(await getOnboardPeaks(run, onboardName(mn), { bunchPattern: loc ?? 'sase3', sign: options.sign }));
    } else {
      const traces = loaded.includes(mn) ? mw!.get(mn) : undefined;
      arrays.push(await getPeaks(run, mn, { ...options, bunchPattern: loc, pulsePattern, traces }));
    }
  }
  const ds = merge(arrays, { join: 'inner' });
  return mw ? merge([loaded.length ? mw.dropVars(loaded) : mw, ds], { join: 'inner' }) : ds;
}

const MCP_RAW = /^MCP\d+raw$/;
const FASTADC_RAW = /^FastADC\d+raw$/;
const isMcpRaw = (v: string) => MCP_RAW.test(v);
const isFastAdcRaw = (v: string) => FASTADC_RAW.test(v);

const list = (m: string | string[] | undefined): string[] | undefined => (m === undefined ? undefined : typeof m === 'string' ? [m] : m);

/** get_tim_peaks: MCP1raw..MCP4raw on the SASE3 pattern by default. */
export async function getTimPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  return peaksDataset(run, list(options.mnemonics), ['MCP1raw', 'MCP2raw', 'MCP3raw', 'MCP4raw'], isMcpRaw,
    { ...options, bunchPattern: options.bunchPattern === undefined ? 'sase3' : options.bunchPattern }, 'TIM (MCP1raw..MCP4raw)');
}

/** get_laser_peaks: FastADC photodiodes on the SCS pump-probe laser pattern ('ol_pId') by default. */
export async function getLaserPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  return peaksDataset(run, list(options.mnemonics), Array.from({ length: 10 }, (_, i) => `FastADC${i}raw`), isFastAdcRaw,
    { ...options, bunchPattern: options.bunchPattern === undefined ? 'scs_ppl' : options.bunchPattern }, 'laser (FastADC<n>raw)');
}

/**
 * get_digitizer_peaks: one channel, any digitizer, SASE3 by default; raw
 * traces of the same digitizer in mergeWith are integrated too.
 */
export async function getDigitizerPeaks(run: DataCollection, mnemonic: string, options: Omit<DigitizerPeaksOptions, 'mnemonics'> = {}): Promise<Dataset> {
  const same = [MCP_RAW, FASTADC_RAW].find((re) => re.test(mnemonic));
  const family = same ? (v: string) => same.test(v) : (v: string) => v === mnemonic;
  return peaksDataset(run, [mnemonic], [mnemonic], family, { ...options, bunchPattern: options.bunchPattern === undefined ? 'sase3' : options.bunchPattern }, mnemonic);
}
