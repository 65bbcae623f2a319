/**
 * get_peaks: pulse-resolved peak areas from raw digitizer traces, on the
 * bunch-pattern pulse axis like the XGM (xgm.ts): dims (trainId, sa3_pId |
 * sa1_pId | ol_pId). When the pulse count changes during the run, the axis
 * is the union of the pulse IDs and a train's missing pulses are NaN.
 *
 * Position rule: the digitizer is triggered once per train, so pulse ID `id`
 * always appears (id − id0) × samplesPerBucket samples after the first pulse
 * ID id0 of the union; the integration windows are those of id0. The
 * bunch-pattern spacing therefore overrides a given `period`, and the
 * pattern's pulse counts override `npulses`. Without a bunch pattern
 * (bunchPattern: null) pulses are k = 0..npulses−1 at k × period on a
 * 'pulseNb' axis.
 *
 * Traces already in memory (`data`, e.g. MCP2raw that load() kept with
 * extractDigitizers: false) are integrated the same way, windows found on
 * their own average, instead of being read again from the run. An on-board
 * mnemonic (MCP2apd) or useRaw: false gives the device's own integrals
 * (onboard.ts) on the same pulse axis.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { type Slice } from '../../arrays/slice.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { PulseLocation } from '../../misc/bunch-pattern-bits.js';
import { type PulseIdsPerTrain, pulseIdsPerTrain } from '../../misc/bunch-pattern.js';
import type { DataCollection } from '../../run/data-collection.js';
import { PULSE_DIMS } from '../pulse-axis.js';
import { getDigAvgTrace } from './avg-trace.js';
import { type ChannelSpec, type TraceChannel, traceChannel, traceInfo } from './channels.js';
import { type TraceValues, accumulateRows, integrateRows } from './integrate.js';
import { isOnboardPeaks, onboardName, patternFromTable, peaksLocation, peaksName, rawName } from './names.js';
import { onboardPeaks } from './onboard.js';
import { type IntegParams, checkWindows, findIntegParams } from './params.js';

/** Pulse dimension per bunch-pattern location (the same names as every pulse-resolved result). */
export const PEAK_DIMS: Readonly<Record<PulseLocation, string>> = PULSE_DIMS;
const NO_PATTERN_DIM = 'pulseNb';

export interface GetPeaksOptions {
  /**
   * Data already in memory instead of reading the channel from the run (Python's `data`
   * as an array): raw traces (trainId, samples), e.g. MCP2raw that load() kept with
   * extractDigitizers: false, or the device integrals (trainId, entry) with useRaw: false.
   */
  data?: DataArray;
  /**
   * true: integrate the raw trace; false: use the device's own integrals (MCP<n>apd,
   * FastADC<n>peaks). Default: from the mnemonic (…raw → true, …apd/…peaks → false);
   * given against it, the channel's other form is read (MCP2apd with useRaw: true integrates MCP2raw).
   */
  useRaw?: boolean;
  /** Bunch pattern giving the pulse IDs (default 'sase3'); null or 'None': use integParams' period and npulses (raw) or `indices` (device integrals). */
  bunchPattern?: PulseLocation | 'None' | null;
  /** A bunch pattern table (trainId, pulse_slot) to take the pulse IDs from instead of the run's (Python's bpt). */
  bpt?: DataArray;
  /** Name of the pulse dimension (default from the bunch pattern: sa3_pId, sa1_pId, ol_pId; 'pulseNb' without). */
  extraDim?: string;
  /** Device integrals without a bunch pattern: the entries to keep (positions or a slice). */
  indices?: readonly number[] | Slice<number | null>;
  /** Integration windows; missing or `autoFind: true` → found on the average trace. */
  integParams?: Partial<IntegParams>;
  /** Find the windows on the average trace (default: when integParams has no windows). */
  autoFind?: boolean;
  /** Keep trains without any pulse of the bunch pattern, as NaN rows (default false: dropped). */
  keepAllSase?: boolean;
  /** Trains averaged for the automatic windows (default 200, evenly spaced). */
  ntrainsAvg?: number;
  /** Trains per read (default 200). */
  chunksize?: number;
  /** Polarity override: -1 negates the integral (default for the ADQ412), +1 keeps it (default for the FastADC). */
  sign?: 1 | -1;
  /** The bunch pattern as pulseIdsPerTrain(run, bunchPattern) returned it, so that several channels share one read (null: the run has none). */
  pulsePattern?: PulseIdsPerTrain | null;
}
export const GET_PEAKS_OPTIONS = optionNames<GetPeaksOptions>({
  data: true, useRaw: true, bunchPattern: true, bpt: true, extraDim: true, indices: true, integParams: true, autoFind: true,
  keepAllSase: true, ntrainsAvg: true, chunksize: true, sign: true, pulsePattern: true,
});

/** The options of resolveParams (shared with checkPeakParams). */
export interface ResolveParamsOptions {
  integParams?: Partial<IntegParams>;
  autoFind?: boolean;
  ntrainsAvg?: number;
  chunksize?: number;
  traces?: DataArray;
}

/** The pulse layout actually used: which pulses each train has and where. */
export interface PulseLayout {
  dim: string;
  /** Output pulse coordinate (pulse IDs, or 0..npulses−1 without pattern). */
  ids: number[];
  /** Pulse IDs per train, when from a bunch pattern. */
  byTrain: Map<number, number[]> | null;
  /** Samples between the first pulse and each coordinate value. */
  offsetOf: (id: number) => number;
  /** Samples between adjacent pulse slots of the pattern, or the given period. */
  period: number;
  npulses: number;
}

export async function pulseLayout(run: DataCollection, ch: TraceChannel, loc: PulseLocation | null, given: Partial<IntegParams>, pattern?: PulseIdsPerTrain | null): Promise<PulseLayout> {
  if (loc !== null) {
    const p = pattern === undefined ? await pulseIdsPerTrain(run, loc) : pattern;
    if (p) {
      const byTrain = new Map(p.trainIds.map((t, i) => [t, p.pulseIds[i]] as const));
      const ids = [...new Set(p.pulseIds.flat())].sort((a, b) => a - b);
      if (!ids.length) throw new ToolBoxValueError(`${ch.name}: the ${loc} bunch pattern has no pulse in the selected trains`);
      let step = Infinity;
      for (const row of p.pulseIds) for (let k = 1; k < row.length; k++) step = Math.min(step, row[k] - row[k - 1]);
      const spb = ch.samplesPerBucket;
      const id0 = ids[0];
      return {
        dim: PEAK_DIMS[loc], ids, byTrain, offsetOf: (id) => (id - id0) * spb,
        period: Number.isFinite(step) ? step * spb : (given.period ?? 0), npulses: Math.max(...p.pulseIds.map((r) => r.length)),
      };
    }
    process.emitWarning(`${ch.name}: no bunch pattern in this run, pulses placed by integParams.period and npulses`, 'ToolBoxWarning');
  }
  const { period, npulses } = given;
  if (!Number.isInteger(period) || !Number.isInteger(npulses) || period! < 1 || npulses! < 1) {
    throw new ParameterError(`${ch.name}: without a bunch pattern integParams needs integer period ≥ 1 and npulses ≥ 1, got period ${period}, npulses ${npulses}`, { parameter: 'integParams', value: { period, npulses } });
  }
  return { dim: NO_PATTERN_DIM, ids: Array.from({ length: npulses! }, (_, k) => k), byTrain: null, offsetOf: (k) => k * period!, period: period!, npulses: npulses! };
}

/** The parameters get_peaks uses: windows given or found, period and npulses from the layout. */
export async function resolveParams(run: DataCollection, ch: TraceChannel, layout: PulseLayout, nsamples: number, options: ResolveParamsOptions): Promise<{ params: IntegParams; auto: boolean }> {
  const g = options.integParams ?? {};
  const hasWindows = ['pulseStart', 'pulseStop', 'baseStart', 'baseStop'].every((k) => g[k as keyof IntegParams] !== undefined);
  const auto = options.autoFind ?? !hasWindows;
  let params: IntegParams;
  if (auto) {
    const avg = options.traces ? meanTrace(options.traces) : (await getDigAvgTrace(run, ch, { ntrains: options.ntrainsAvg ?? 200, chunksize: options.chunksize })).values as Float64Array;
    params = findIntegParams(avg, { sign: ch.sign, period: layout.period, npulses: layout.npulses, name: ch.name });
  } else {
    params = { ...(g as IntegParams) };
  }
  params.period = layout.period;
  params.npulses = layout.npulses;
  checkWindows(params, nsamples, layout.offsetOf(layout.ids[layout.ids.length - 1]), ch.name);
  return { params, auto };
}

/** Check that `traces` is a (trainId, samples) array of real numbers and return its sample count. */
function loadedTraceSamples(traces: DataArray, name: string): number {
  if (traces.dims.length !== 2 || traces.dims[0] !== 'trainId' || !traces.coords.trainId) {
    throw new ToolBoxValueError(`${name}: loaded traces must have dims (trainId, samples) with a trainId coordinate, got (${traces.dims.join(', ')})`);
  }
  if (traces.values instanceof BigInt64Array || traces.values instanceof BigUint64Array || Array.isArray(traces.values)) {
    throw new ToolBoxValueError(`${name}: loaded traces have dtype ${traces.dtype}; expected a numeric trace`);
  }
  if (traces.shape[0] === 0 || traces.shape[1] === 0) throw new ToolBoxValueError(`${name}: the loaded traces are empty (shape ${traces.shape.join('×')})`);
  return traces.shape[1];
}

/** Mean over trainId of loaded traces. */
function meanTrace(traces: DataArray): Float64Array {
  const [rows, n] = traces.shape;
  const acc = new Float64Array(n);
  accumulateRows(traces.values as TraceValues, rows, n, acc);
  for (let s = 0; s < n; s++) acc[s] /= rows;
  return acc;
}

async function* single(traces: DataArray): AsyncGenerator<DataArray> {
  yield traces;
}

/**
 * get_peaks: peak areas of one digitizer channel on the pulse axis, dims
 * (trainId, pulse dim), float64 (raw traces; NaN where a train had no such
 * pulse) or float32 (device integrals), named `<channel>peaks`.
 */
export async function getPeaks(run: DataCollection, mnemonic: ChannelSpec, options: GetPeaksOptions = {}): Promise<DataArray> {
  options = checkOptions('getPeaks', options, GET_PEAKS_OPTIONS);
  return peaksOf(run, mnemonic, options);
}

/** getPeaks without the options check, for the entry points that checked their own. */
export async function peaksOf(run: DataCollection, mnemonic: ChannelSpec, options: GetPeaksOptions): Promise<DataArray> {
  const named = typeof mnemonic === 'string';
  const onboard = named && isOnboardPeaks(mnemonic);
  const useRaw = options.useRaw ?? !onboard;
  if (!useRaw) {
    if (!named) throw new ParameterError('useRaw: false needs a mnemonic (MCP<n>apd, FastADC<n>peaks…), not a source/key pair', { parameter: 'mnemonic', value: mnemonic });
    const mn = onboard ? mnemonic : onboardName(mnemonic);
    const { bunchPattern, sign, data, bpt, extraDim, indices, pulsePattern } = options;
    const da = await onboardPeaks(run, mn, { bunchPattern, sign, data, bpt, extraDim, indices, pulsePattern });
    return da.rename(peaksName(mn));
  }
  const raw = onboard ? rawName(mnemonic) : mnemonic;
  const da = await integratePeaks(run, raw, options);
  return options.extraDim ? da.rename({ [da.dims[1]]: options.extraDim }) : da;
}

/** Peak areas of one raw-trace channel: (trainId, pulse dim), float64, NaN where a train had no such pulse. */
async function integratePeaks(run: DataCollection, mnemonic: ChannelSpec, options: GetPeaksOptions): Promise<DataArray> {
  const ch0 = traceChannel(run, mnemonic);
  const ch = options.sign ? { ...ch0, sign: options.sign } : ch0;
  const traces = options.data;
  const nsamples = traces ? loadedTraceSamples(traces, ch.name) : traceInfo(run, ch).nsamples;
  const loc = peaksLocation(options.bunchPattern, 'sase3');
  const pattern = options.bpt && loc ? patternFromTable(options.bpt, loc) : options.pulsePattern;
  const layout = await pulseLayout(run, ch, loc, options.integParams ?? {}, pattern);
  const { params, auto } = await resolveParams(run, ch, layout, nsamples, { ...options, traces });
  const ncols = layout.ids.length;
  const col = new Map(layout.ids.map((id, k) => [id, k]));
  const parts: Float64Array[] = [];
  const trainIds: bigint[] = [];
  const chunks = traces ? single(traces) : run.trainsChunks(ch.source, ch.key, { chunksize: options.chunksize, progress: `integrating ${ch.name} peaks` });
  for await (const chunk of chunks) {
    const tids = Array.from(chunk.coords.trainId.values as ArrayLike<bigint | number>, (t) => BigInt(t));
    // Rows kept (a train without pattern entry has no pulse IDs to put its areas on).
    const keep: number[] = [], offsets: number[][] = [], columns: number[][] = [];
    tids.forEach((t, r) => {
      const ids = layout.byTrain ? layout.byTrain.get(Number(t)) : layout.ids;
      if (!ids || (!ids.length && !options.keepAllSase)) return;
      keep.push(r);
      offsets.push(ids.map(layout.offsetOf));
      columns.push(ids.map((id) => col.get(id)!));
      trainIds.push(t);
    });
    if (!keep.length) continue;
    const out = new Float64Array(keep.length * ncols).fill(NaN);
    const values = chunk.values as TraceValues;
    // Kept rows are integrated in place: row r of the chunk goes to output row i.
    keep.forEach((r, i) => {
      integrateRows(values.subarray(r * nsamples, (r + 1) * nsamples), 1, nsamples, params, ch.sign, [offsets[i]], [columns[i]], out, i, ncols);
    });
    parts.push(out);
  }
  const all = new Float64Array(trainIds.length * ncols);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  const name = typeof mnemonic === 'string' ? peaksName(mnemonic) : `${ch.name}.peaks`;
  return new DataArray(all, {
    dims: ['trainId', layout.dim], shape: [trainIds.length, ncols], name,
    coords: { trainId: BigUint64Array.from(trainIds), [layout.dim]: BigInt64Array.from(layout.ids, (v) => BigInt(v)) },
    attrs: { ...params, autoFind: auto, sign: ch.sign, digitizer: ch.kind, samplesPerBucket: ch.samplesPerBucket },
  });
}
