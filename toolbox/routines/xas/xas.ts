/**
 * xas (Python: toolbox_scs.routines.XAS.xas): the absorption spectrum of a
 * run, binned by the energy (or any scan variable) with numpy's digitize,
 * each bin's absorption from the ratio of mean signals with its correlated
 * error (absorption.ts). docs/routines.md, XAS and XMCD, states every
 * decision taken where the Python toolbox's documentation is silent.
 */
import { broadcast } from '../../arrays/align.js';
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError, VariableNameError } from '../../errors.js';
import { closeMatches } from '../../names.js';
import { checkOptions, optionNames } from '../../options.js';
import type { Plot } from '../../plots/plot.js';
import { type AbsorptionStats, absorption } from './absorption.js';
import { type XasBins, binCentres, binEdgesFor, digitize } from './bins.js';
import { xasPlot } from './plot.js';
import { datasetWithPlot } from '../../plots/with-plot.js';

export interface XasOptions {
  /** Bin edges, a number of bins (integer), a bin width (non-integer number), `{ count }` or `{ width }`; default 80 equal bins. */
  bins?: XasBins;
  /** Incoming intensity (default 'SCS_SA3'). */
  iokey?: string;
  /** Transmitted or fluorescence signal (default 'MCP3peaks'). */
  itkey?: string;
  /** The variable to bin by (default 'nrj'; any scan variable, e.g. a delay). */
  nrjkey?: string;
  /** Added to Io before anything else (default 0). */
  iooffset?: number;
  /** Attach the spectrum's plot; the result then shows as that plot (default false). */
  plot?: boolean;
  /** Absorption as the ratio μIt/μIo instead of −ln(μIt/μIo) (default false). */
  fluorescence?: boolean;
}
const XAS_OPTIONS = optionNames<XasOptions>({ bins: true, iokey: true, itkey: true, nrjkey: true, iooffset: true, plot: true, fluorescence: true });

/** The spectrum over dim `nrj` (bin centres); `plot` is set with `plot: true`, else undefined. */
export type XasResult = Dataset & { readonly plot?: Plot };

/** The per-bin fields in the order the result holds them. */
export const XAS_FIELDS = ['muA', 'sigmaA', 'sterrA', 'muIo', 'counts', 'weights', 'muT', 'sigmaT', 'sigmaIo', 'p'] as const;

function variable(ds: Dataset, option: string, key: string): DataArray {
  if (ds.has(key)) return ds.get(key);
  const available = [...ds.dataVars, ...Object.keys(ds.coords)];
  const close = closeMatches(key, available);
  const hint = close.length ? ` Did you mean ${close.map((n) => `'${n}'`).join(' or ')}?` : '';
  throw new VariableNameError(`xas: ${option} '${key}' is not in the Dataset.${hint} Data variables: ${ds.dataVars.join(', ') || '(none)'}; coordinates: ${Object.keys(ds.coords).join(', ') || '(none)'}`,
    { variable: key, available, suggestions: close });
}

/** The values of a broadcast variable as float64 (bigint coordinates too). */
function float64(da: DataArray): Float64Array {
  return Float64Array.from(da.values as ArrayLike<number | bigint>, Number);
}

/**
 * MCP signals are negative-going: the Python toolbox flips the sign of a key
 * containing 'mcp'. Our MCP peaks may already be positive (load() flips the
 * ADQ integrals), so the flip is applied when the signal is negative on average.
 */
function orientMcp(values: Float64Array, key: string): boolean {
  if (!key.toLowerCase().includes('mcp')) return false;
  let s = 0, n = 0;
  for (const v of values) if (Number.isFinite(v)) { s += v; n++; }
  if (n > 0 && s < 0) {
    for (let i = 0; i < values.length; i++) values[i] = -values[i];
    return true;
  }
  return false;
}

function requireFinite(values: Float64Array, option: string, key: string): void {
  if (!values.some(Number.isFinite)) throw new ToolBoxValueError(`xas: ${option} '${key}' has no finite value (all ${values.length} are NaN or infinite)`);
}

/** Flattened (nrj, Io, It) over the pulses where all three are finite. */
function samples(ds: Dataset, keys: Required<Pick<XasOptions, 'iokey' | 'itkey' | 'nrjkey' | 'iooffset'>>) {
  const [io, it, nrj] = broadcast([variable(ds, 'iokey', keys.iokey), variable(ds, 'itkey', keys.itkey), variable(ds, 'nrjkey', keys.nrjkey)]);
  const Io = float64(io).map((v) => v + keys.iooffset), It = float64(it), E = float64(nrj);
  requireFinite(Io, 'iokey', keys.iokey);
  requireFinite(It, 'itkey', keys.itkey);
  requireFinite(E, 'nrjkey', keys.nrjkey);
  const flipped = [orientMcp(Io, keys.iokey) && keys.iokey, orientMcp(It, keys.itkey) && keys.itkey].filter((k): k is string => !!k);
  const keep: number[] = [];
  for (let i = 0; i < E.length; i++) if (Number.isFinite(E[i]) && Number.isFinite(Io[i]) && Number.isFinite(It[i])) keep.push(i);
  if (keep.length === 0) throw new ToolBoxValueError(`xas: no pulse has finite '${keys.nrjkey}', '${keys.iokey}' and '${keys.itkey}' together`);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  return { nrj: pick(E), Io: pick(Io), It: pick(It), flipped };
}

/** Per-bin statistics of the samples, bin b holding the samples numpy.digitize puts at b + 1. */
function binStats(s: { nrj: Float64Array; Io: Float64Array; It: Float64Array }, edges: Float64Array, fluorescence: boolean): AbsorptionStats[] {
  const nb = edges.length - 1;
  const members: number[][] = Array.from({ length: nb }, () => []);
  s.nrj.forEach((e, i) => {
    const d = digitize(e, edges);
    if (d >= 1 && d <= nb) members[d - 1].push(i);
  });
  return members.map((idx) => absorption(idx.map((i) => s.It[i]), idx.map((i) => s.Io[i]), fluorescence));
}

function spectrum(stats: AbsorptionStats[], centres: Float64Array, nrjkey: string): Dataset {
  const col = (f: keyof AbsorptionStats) => Float64Array.from(stats, (b) => b[f]);
  const sterr = Float64Array.from(stats, (b) => b.sigmaA / Math.sqrt(b.counts));
  const vars: Record<string, DataArray> = {};
  for (const f of XAS_FIELDS) {
    const values = f === 'sterrA' ? sterr : f === 'counts' ? Int32Array.from(stats, (b) => b.counts) : col(f);
    vars[f] = new DataArray(values, { dims: ['nrj'] });
  }
  return new Dataset(vars, { coords: { nrj: new DataArray(centres, { dims: ['nrj'], attrs: { long_name: `${nrjkey} (bin centre)` } }) } });
}

/**
 * xas: the absorption spectrum of `nrun` binned by `nrjkey`. Io, It and the
 * bin variable are broadcast against each other by dim name (nrj per train
 * goes to every pulse) and flattened; a Dataset of 1-D variables works too.
 * Returns a Dataset over dim `nrj` (the bin centres, whatever `nrjkey` is)
 * with muA, sigmaA, sterrA = sigmaA/√counts, muIo, counts, weights, muT,
 * sigmaT, sigmaIo and p; an empty bin holds NaN and counts 0 (with a warning).
 */
export function xas(nrun: Dataset, options: XasOptions = {}): XasResult {
  const o = checkOptions('xas', options, XAS_OPTIONS);
  if (!(nrun instanceof Dataset)) throw new ToolBoxValueError(`xas: nrun must be a Dataset (e.g. from load()), got ${nrun === null ? 'null' : typeof nrun}`);
  const keys = { iokey: o.iokey ?? 'SCS_SA3', itkey: o.itkey ?? 'MCP3peaks', nrjkey: o.nrjkey ?? 'nrj', iooffset: o.iooffset ?? 0 };
  if (!Number.isFinite(keys.iooffset)) throw new ToolBoxValueError(`xas: iooffset must be a finite number, got ${keys.iooffset}`);
  const s = samples(nrun, keys);
  const edges = binEdgesFor(o.bins, s.nrj, keys.nrjkey);
  const fluorescence = o.fluorescence ?? false;
  const stats = binStats(s, edges, fluorescence);
  const empty = stats.filter((b) => b.counts === 0).length;
  if (empty === stats.length) {
    throw new ToolBoxValueError(`xas: no '${keys.nrjkey}' value (${Math.min(...s.nrj)} to ${Math.max(...s.nrj)}) falls inside the bin edges ${edges[0]} to ${edges[edges.length - 1]}`);
  }
  if (empty) process.emitWarning(`xas: ${empty} of ${stats.length} bins of '${keys.nrjkey}' are empty; they hold NaN and counts 0`, 'ToolBoxWarning');
  const ds = spectrum(stats, binCentres(edges), keys.nrjkey).assignAttrs({
    iokey: keys.iokey, itkey: keys.itkey, nrjkey: keys.nrjkey, iooffset: keys.iooffset, fluorescence,
    binEdges: Array.from(edges), signFlipped: s.flipped,
  });
  if (o.plot) return datasetWithPlot(ds, xasPlot(ds));
  // `result.plot` reads undefined rather than failing as an unknown variable
  Object.defineProperty(ds, 'plot', { value: undefined, enumerable: false });
  return ds;
}
