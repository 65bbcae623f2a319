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

/** Read the fields of an open run and merge them on trainId (inner join). */
export async function loadFromRun(run: LoadableRun, fields: Fields, options: LoadOptions = {}): Promise<Dataset> {
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

/**
 * get_array(run, mnemonic, stepsize): one field, rounded to whole multiples of
 * stepsize so that a scan variable groups cleanly; no mnemonic gives ones
 * over all trains (a dummy scan variable for a single average).
 */
export async function getArray(run: LoadableRun, mnemonic?: MnemonicLike | null, stepsize?: number | null): Promise<DataArray> {
  if (stepsize !== undefined && stepsize !== null && !(stepsize > 0)) {
    throw new ParameterError(`stepsize must be a positive number, got ${stepsize}`, { parameter: 'stepsize', value: stepsize });
  }
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
}

/**
 * load(proposal, run, fields, options) → {run, ds}: open the run (under
 * EXFEL_DATA_ROOT) and read the fields merged on trainId, as the Python
 * toolbox's load() does. The run stays open for further reads.
 */
export async function load(proposal: number | string, runNumber: number | string, fields: Fields, options: LoadRunOptions = {}): Promise<{ run: DataCollection; ds: Dataset }> {
  const { rois, data = 'default', extractXgm = true, extractBam = true, extractDigitizers = true, bunchPattern = 'sase3', ...open } = options;
  const run = await openRun(proposal, runNumber, { ...open, data });
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
