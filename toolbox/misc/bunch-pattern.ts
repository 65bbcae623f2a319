/**
 * Bunch-pattern questions asked of a run: which pulse IDs went to SASE1,
 * SASE3 or the SCS pump-probe laser, whether the count changed during the
 * run, and at what repetition rate. The decoder device (BUNCH_DECODER) is
 * used when the run has it; otherwise the answer comes from the timeserver's
 * table, so runs without a decoder still work (the Python toolbox gives up there).
 */
import type { DataArray } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
import { ToolBoxValueError } from '../errors.js';
import { mnemonicsForRun } from '../mnemonics/lookup.js';
import type { DataCollection } from '../run/data-collection.js';
import { BUCKET_RATE_KHZ, type PulseLocation, checkLocation, extractBunchPattern, repRateFromPulseIds } from './bunch-pattern-bits.js';

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
  const { bunchPattern, npulses } = extractBunchPattern(bpt, loc);
  return idsOfRows(bunchPattern, Array.from(npulses.values as BigInt64Array, Number));
}

/** Pulse IDs of `loc` for every train, from the decoder or the table; null when the run has neither. */
export async function pulseIdsPerTrain(run: DataCollection, loc: PulseLocation | string = 'sase3'): Promise<PulseIdsPerTrain | null> {
  const where = checkLocation(loc);
  const have = mnemonicsForRun(run);
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

/** npulses_has_changed: true when the pulse count of `loc` differs between trains, or the run has no bunch pattern at all. */
export async function npulsesHasChanged(run: DataCollection, options: { loc?: PulseLocation | string } = {}): Promise<boolean> {
  const p = await pulseIdsPerTrain(run, options.loc ?? 'sase3');
  if (!p) return true;
  return p.pulseIds.some((ids) => ids.length !== p.pulseIds[0].length);
}

/**
 * get_sase_pId: the pulse IDs of `loc` in this run — those of the first train
 * when the pattern is constant, else every ID used in any train, sorted.
 * null when the run has no bunch pattern.
 */
export async function getSasePId(run: DataCollection, options: { loc?: PulseLocation | string } = {}): Promise<number[] | null> {
  const p = await pulseIdsPerTrain(run, options.loc ?? 'sase3');
  if (!p || p.pulseIds.length === 0) return null;
  const constant = p.pulseIds.every((ids) => ids.length === p.pulseIds[0].length && ids.every((v, i) => v === p.pulseIds[0][i]));
  if (constant) return p.pulseIds[0];
  return [...new Set(p.pulseIds.flat())].sort((a, b) => a - b);
}

/**
 * repRate: the repetition rate (kHz) of `key` on the 4.5 MHz grid, from the
 * first train with at least two pulses: of a run, or of a Dataset holding
 * `<key>` and `npulses_<key>` (as load() gives) or a `bunchPatternTable`.
 */
export async function repRate(data: DataCollection | Dataset, options: { key?: PulseLocation | string } = {}): Promise<number> {
  const key = checkLocation(options.key ?? 'sase3');
  let perTrain: number[][];
  if ('dataVars' in data) {
    if (data.has(key) && data.has(`npulses_${key}`)) {
      perTrain = idsOfRows(data.get(key), Array.from(data.get(`npulses_${key}`).values as ArrayLike<number | bigint>, Number));
    } else if (data.has('bunchPatternTable')) {
      perTrain = idsFromTable(data.get('bunchPatternTable'), key);
    } else {
      throw new ToolBoxValueError(`repRate needs '${key}' and 'npulses_${key}', or 'bunchPatternTable', in the Dataset; it has ${data.dataVars.join(', ') || '(no variables)'}`);
    }
  } else {
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
}

/** pulsePatternInfo: how SASE1 and SASE3 shared the trains of this run, as numbers and as readable text. */
export async function pulsePatternInfo(run: DataCollection): Promise<PulsePatternInfo> {
  const [s1, s3] = await Promise.all([pulseIdsPerTrain(run, 'sase1'), pulseIdsPerTrain(run, 'sase3')]);
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
  const line = (name: string, s: typeof sase1) => s.pulseIds === null
    ? `${name}: no bunch pattern`
    : `${name}: ${s.minPulses === s.maxPulses ? s.minPulses : `${s.minPulses} to ${s.maxPulses}`} pulses per train` +
      (s.pulseIds.length ? `, first train pulse IDs ${s.pulseIds[0]}..${s.pulseIds[s.pulseIds.length - 1]}` : '');
  const text = [line('SASE1', sase1), line('SASE3', sase3),
    first ? `${first.toUpperCase()} comes first; minimum separation ${minSeparation} pulse IDs (${((minSeparation ?? 0) * 1e6 / BUCKET_RATE_KHZ).toFixed(1)} ns)` : 'only one SASE in the trains',
  ].join('\n');
  return { sase1, sase3, first, minSeparation, text };
}
