/**
 * get_dig_avg_trace: the mean raw trace of a digitizer channel, streamed in
 * chunks of trains so a 1000 × 100k-sample channel never sits in memory.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError } from '../../errors.js';
import type { DataCollection } from '../../run/data-collection.js';
import { byId } from '../../run/train-select.js';
import { checkOptions, optionNames } from '../../options.js';
import { type ChannelSpec, traceChannel, traceInfo } from './channels.js';
import { type TraceValues, accumulateRows } from './integrate.js';

export interface DigAvgTraceOptions {
  /** Average over this many trains evenly spaced across the selection (default all). */
  ntrains?: number;
  /** Average over these train IDs only (takes precedence over ntrains). */
  trainIds?: readonly (number | bigint)[];
  /** Trains per read (default 200). */
  chunksize?: number;
}

const DIG_AVG_TRACE_OPTIONS = optionNames<DigAvgTraceOptions>({ ntrains: true, trainIds: true, chunksize: true });

/** Train IDs of `ntrains` trains evenly spaced over `ids`. */
function evenlySpaced(ids: readonly number[], ntrains: number): number[] {
  if (!Number.isInteger(ntrains) || ntrains < 1) throw new ParameterError(`ntrains must be a positive integer, got ${ntrains}`, { parameter: 'ntrains', value: ntrains });
  if (ntrains >= ids.length) return [...ids];
  const step = ids.length / ntrains;
  return Array.from({ length: ntrains }, (_, i) => ids[Math.floor(i * step)]);
}

/** Mean trace over the trains that have data, dims ['samplesId']. */
export async function getDigAvgTrace(run: DataCollection, mnemonic: ChannelSpec, options: DigAvgTraceOptions = {}): Promise<DataArray> {
  options = checkOptions('getDigAvgTrace', options, DIG_AVG_TRACE_OPTIONS);
  const ch = traceChannel(run, mnemonic);
  let sel = run;
  if (options.trainIds) sel = run.selectTrains(byId(options.trainIds.map((t) => BigInt(t))));
  else if (options.ntrains !== undefined) sel = run.selectTrains(byId(evenlySpaced(run.trainIds, options.ntrains).map(BigInt)));
  const { nsamples } = traceInfo(sel, ch);
  const acc = new Float64Array(nsamples);
  let count = 0;
  for await (const chunk of sel.trainsChunks(ch.source, ch.key, { chunksize: options.chunksize })) {
    const rows = chunk.shape[0];
    accumulateRows(chunk.values as TraceValues, rows, nsamples, acc);
    count += rows;
  }
  for (let s = 0; s < nsamples; s++) acc[s] /= count;
  return new DataArray(acc, { dims: ['samplesId'], name: ch.name, attrs: { trains: count } });
}
