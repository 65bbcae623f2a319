/**
 * The Python toolbox's convenience entry points around get_peaks:
 * get_tim_peaks (MCPs on SASE3), get_laser_peaks (PP laser photodiodes on
 * the SCS laser pattern) and get_digitizer_peaks (any channel). Each takes
 * raw-trace mnemonics (MCP2raw: integrated) and on-board ones (MCP2apd,
 * FastADC5peaks: the device's integrals) and returns a Dataset with both
 * forms named `<channel>peaks`, merged with `mergeWith` on trainId (inner
 * join) when given.
 *
 * Digitizer variables in `mergeWith` not yet on the pulse axis (MCP2raw,
 * MCP2apd… as load() leaves them with extractDigitizers: false) are
 * converted from memory and replaced by their peaks, as the Python toolbox
 * does. The bunch pattern is read once per call, not once per channel.
 */
import { merge } from '../../arrays/combine.js';
import type { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { isAbsent, ToolBoxValueError } from '../../errors.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import type { PulseLocation } from '../../misc/bunch-pattern-bits.js';
import { pulseIdsPerTrain } from '../../misc/bunch-pattern.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataCollection } from '../../run/data-collection.js';
import { traceChannel } from './channels.js';
import { checkPeakNameClashes, isDigitizerMnemonic, isOnboardPeaks, patternFromTable, peaksLocation, peaksName } from './names.js';
import type { IntegParams } from './params.js';
import { type GetPeaksOptions, peaksOf } from './peaks.js';

/** Options of getTimPeaks and getLaserPeaks (Python: mnemonic, merge_with, bunchPattern, integParams, keepAllSase). */
export interface DigitizerPeaksOptions {
  /** Mnemonic(s): raw traces (MCP2raw) or device integrals (MCP2apd, FastADC5peaks); default: every raw channel of the family the run recorded. */
  mnemonics?: string | string[];
  /** Dataset to merge the peaks into (inner join on trainId); its digitizer variables of the family are converted too. */
  mergeWith?: Dataset;
  /** Pulses: 'sase3', 'sase1', 'scs_ppl' (default per function), or null / 'None' for none. */
  bunchPattern?: PulseLocation | 'None' | null;
  /** Integration windows for raw traces; none → found on the average trace. */
  integParams?: Partial<IntegParams>;
  /** Keep trains without any pulse of the bunch pattern (as NaN rows). */
  keepAllSase?: boolean;
  /** false: use the device's own integrals (MCP<n>apd, FastADC<n>peaks) even for raw mnemonics; true: integrate the raw trace even for on-board ones. */
  useRaw?: boolean;
  /** Find the windows on the average trace (default: when integParams has no windows). */
  autoFind?: boolean;
  /** A bunch pattern table (trainId, pulse_slot) instead of the run's (Python's bpt). */
  bpt?: DataArray;
  /** Trains averaged for the automatic windows (default 200). */
  ntrainsAvg?: number;
  /** Trains per read (default 200). */
  chunksize?: number;
  /** Polarity override (see getPeaks). */
  sign?: 1 | -1;
}
const DIGITIZER_PEAKS_OPTIONS = optionNames<DigitizerPeaksOptions>({
  mnemonics: true, mergeWith: true, bunchPattern: true, integParams: true, keepAllSase: true, useRaw: true, autoFind: true, bpt: true,
  ntrainsAvg: true, chunksize: true, sign: true,
});

/** getDigitizerPeaks' options: one mnemonic is the argument, and bunchPattern may be given per mnemonic (Python: str or dict). */
export interface GetDigitizerPeaksOptions extends Omit<DigitizerPeaksOptions, 'mnemonics' | 'bunchPattern'> {
  /** Pulses: one location, or per mnemonic ({FastADC5raw: 'scs_ppl'}; others 'sase3'); null / 'None' for none. */
  bunchPattern?: PulseLocation | 'None' | null | Record<string, PulseLocation | 'None' | null>;
}
const GET_DIGITIZER_PEAKS_OPTIONS = optionNames<GetDigitizerPeaksOptions>({
  mergeWith: true, bunchPattern: true, integParams: true, keepAllSase: true, useRaw: true, autoFind: true, bpt: true,
  ntrainsAvg: true, chunksize: true, sign: true,
});

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

/** Digitizer variables of `family` in mergeWith still as the device recorded them (entry dim of the mnemonic table, not a pulse axis). */
function loadedVariables(mergeWith: Dataset | undefined, family: (name: string) => boolean): string[] {
  if (!mergeWith) return [];
  return mergeWith.dataVars.filter((v) => {
    if (!family(v) || !isDigitizerMnemonic(v)) return false;
    const dim = resolveMnemonic(v).dim?.[0];
    return dim !== undefined && mergeWith.get(v).dims[1] === dim;
  });
}

interface Request {
  family: (name: string) => boolean;
  candidates: string[];
  what: string;
  /** Pulse location per mnemonic. */
  locOf: (mnemonic: string) => PulseLocation | null;
}

/**
 * Peaks of the requested mnemonics plus every not-yet-converted digitizer
 * variable of the family in mergeWith, merged into mergeWith without those.
 */
async function peaksDataset(fn: string, run: DataCollection, requested: string[] | undefined, req: Request, options: GetDigitizerPeaksOptions): Promise<Dataset> {
  const mw = options.mergeWith;
  const loaded = loadedVariables(mw, req.family);
  let names = [...new Set([...(requested ?? (loaded.length ? [] : present(run, req.candidates))), ...loaded])];
  checkPeakNameClashes(fn, names);
  const done = names.filter((mn) => !loaded.includes(mn) && mw?.has(peaksName(mn)));
  if (done.length) {
    process.emitWarning(`${done.join(', ')} already extracted in mergeWith (${done.map(peaksName).join(', ')}); skipped`, 'ToolBoxWarning');
    names = names.filter((mn) => !done.includes(mn));
    if (!names.length) return mw!;
  }
  if (!names.length) throw new ToolBoxValueError(`${fn}: no ${req.what} channel with data in this run; pass mnemonics explicitly`);
  // One bunch-pattern read per location, shared by every channel.
  const patterns = new Map<PulseLocation, ReturnType<typeof pulseIdsPerTrain>>();
  const patternOf = (loc: PulseLocation) => {
    if (!patterns.has(loc)) patterns.set(loc, options.bpt ? Promise.resolve(patternFromTable(options.bpt, loc)) : pulseIdsPerTrain(run, loc));
    return patterns.get(loc)!;
  };
  const { integParams, keepAllSase, useRaw, autoFind, ntrainsAvg, chunksize, sign } = options;
  const arrays: DataArray[] = [];
  // Sequential: each channel streams its own traces; running them together would only add memory.
  for (const mn of names) {
    const loc = req.locOf(mn);
    const common: GetPeaksOptions = { integParams, keepAllSase, useRaw, autoFind, ntrainsAvg, chunksize, sign, bunchPattern: loc };
    const data = loaded.includes(mn) && (useRaw ?? !isOnboardPeaks(mn)) === !isOnboardPeaks(mn) ? mw!.get(mn) : undefined;
    const pulsePattern = loc === null ? undefined : await patternOf(loc);
    arrays.push(await peaksOf(run, mn, { ...common, data, pulsePattern }));
  }
  const ds = arrays.length === 1 ? new Dataset({ [arrays[0].name!]: arrays[0] }) : merge(arrays, { join: 'inner' });
  return mw ? merge([loaded.length ? mw.dropVars(loaded) : mw, ds], { join: 'inner' }) : ds;
}

const MCP = /^MCP\d+(raw|apd)$/;
const FASTADC = /^FastADC\d+(raw|peaks)$/;
const FASTADC2 = /^FastADC2_\d+(raw|peaks)$/;

const list = (m: string | string[] | undefined): string[] | undefined => (m === undefined ? undefined : typeof m === 'string' ? [m] : m);

/** get_tim_peaks: MCP<n>raw (integrated) or MCP<n>apd (device integrals) on the SASE3 pattern by default. */
export async function getTimPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  const { mnemonics, bunchPattern, ...rest } = checkOptions('getTimPeaks', options, DIGITIZER_PEAKS_OPTIONS);
  const loc = peaksLocation(bunchPattern, 'sase3');
  return peaksDataset('getTimPeaks', run, list(mnemonics), {
    family: (v) => MCP.test(v), candidates: ['MCP1raw', 'MCP2raw', 'MCP3raw', 'MCP4raw'], what: 'TIM (MCP1raw..MCP4raw)', locOf: () => loc,
  }, rest);
}

/** get_laser_peaks: FastADC photodiodes (raw or peaks) on the SCS pump-probe laser pattern ('ol_pId') by default. */
export async function getLaserPeaks(run: DataCollection, options: DigitizerPeaksOptions = {}): Promise<Dataset> {
  const { mnemonics, bunchPattern, ...rest } = checkOptions('getLaserPeaks', options, DIGITIZER_PEAKS_OPTIONS);
  const loc = peaksLocation(bunchPattern, 'scs_ppl');
  return peaksDataset('getLaserPeaks', run, list(mnemonics), {
    family: (v) => FASTADC.test(v) || FASTADC2.test(v), candidates: Array.from({ length: 10 }, (_, i) => `FastADC${i}raw`),
    what: 'laser (FastADC<n>raw)', locOf: () => loc,
  }, rest);
}

/**
 * get_digitizer_peaks: one channel of any digitizer (raw trace or device
 * integrals), SASE3 by default; not-yet-converted variables of the same
 * digitizer in mergeWith are converted too.
 */
export async function getDigitizerPeaks(run: DataCollection, mnemonic: string, options: GetDigitizerPeaksOptions = {}): Promise<Dataset> {
  const { bunchPattern, ...rest } = checkOptions('getDigitizerPeaks', options, GET_DIGITIZER_PEAKS_OPTIONS);
  const same = [MCP, FASTADC, FASTADC2].find((re) => re.test(mnemonic));
  const family = same ? (v: string) => same.test(v) : (v: string) => v === mnemonic;
  const locOf = (mn: string) => (bunchPattern !== null && typeof bunchPattern === 'object' ? peaksLocation(bunchPattern[mn], 'sase3') : peaksLocation(bunchPattern, 'sase3'));
  return peaksDataset('getDigitizerPeaks', run, [mnemonic], { family, candidates: [mnemonic], what: mnemonic, locOf }, rest);
}
