/**
 * load(): the usual first line of an SCS analysis. Reads each field (a
 * mnemonic, custom mnemonic, or ROI of an image field) as a DataArray over
 * trainId and merges them with an inner join on trainId, as the Python
 * toolbox does, so every variable of the result covers the same trains.
 */
import { merge } from '../arrays/combine.js';
import { DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import type { Slice } from '../arrays/slice.js';
import { roundToBinWidth } from '../arrays/scan-bins.js';
import { ParameterError, ToolBoxValueError } from '../errors.js';
import type { RunSources } from '../mnemonics/lookup.js';
import { resolveMnemonic, type MnemonicLike } from '../mnemonics/lookup.js';
import { type Fields, normalizeFields, resolveFields } from './fields.js';
import type { DataCollection } from '../run/data-collection.js';
import { type OpenRunOptions, openRun } from '../run/open.js';
import type { TrainSelection } from '../run/train-select.js';
import { assertValidRun } from '../run/validate.js';
import { display as show } from '../display/show.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { XGM_PULSES, getXgm } from '../detectors/xgm.js';
import { BAM_MNEMONICS, getBam } from '../detectors/bam.js';
import { addDigitizerPeaks, digitizerFields } from './digitizers.js';

/** A region of an image field: `roi` slices the entry dims, `dim` names them. */
export interface RoiSpec {
  roi: Array<Slice<number | null>>;
  dim: string[];
}

/** What load() needs from a run (the DataCollection of toolbox/run provides it). */
export interface LoadableRun extends RunSources {
  readonly trainIds: readonly number[];
  getArray(source: string, key: string, options?: { extraDims?: string[]; roi?: Array<Slice<number | null>> }): Promise<DataArray>;
}

export interface LoadOptions {
  /** Per image mnemonic, named ROIs: `{fastccd: {ref: {roi: [slice(730, 890), slice(535, 720)], dim: ['ref_x', 'ref_y']}}}`. */
  rois?: Record<string, Record<string, RoiSpec>>;
}
const LOAD_OPTIONS = optionNames<LoadOptions>({ rois: true });

/** Read the fields of an open run and merge them on trainId (inner join). */
export async function loadFromRun(run: LoadableRun, fields: Fields, options: LoadOptions = {}): Promise<Dataset> {
  checkOptions('loadFromRun', options, LOAD_OPTIONS);
  const resolved = resolveFields(fields, run);
  const rois = options.rois ?? {};
  for (const name of Object.keys(rois)) {
    if (!resolved.has(name)) throw new ParameterError(`rois are given for '${name}', which is not among the fields (${[...resolved.keys()].join(', ')})`, { parameter: 'rois', value: name, expected: [...resolved.keys()] });
  }
  const arrays: DataArray[] = [];
  for (const [name, m] of resolved) {
    const fieldRois = rois[name];
    if (!fieldRois) {
      const da = await run.getArray(m.source, m.key, m.dim ? { extraDims: m.dim } : {});
      arrays.push(da.rename(name));
      continue;
    }
    for (const [roiName, spec] of Object.entries(fieldRois)) {
      const da = await run.getArray(m.source, m.key, { extraDims: spec.dim, roi: spec.roi });
      arrays.push(da.rename(roiName));
    }
  }
  for (const da of arrays) {
    const ids = da.coords.trainId?.values;
    if (ids && new Set(ids as ArrayLike<unknown> as unknown[]).size !== ids.length) {
      throw new ToolBoxValueError(`field '${da.name}' has several entries per train; load() merges one entry per train — read it with run.getArray() instead`);
    }
  }
  return merge(arrays, { join: 'inner' });
}

export interface GetArrayOptions {
  /** Trains to read, e.g. byIndex(slice(0, 5)) (an opened run: applied to it; default all). */
  subset?: TrainSelection;
  /** Where to read when the run is opened here: 'raw' (default, as the Python toolbox), 'proc', 'all' or 'default'. */
  data?: OpenRunOptions['data'];
  /** Proposal and run to open (Python's proposalNB/runNB keywords), when no run is given. */
  proposalNB?: number | string;
  runNB?: number | string;
  /** Root of the proposal folders when opening (default EXFEL_DATA_ROOT). */
  dataRoot?: string;
}
const GET_ARRAY_OPTIONS = optionNames<GetArrayOptions>({ subset: true, data: true, proposalNB: true, runNB: true, dataRoot: true });

type ArrayRun = LoadableRun & { selectTrains?(sel: TrainSelection): LoadableRun };

/** The run get_array reads: the one given (subset applied), else proposalNB/runNB opened. */
async function arrayRun(run: ArrayRun | null | undefined, o: GetArrayOptions): Promise<LoadableRun> {
  if (run === null || run === undefined) {
    if (o.proposalNB === undefined || o.runNB === undefined) {
      throw new ParameterError('getArray needs a run, or proposal and run numbers: getArray(run, mnemonic), getArray(proposal, run, mnemonic) or { proposalNB, runNB }', { parameter: 'run', value: run });
    }
    return openRun(o.proposalNB, o.runNB, { data: o.data ?? 'raw', subset: o.subset, dataRoot: o.dataRoot });
  }
  if (o.subset === undefined) return run;
  if (!run.selectTrains) throw new ParameterError('subset needs a run that can select trains (a DataCollection)', { parameter: 'subset', value: o.subset });
  return run.selectTrains(o.subset);
}

/** A run given as (proposal, run) numbers: the signature shifted by one argument. */
const isRunNumber = (x: unknown): x is number | string => typeof x === 'number' || typeof x === 'string';

/**
 * get_array(run, mnemonic, stepsize): one field, rounded to whole multiples of
 * stepsize so that a scan variable groups cleanly; no mnemonic gives ones
 * over all trains (a dummy scan variable for a single average). The run is an
 * opened one or (proposal, run) numbers, as in the Python toolbox.
 */
export async function getArray(run: LoadableRun | null | undefined, mnemonic?: MnemonicLike | null, stepsize?: number | null, options?: GetArrayOptions): Promise<DataArray>;
export async function getArray(proposal: number | string, run: number | string, mnemonic?: MnemonicLike | null, stepsize?: number | null, options?: GetArrayOptions): Promise<DataArray>;
export async function getArray(...args: unknown[]): Promise<DataArray> {
  const byNumbers = isRunNumber(args[0]);
  const [runArg, mnemonic, stepsize, options] = (byNumbers ? [null, ...args.slice(2)] : args) as [ArrayRun | null | undefined, MnemonicLike | null | undefined, number | null | undefined, GetArrayOptions | undefined];
  const o = checkOptions('getArray', options, GET_ARRAY_OPTIONS);
  if (stepsize !== undefined && stepsize !== null && !(stepsize > 0)) {
    throw new ParameterError(`stepsize must be a positive number, got ${stepsize}`, { parameter: 'stepsize', value: stepsize });
  }
  const run = await arrayRun(runArg, byNumbers ? { ...o, proposalNB: args[0] as number | string, runNB: args[1] as number | string } : o);
  if (mnemonic === undefined || mnemonic === null) {
    const ids = BigUint64Array.from(run.trainIds, (t) => BigInt(t));
    return new DataArray(new Float64Array(ids.length).fill(1), { dims: ['trainId'], coords: { trainId: ids } });
  }
  const m = resolveMnemonic(mnemonic, run);
  let da = await run.getArray(m.source, m.key, m.dim ? { extraDims: m.dim } : {});
  if (typeof mnemonic === 'string') da = da.rename(mnemonic);
  // Halves go to even as numpy's, so groups match the Python toolbox's; labels carry no float noise (0.3, not 0.30000000000000004).
  if (stepsize) da = roundToBinWidth(da, stepsize);
  return da;
}

export interface LoadRunOptions extends LoadOptions, Omit<OpenRunOptions, 'data'> {
  /** Put XGM fields (SCS_SA3, XTD10_XGM, ...) on the bunch-pattern pulse axis (default true, as the Python toolbox). */
  extractXgm?: boolean;
  /**
   * Put digitizer fields on the pulse axis as `<channel>peaks` (default true): raw traces (MCP1raw, FastADC5raw, ...)
   * integrated, device integrals (MCP1apd, FastADC5peaks, ...) as recorded.
   */
  extractDigitizers?: boolean;
  /** Put BAM fields (BAM1932M, ...) on the bunch-pattern pulse axis (default true). */
  extractBam?: boolean;
  /** Pulses for BAM and digitizer fields: one location for all, or per field ({FFT_PD2: 'sase3', ILH_I0: 'scs_ppl'}); default 'sase3'. */
  bunchPattern?: string | Record<string, string>;
  /**
   * Where to read: 'raw', 'proc', 'all' or 'default' (the default: proc where a
   * source has it, else raw). The Python toolbox's load() defaults to 'all',
   * meaning sources in proc override raw; 'default' gives the same without
   * failing on runs that have no proc folder yet (before calibration).
   */
  data?: OpenRunOptions['data'];
  /** Show the run's summary (run.info()) before reading, as the Python toolbox's display=True (default false). */
  display?: boolean;
  /** Check the run's files first (validateRun: train IDs, INDEX against the data) and stop on problems (default false). */
  validate?: boolean;
  /**
   * Python's parallelize (open files in parallel, from EXtra-data): accepted so
   * Python-style calls work; this reader opens the files in the calling
   * process either way, so it changes nothing.
   */
  parallelize?: boolean;
}
const LOAD_RUN_OPTIONS = mergeOptionNames<LoadRunOptions>(LOAD_OPTIONS, optionNames<Omit<LoadRunOptions, 'rois'>>({
  include: true, skipBadFiles: true, incSuspectTrains: true, subset: true, dataRoot: true, extractXgm: true, extractDigitizers: true, extractBam: true,
  bunchPattern: true, data: true, display: true, validate: true, parallelize: true,
}));

/**
 * load(proposal, run, fields, options) → {run, ds}: open the run (under
 * EXFEL_DATA_ROOT) and read the fields merged on trainId, as the Python
 * toolbox's load() does. The run stays open for further reads.
 */
export async function load(proposal: number | string, runNumber: number | string, fields: Fields, options: LoadRunOptions = {}): Promise<{ run: DataCollection; ds: Dataset }> {
  checkOptions('load', options, LOAD_RUN_OPTIONS);
  const { rois, data = 'default', extractXgm = true, extractBam = true, extractDigitizers = true, bunchPattern = 'sase3', display = false, validate = false, parallelize: _, ...open } = options;
  const run = await openRun(proposal, runNumber, { ...open, data });
  if (validate) assertValidRun(run);
  if (display) await show(run.info());
  const locOf = (name: string) => (typeof bunchPattern === 'string' ? bunchPattern : bunchPattern[name] ?? 'sase3');
  const all = normalizeFields(fields);
  const digitizers = extractDigitizers ? digitizerFields(all) : [];
  const rest = [...all].filter(([n]) => !digitizers.includes(n)).map(([n, m]) => (typeof m === 'string' ? n : { [n]: m }));
  let ds = rest.length ? await loadFromRun(run, rest, { rois }) : null;
  ds = await addDigitizerPeaks(run, ds, digitizers, locOf);
  if (!ds) throw new ParameterError('load() needs at least one field', { parameter: 'fields', value: fields });
  if (extractXgm && ds.dataVars.some((v) => v in XGM_PULSES)) ds = await getXgm(run, { mergeWith: ds });
  if (extractBam) {
    const bams = ds.dataVars.filter((v) => BAM_MNEMONICS.includes(v));
    for (const name of bams) {
      ds = await getBam(run, { mnemonics: name, mergeWith: ds, bunchPattern: locOf(name) });
    }
  }
  return { run, ds };
}
