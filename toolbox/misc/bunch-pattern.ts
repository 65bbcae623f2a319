/**
 * Bunch-pattern questions asked of a run: which pulse IDs went to SASE1,
 * SASE3 or the SCS pump-probe laser, whether the count changed during the
 * run, and at what repetition rate. The decoder device (BUNCH_DECODER) is
 * used when the run has it; otherwise the answer comes from the timeserver's
 * table, so runs without a decoder still work (the Python toolbox gives up there).
 */
import type { DataArray } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
import { ParameterError, ToolBoxValueError } from '../errors.js';
import { mnemonicsForRun, resolveMnemonic } from '../mnemonics/lookup.js';
import type { Mnemonic } from '../mnemonics/table.js';
import { checkOptions, optionNames } from '../options.js';
import { line } from '../plots/line.js';
import type { Plot } from '../plots/plot.js';
import { withPlot } from '../plots/with-plot.js';
import type { DataCollection } from '../run/data-collection.js';
import { openRun } from '../run/open.js';
import {
  BUCKET_RATE_KHZ, type ExtractedBunchPattern, type PulseLocation, checkLocation, extractBunchPattern as fromTable, repRateFromPulseIds,
} from './bunch-pattern-bits.js';

/** The decoder device names the SCS laser 'laser'; the toolbox calls the location 'scs_ppl'. */
const decoderName = (loc: PulseLocation): string => (loc === 'scs_ppl' ? 'laser' : loc);

export interface PulseIdsPerTrain {
  trainIds: number[];
  /** Pulse IDs of each train, ascending. */
  pulseIds: number[][];
  from: 'decoder' | 'table';
}

/** Row t of a (trainId, slot) array of pulse IDs cut to its first counts[t] entries. */
function idsOfRows(ids: DataArray, counts: number[]): number[][] {
  const width = ids.shape[1];
  const v = ids.values as ArrayLike<number | bigint>;
  return counts.map((c, t) => Array.from({ length: c }, (_, k) => Number(v[t * width + k])));
}

/** Pulse IDs per train of a bunchPatternTable at `loc`. */
function idsFromTable(bpt: DataArray, loc: PulseLocation): number[][] {
  const { bunchPattern, npulses } = fromTable(bpt, loc);
  return idsOfRows(bunchPattern, Array.from(npulses.values as BigInt64Array, Number));
}

/**
 * extractBunchPattern(bpTable, key, runDir): pulse IDs, counts and mask of a
 * location from the bunch pattern table (no decoder device needed). Without
 * a table, the table of `runDir` is read first (Python's runDir), and the
 * answer is a Promise.
 */
export function extractBunchPattern(bpTable: DataArray, key?: PulseLocation | string): ExtractedBunchPattern;
export function extractBunchPattern(bpTable: null | undefined, key: PulseLocation | string | undefined, runDir: DataCollection): Promise<ExtractedBunchPattern>;
export function extractBunchPattern(bpTable: DataArray | null | undefined, key?: PulseLocation | string, runDir?: DataCollection): ExtractedBunchPattern | Promise<ExtractedBunchPattern>;
export function extractBunchPattern(bpTable: DataArray | null | undefined, key: PulseLocation | string = 'sase3', runDir?: DataCollection): ExtractedBunchPattern | Promise<ExtractedBunchPattern> {
  if (bpTable) return fromTable(bpTable, key);
  if (!runDir) throw new ParameterError('extractBunchPattern needs the bunch pattern table, or the run to read it from (runDir)', { parameter: 'runDir', value: runDir });
  checkLocation(key);
  const m = resolveMnemonic('bunchPatternTable', runDir);
  return runDir.getArray(m.source, m.key, { extraDims: ['pulse_slot'] }).then((bpt) => fromTable(bpt, key));
}

/**
 * Pulse IDs of `loc` for every train, from the decoder or the table; null
 * when the run has neither. `runMnemonics` (mnemonicsForRun's answer) saves
 * looking them up again.
 */
export async function pulseIdsPerTrain(run: DataCollection, loc: PulseLocation | string = 'sase3', runMnemonics?: Record<string, Mnemonic>): Promise<PulseIdsPerTrain | null> {
  const where = checkLocation(loc);
  const have = runMnemonics ?? mnemonicsForRun(run);
  const dec = decoderName(where);
  if (have[dec] && have[`npulses_${dec}`]) {
    const n = await run.getArray(have[`npulses_${dec}`].source, have[`npulses_${dec}`].key);
    const ids = await run.getArray(have[dec].source, have[dec].key);
    const counts = Array.from(n.values as ArrayLike<number | bigint>, (c) => Math.min(Number(c), ids.shape[1]));
    return {
      trainIds: Array.from(ids.coords.trainId.values as BigUint64Array, Number),
      pulseIds: idsOfRows(ids, counts),
      from: 'decoder',
    };
  }
  if (have.bunchPatternTable) {
    const bpt = await run.getArray(have.bunchPatternTable.source, have.bunchPatternTable.key, { extraDims: ['pulse_slot'] });
    return {
      trainIds: Array.from(bpt.coords.trainId.values as BigUint64Array, Number),
      pulseIds: idsFromTable(bpt, where),
      from: 'table',
    };
  }
  return null;
}

export interface NpulsesOptions {
  /** 'sase1', 'sase2', 'sase3' (default) or 'scs_ppl'. */
  loc?: PulseLocation | string;
  /** The run's mnemonics (mnemonicsForRun(run)), to save looking them up again. */
  runMnemonics?: Record<string, Mnemonic>;
}
const NPULSES_OPTIONS = optionNames<NpulsesOptions>({ loc: true, runMnemonics: true });

/** npulses_has_changed: true when the pulse count of `loc` differs between trains, or the run has no bunch pattern at all. */
export async function npulsesHasChanged(run: DataCollection, options: NpulsesOptions = {}): Promise<boolean> {
  checkOptions('npulsesHasChanged', options, NPULSES_OPTIONS);
  const p = await pulseIdsPerTrain(run, options.loc ?? 'sase3', options.runMnemonics);
  if (!p) return true;
  return p.pulseIds.some((ids) => ids.length !== p.pulseIds[0].length);
}

export interface SasePIdOptions extends NpulsesOptions {
  /** The bunch pattern table (trainId, pulse_slot) to use when the pulse count changes during the run (default: the run's). */
  bpt?: DataArray;
  /** A Dataset whose 'bunchPatternTable' is used when the pulse count changes (Python's merge_with; it is not modified). */
  mergeWith?: Dataset;
}
const SASE_PID_OPTIONS = optionNames<SasePIdOptions>({ loc: true, runMnemonics: true, bpt: true, mergeWith: true });

const sortedUnion = (perTrain: number[][]): number[] => [...new Set(perTrain.flat())].sort((a, b) => a - b);

/**
 * get_sase_pId: the pulse IDs of `loc` in this run — those of the first train
 * when the pattern is constant, else every ID used in any train, sorted
 * (from `bpt`, or `mergeWith`'s bunchPatternTable, when given). null when
 * the run has no bunch pattern and none is given.
 */
export async function getSasePId(run: DataCollection, options: SasePIdOptions = {}): Promise<number[] | null> {
  checkOptions('getSasePId', options, SASE_PID_OPTIONS);
  const loc = checkLocation(options.loc ?? 'sase3');
  const given = options.bpt ?? (options.mergeWith?.has('bunchPatternTable') ? options.mergeWith.get('bunchPatternTable') : undefined);
  const p = await pulseIdsPerTrain(run, loc, options.runMnemonics);
  const constant = p && p.pulseIds.length > 0 && p.pulseIds.every((ids) => ids.length === p.pulseIds[0].length && ids.every((v, i) => v === p.pulseIds[0][i]));
  if (constant) return p.pulseIds[0];
  if (given) return sortedUnion(idsFromTable(given, loc));
  if (!p || p.pulseIds.length === 0) return null;
  return sortedUnion(p.pulseIds);
}

/** Pulse IDs per train of `key` in a Dataset holding `<key>` and `npulses_<key>` (as load() gives) or a `bunchPatternTable`. */
function idsFromDataset(data: Dataset, key: PulseLocation, fn: string): number[][] {
  if (data.has(key) && data.has(`npulses_${key}`)) {
    return idsOfRows(data.get(key), Array.from(data.get(`npulses_${key}`).values as ArrayLike<number | bigint>, Number));
  }
  if (data.has('bunchPatternTable')) return idsFromTable(data.get('bunchPatternTable'), key);
  throw new ToolBoxValueError(`${fn} needs '${key}' and 'npulses_${key}', or 'bunchPatternTable', in the Dataset; it has ${data.dataVars.join(', ') || '(no variables)'}`);
}

export interface RepRateOptions {
  /** 'sase1', 'sase2', 'sase3' (default) or 'scs_ppl'. */
  key?: PulseLocation | string;
  /** Python's keywords: the run to open when `data` is null. */
  runNB?: number | string;
  proposalNB?: number | string;
}
const REP_RATE_OPTIONS = optionNames<RepRateOptions>({ key: true, runNB: true, proposalNB: true });

const isRunNumber = (x: unknown): x is number | string => typeof x === 'number' || typeof x === 'string';

/**
 * repRate: the repetition rate (kHz) of `key` on the 4.5 MHz grid, from the
 * first train with at least two pulses: of a run (opened, or proposal and run
 * numbers as in the Python toolbox), or of a Dataset holding `<key>` and
 * `npulses_<key>` (as load() gives) or a `bunchPatternTable`.
 */
export async function repRate(data: DataCollection | Dataset | null, options?: RepRateOptions): Promise<number>;
export async function repRate(proposal: number | string, runNB: number | string, options?: RepRateOptions): Promise<number>;
export async function repRate(...args: unknown[]): Promise<number> {
  if (isRunNumber(args[0])) {
    if (!isRunNumber(args[1])) throw new ParameterError(`repRate(${JSON.stringify(args[0])}, …) needs the run number as second argument`, { parameter: 'runNB', value: args[1] });
    checkOptions('repRate', args[2] as RepRateOptions | undefined, REP_RATE_OPTIONS);
    return repRate(await openRun(args[0], args[1]), args[2] as RepRateOptions | undefined);
  }
  const [data, options] = args as [DataCollection | Dataset | null | undefined, RepRateOptions | undefined];
  const { key: loc = 'sase3', runNB, proposalNB } = checkOptions('repRate', options, REP_RATE_OPTIONS);
  if (data === null || data === undefined) {
    if (runNB === undefined || proposalNB === undefined) throw new ParameterError('repRate needs a run or Dataset, or proposal and run numbers: repRate(proposal, run) or repRate(null, { proposalNB, runNB })', { parameter: 'data', value: data });
    return repRate(await openRun(proposalNB, runNB), { key: loc });
  }
  const key = checkLocation(loc);
  let perTrain: number[][];
  if ('dataVars' in data) perTrain = idsFromDataset(data, key, 'repRate');
  else {
    const p = await pulseIdsPerTrain(data, key);
    if (!p) throw new ToolBoxValueError('this run has no bunch pattern (neither the BUNCH_DECODER device nor a bunchPatternTable)');
    perTrain = p.pulseIds;
  }
  const train = perTrain.find((ids) => ids.length > 1);
  return train ? repRateFromPulseIds(train) : 0;
}

export interface PulsePatternInfo {
  sase1: { minPulses: number; maxPulses: number; pulseIds: number[] | null };
  sase3: { minPulses: number; maxPulses: number; pulseIds: number[] | null };
  /** Which sub-train comes first in the train, when both are there. */
  first: 'sase1' | 'sase3' | null;
  /** Smallest distance (in pulse IDs) between a SASE1 and a SASE3 pulse of the same train. */
  minSeparation: number | null;
  text: string;
  /** Pulses per train of SASE1 and SASE3 against trainId (with `plot: true`). */
  plot?: Plot;
}

export interface PulsePatternInfoOptions {
  /** Attach the plot of the pulses per train (default false, as the Python toolbox); the result then shows as that plot. */
  plot?: boolean;
}
const PULSE_PATTERN_OPTIONS = optionNames<PulsePatternInfoOptions>({ plot: true });

/** Per-train pulse IDs of SASE1 and SASE3: from the run, or from a Dataset as load() gives it (null where absent). */
async function sasePatterns(data: DataCollection | Dataset): Promise<[PulseIdsPerTrain | null, PulseIdsPerTrain | null]> {
  if (!('dataVars' in data)) return Promise.all([pulseIdsPerTrain(data, 'sase1'), pulseIdsPerTrain(data, 'sase3')]);
  const trainIds = data.coords.trainId ? Array.from(data.coords.trainId.values as ArrayLike<number | bigint>, Number) : [];
  const of = (loc: PulseLocation): PulseIdsPerTrain | null => {
    const has = (data.has(loc) && data.has(`npulses_${loc}`)) || data.has('bunchPatternTable');
    return has ? { trainIds, pulseIds: idsFromDataset(data, loc, 'pulsePatternInfo'), from: data.has('bunchPatternTable') ? 'table' : 'decoder' } : null;
  };
  const [s1, s3] = [of('sase1'), of('sase3')];
  if (!s1 && !s3) {
    throw new ToolBoxValueError(`pulsePatternInfo needs 'sase1'/'npulses_sase1', 'sase3'/'npulses_sase3' or 'bunchPatternTable' in the Dataset; it has ${data.dataVars.join(', ') || '(no variables)'}`);
  }
  return [s1, s3];
}

function patternPlot(s1: PulseIdsPerTrain | null, s3: PulseIdsPerTrain | null): Plot {
  const series: Record<string, { x: number[]; y: number[] }> = {};
  for (const [name, p] of [['SASE3', s3], ['SASE1', s1]] as const) {
    if (p) series[name] = { x: p.trainIds, y: p.pulseIds.map((ids) => ids.length) };
  }
  return line(series, { title: 'pulse pattern', xLabel: 'trainId', yLabel: 'pulses per train', points: true });
}

/**
 * pulsePatternInfo: how SASE1 and SASE3 shared the trains, as numbers and as
 * readable text, of a run or of a Dataset holding the decoder's variables
 * ('sase1', 'npulses_sase1', 'sase3', 'npulses_sase3') or a
 * bunchPatternTable. `plot: true` attaches the pulses per train.
 */
export async function pulsePatternInfo(data: DataCollection | Dataset, options: PulsePatternInfoOptions = {}): Promise<PulsePatternInfo> {
  checkOptions('pulsePatternInfo', options, PULSE_PATTERN_OPTIONS);
  const [s1, s3] = await sasePatterns(data);
  const summary = (p: PulseIdsPerTrain | null) => {
    const counts = p ? p.pulseIds.map((x) => x.length) : [0];
    return { minPulses: Math.min(...counts), maxPulses: Math.max(...counts), pulseIds: p ? p.pulseIds[0] ?? [] : null };
  };
  const sase1 = summary(s1), sase3 = summary(s3);
  let first: PulsePatternInfo['first'] = null;
  let minSeparation: number | null = null;
  if (s1 && s3) {
    for (let t = 0; t < Math.min(s1.pulseIds.length, s3.pulseIds.length); t++) {
      const a = s1.pulseIds[t], b = s3.pulseIds[t];
      if (!a.length || !b.length) continue;
      first ??= a[0] < b[0] ? 'sase1' : 'sase3';
      for (const x of a) for (const y of b) minSeparation = Math.min(minSeparation ?? Infinity, Math.abs(x - y));
    }
  }
  const row = (name: string, s: typeof sase1) => s.pulseIds === null
    ? `${name}: no bunch pattern`
    : `${name}: ${s.minPulses === s.maxPulses ? s.minPulses : `${s.minPulses} to ${s.maxPulses}`} pulses per train` +
      (s.pulseIds.length ? `, first train pulse IDs ${s.pulseIds[0]}..${s.pulseIds[s.pulseIds.length - 1]}` : '');
  const text = [row('SASE1', sase1), row('SASE3', sase3),
    first ? `${first.toUpperCase()} comes first; minimum separation ${minSeparation} pulse IDs (${((minSeparation ?? 0) * 1e6 / BUCKET_RATE_KHZ).toFixed(1)} ns)` : 'only one SASE in the trains',
  ].join('\n');
  const info: PulsePatternInfo = { sase1, sase3, first, minSeparation, text };
  return options.plot ? withPlot(info, patternPlot(s1, s3), text) : info;
}
