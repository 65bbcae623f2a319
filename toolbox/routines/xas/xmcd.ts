/**
 * xasxmcd (Python: toolbox_scs.routines.XAS.xasxmcd): the XAS and XMCD
 * spectra from the two spectra of opposite magnetic field, as xas() returns
 * them, on the same energy grid. The two measurements are independent, so
 * their variances add.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { Plot } from '../../plots/plot.js';
import { withPlot } from '../../plots/with-plot.js';
import { xmcdPlot } from './plot.js';

export interface XasXmcdOptions {
  /** Attach the plot of XAS and XMCD; the result then shows as that plot (default false). */
  plot?: boolean;
}
const XASXMCD_OPTIONS = optionNames<XasXmcdOptions>({ plot: true });

/** The sum and difference spectra, each a Dataset over `nrj` with muA, sigmaA, sterrA, muIo and counts. */
export interface XasXmcdResult {
  /** (A⁺ + A⁻)/2, σ = √(σ⁺² + σ⁻²)/2 (sterr likewise), muIo the mean of the two, counts their sum. */
  xas: Dataset;
  /** A⁺ − A⁻, σ = √(σ⁺² + σ⁻²) (sterr likewise), muIo and counts as for xas. */
  xmcd: Dataset;
  plot?: Plot;
}

const NEEDED = ['muA', 'sigmaA', 'sterrA', 'muIo', 'counts'] as const;

function fieldsOf(ds: Dataset, which: string): Record<(typeof NEEDED)[number] | 'nrj', Float64Array> {
  if (!(ds instanceof Dataset)) throw new ToolBoxValueError(`xasxmcd: ${which} must be the Dataset xas() returns, got ${ds === null ? 'null' : typeof ds}`);
  const missing = ['nrj', ...NEEDED].filter((k) => !ds.has(k));
  if (missing.length) {
    throw new ToolBoxValueError(`xasxmcd: ${which} lacks ${missing.join(', ')}; it must be a spectrum from xas(). It has: ${[...ds.dataVars, ...Object.keys(ds.coords)].join(', ')}`);
  }
  const get = (k: string) => Float64Array.from(ds.get(k).values as ArrayLike<number | bigint>, Number);
  return { nrj: get('nrj'), muA: get('muA'), sigmaA: get('sigmaA'), sterrA: get('sterrA'), muIo: get('muIo'), counts: get('counts') };
}

function sameGrid(p: Float64Array, n: Float64Array): void {
  const bad = p.length !== n.length ? -1 : p.findIndex((v, i) => v !== n[i]);
  if (p.length !== n.length || bad >= 0) {
    const why = p.length !== n.length ? `${p.length} bins against ${n.length}` : `bin ${bad} is at ${p[bad]} in dataP but ${n[bad]} in dataN`;
    throw new ToolBoxValueError(`xasxmcd: the two spectra are not on the same nrj grid (${why}); compute both with the same bin edges, e.g. xas(ds, { bins: edges })`);
  }
}

function spectrum(nrj: Float64Array, f: Record<string, Float64Array | Int32Array>, attrs: Record<string, string>): Dataset {
  const vars = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, new DataArray(v, { dims: ['nrj'] })]));
  return new Dataset(vars, { coords: { nrj: new DataArray(nrj, { dims: ['nrj'] }) }, attrs });
}

/**
 * xasxmcd: XAS = (A⁺ + A⁻)/2 and XMCD = A⁺ − A⁻ of the spectra `dataP`
 * (positive field) and `dataN` (negative field) from xas() on the same bins.
 */
export function xasxmcd(dataP: Dataset, dataN: Dataset, options: XasXmcdOptions = {}): XasXmcdResult {
  const { plot = false } = checkOptions('xasxmcd', options, XASXMCD_OPTIONS);
  const p = fieldsOf(dataP, 'dataP'), n = fieldsOf(dataN, 'dataN');
  sameGrid(p.nrj, n.nrj);
  const map = (f: (a: number, b: number) => number, a: Float64Array, b: Float64Array) => a.map((v, i) => f(v, b[i]));
  const quad = (a: number, b: number) => Math.sqrt(a * a + b * b);
  const common = { muIo: map((a, b) => (a + b) / 2, p.muIo, n.muIo), counts: Int32Array.from(map((a, b) => a + b, p.counts, n.counts)) };
  const nrjkey = typeof dataP.attrs.nrjkey === 'string' ? dataP.attrs.nrjkey : 'nrj';
  const xas = spectrum(p.nrj, {
    muA: map((a, b) => (a + b) / 2, p.muA, n.muA), sigmaA: map((a, b) => quad(a, b) / 2, p.sigmaA, n.sigmaA),
    sterrA: map((a, b) => quad(a, b) / 2, p.sterrA, n.sterrA), ...common,
  }, { nrjkey, spectrum: 'XAS (A+ + A-)/2' });
  const xmcd = spectrum(p.nrj, {
    muA: map((a, b) => a - b, p.muA, n.muA), sigmaA: map(quad, p.sigmaA, n.sigmaA), sterrA: map(quad, p.sterrA, n.sterrA), ...common,
  }, { nrjkey, spectrum: 'XMCD A+ - A-' });
  const result: XasXmcdResult = { xas, xmcd };
  if (!plot) return result;
  return withPlot(result, xmcdPlot(xas, xmcd), `XAS and XMCD over ${p.nrj.length} bins of ${nrjkey}`);
}
