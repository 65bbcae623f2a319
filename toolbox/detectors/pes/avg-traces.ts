/**
 * save_pes_avg_traces / load_pes_avg_traces: the mean raw trace of PES
 * channels over a run's trains, kept in
 * `<proposal path>/<subdir>/r{run:04d}/r{run:04d}-pes-data.h5` as a
 * netCDF-4 file (root group) that xarray opens directly (docs/pes.md,
 * Average traces).
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ParameterError, ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { loadXarray, saveXarray } from '../../io/netcdf.js';
import { checkOptions, optionNames } from '../../options.js';
import { openRun } from '../../run/open.js';
import { findProposal, proposalNumber, runNumber } from '../../run/paths.js';
import { getDigAvgTrace } from '../digitizers/avg-trace.js';
import { pesChannelList, pesChannelName } from './channels.js';

export interface PesAvgTracesOptions {
  /** Channels or mnemonics, e.g. '2A', ['2A', '3C'], ['PES_1Araw', 'PES_4Draw', '3B'] (default: every channel the run has / the file holds). */
  channels?: string | string[];
  /** Folder below the proposal's (default 'usr/processed_runs'). */
  subdir?: string;
}
const PES_AVG_TRACES_OPTIONS = optionNames<PesAvgTracesOptions>({ channels: true, subdir: true });

/** The file of a run's average traces: <proposal path>/<subdir>/r0030/r0030-pes-data.h5. */
export function pesAvgTracesPath(proposal: number | string, runNB: number | string, subdir = 'usr/processed_runs'): string {
  if (typeof subdir !== 'string' || subdir === '') throw new ParameterError(`subdir must be a non-empty folder name, got ${JSON.stringify(subdir)}`, { parameter: 'subdir', value: subdir });
  const r = `r${String(runNumber(runNB)).padStart(4, '0')}`;
  return join(findProposal(proposal), subdir, r, `${r}-pes-data.h5`);
}

async function exists(file: string): Promise<boolean> {
  try { await stat(file); return true; } catch { return false; }
}

/** Traces of different lengths share `sampleId`: shorter ones are NaN-padded. */
function onCommonAxis(traces: DataArray[], names: string[], keep: Dataset | undefined, attrs: Record<string, number>): Dataset {
  const n = Math.max(...traces.map((t) => t.shape[0]), ...(keep ? keep.dataVars.map((v) => keep.get(v).shape[0]) : []));
  const vars: Record<string, DataArray> = {};
  const pad = (v: DataArray, name: string): DataArray => {
    const out = new Float64Array(n).fill(NaN);
    out.set(v.values as Float64Array);
    return new DataArray(out, { dims: ['sampleId'], name, attrs: v.attrs });
  };
  if (keep) for (const v of keep.dataVars) if (!names.includes(v)) vars[v] = pad(keep.get(v), v);
  traces.forEach((t, i) => { vars[names[i]] = pad(t, names[i]); });
  const sorted = Object.keys(vars).sort();
  return new Dataset(Object.fromEntries(sorted.map((k) => [k, vars[k]])), {
    coords: { sampleId: Int32Array.from({ length: n }, (_, i) => i) }, attrs,
  });
}

/**
 * Save the average traces of PES channels (Python: save_pes_avg_traces):
 * per channel the mean raw trace over the trains that recorded it, variable
 * 'PES_2Araw' over 'sampleId'. Channels already in the file and not given
 * again are kept. Written to a temporary name, then renamed. Resolves with
 * the file's path.
 */
export async function savePesAvgTraces(proposal: number | string, runNB: number | string, options: PesAvgTracesOptions = {}): Promise<string> {
  options = checkOptions('savePesAvgTraces', options, PES_AVG_TRACES_OPTIONS);
  const file = pesAvgTracesPath(proposal, runNB, options.subdir);
  const run = await openRun(proposal, runNB);
  const chans = pesChannelList(run, options.channels, `run ${runNB} of proposal ${proposal}`);
  const traces: DataArray[] = [];
  for (const ch of chans) {
    const avg = await getDigAvgTrace(run, { source: ch.source, key: ch.key });
    traces.push(avg.with({
      attrs: { channel: ch.channel, source: ch.source, key: ch.key, trains: Number(avg.attrs.trains), samplingRateGHz: ch.samplingRateGHz, samplesPerBucket: ch.samplesPerBucket },
    }));
  }
  const keep = (await exists(file)) ? await loadXarray(file, { group: '/' }) : undefined;
  const ds = onCommonAxis(traces, chans.map((c) => c.mnemonic), keep, { proposal: proposalNumber(proposal), runNB: runNumber(runNB) });
  await mkdir(join(file, '..'), { recursive: true });
  await saveXarray(file, ds, { group: '/', mode: 'w' });
  return file;
}

/**
 * Load average traces saved by savePesAvgTraces (Python:
 * load_pes_avg_traces): the Dataset of the given channels, default all in
 * the file.
 */
export async function loadPesAvgTraces(proposal: number | string, runNB: number | string, options: PesAvgTracesOptions = {}): Promise<Dataset> {
  options = checkOptions('loadPesAvgTraces', options, PES_AVG_TRACES_OPTIONS);
  const file = pesAvgTracesPath(proposal, runNB, options.subdir);
  if (!(await exists(file))) {
    throw new ToolBoxPathError(`no PES average traces for run ${runNB} of proposal ${proposal}: ${file} does not exist (savePesAvgTraces writes it)`, file);
  }
  const ds = await loadXarray(file, { group: '/' });
  if (options.channels === undefined) return ds;
  const list = typeof options.channels === 'string' ? [options.channels] : options.channels;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ParameterError(`channels must be a PES channel or a non-empty list of them, got ${JSON.stringify(options.channels)}`, { parameter: 'channels', value: options.channels });
  }
  const want = list.map((c) => {
    const ch = pesChannelName(c);
    if (!ch) throw new ParameterError(`'${String(c)}' is not a PES channel: use '1A'…'4D' or 'PES_1Araw'…'PES_4Draw'`, { parameter: 'channels', value: c });
    return `PES_${ch}raw`;
  });
  const missing = want.filter((v) => !ds.dataVars.includes(v));
  if (missing.length) throw new ToolBoxValueError(`${file} has no average trace of ${missing.join(', ')}; it holds ${ds.dataVars.join(', ')}`);
  return ds.dropVars(ds.dataVars.filter((v) => !want.includes(v)));
}
