/**
 * The non-linearity's inspection plots (Python: inspect_nl_fit, inspect_Fnl,
 * inspect_correction, inspect_correction_sk), each a vega-lite Plot with the
 * data it shows. The corrections are compared on the per-frame histograms:
 * no correction, flat field only, flat field and non-linearity.
 */
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { line } from '../../plots/line.js';
import type { Plot } from '../../plots/plot.js';
import { withPlot } from '../../plots/with-plot.js';
import { type NlCritKind, cachedNlHistograms } from './nl-crit.js';
import { type NlFitParameters, type NlFitResult, runsOf } from './nl-fit.js';
import type { NlHistograms } from './nl-histograms.js';
import type { ModuleImageInput } from './inputs.js';
import { ADC_LEVELS, MODULE_PIXELS } from './types.js';

/** The criteria per iteration (fitrres) of nlFit. */
export interface InspectNlFitData { iteration: Float64Array; crit0: Float64Array; critAlpha: Float64Array; crit1: Float64Array }

/** Plots the progress of the fit (Python: inspect_nl_fit): the criterion for α = 0, α and 1 against the iteration. */
export function inspectNlFit(resFit: NlFitResult | readonly (readonly number[])[]): InspectNlFitData & { plot: Plot } {
  const rows = Array.isArray(resFit) ? resFit as readonly (readonly number[])[] : (resFit as NlFitResult).fitrres;
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r) || r.length !== 3)) {
    throw new ParameterError('inspectNlFit: resFit must be nlFit\'s result or its fitrres ([α = 0, α, α = 1] per iteration)', { parameter: 'resFit', value: typeof resFit });
  }
  const col = (j: number): Float64Array => Float64Array.from(rows, (r) => r[j]);
  const data = { iteration: Float64Array.from(rows, (_, i) => i + 1), crit0: col(0), critAlpha: col(1), crit1: col(2) };
  const plot = line({
    'α = 0 (ratio spread)': { x: data.iteration, y: data.crit0 },
    'α (fitted)': { x: data.iteration, y: data.critAlpha },
    'α = 1 (deviation from linearity)': { x: data.iteration, y: data.crit1 },
  }, { title: 'Non-linearity fit', xLabel: 'iteration', yLabel: 'criterion', yLog: true, points: true });
  return withPlot(data, plot, `nlFit progress over ${rows.length} iterations`);
}

/** A 512-entry lookup table, checked. */
function lutOf(fn: string, Fnl: ArrayLike<number> | null | undefined): Float64Array {
  if (Fnl === null || Fnl === undefined) return Float64Array.from({ length: ADC_LEVELS }, (_, v) => v);
  if (Fnl.length !== ADC_LEVELS) throw new ParameterError(`${fn}: Fnl must have ${ADC_LEVELS} entries, got ${Fnl.length}`, { parameter: 'Fnl', value: Fnl.length });
  const F = Float64Array.from(Fnl);
  const bad = F.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ParameterError(`${fn}: Fnl[${bad}] = ${F[bad]} is not finite`, { parameter: 'Fnl', value: F[bad] });
  return F;
}

/** Plots the correction function (Python: inspect_Fnl): F(v) − v against the raw value v. */
export function inspectFnl(Fnl: ArrayLike<number>): { x: Float64Array; Fnl: Float64Array; deviation: Float64Array; plot: Plot } {
  const F = lutOf('inspectFnl', Fnl);
  const x = Float64Array.from({ length: ADC_LEVELS }, (_, v) => v);
  const deviation = F.map((f, v) => f - v);
  const plot = line({ 'F(v) − v': { x, y: deviation } }, { title: 'Non-linearity correction', xLabel: 'raw value v (ADU)', yLabel: 'F(v) − v (ADU)' });
  return withPlot({ x, Fnl: F, deviation }, plot, `Fnl: deviation from identity ${Math.min(...deviation).toFixed(2)} … ${Math.max(...deviation).toFixed(2)} ADU`);
}

/** ROI intensities n, 0, p of the unsaturated frames for an arbitrary lookup table F. */
export function lutIntensities(h: NlHistograms, F: Float64Array, satLevel: number): Float64Array[] {
  const darkDot = new Float64Array(h.pulses * 3);
  for (let pb = 0; pb < darkDot.length; pb++) {
    let s = 0;
    for (let v = 0; v < ADC_LEVELS; v++) s += F[v] * h.dark[pb * ADC_LEVELS + v];
    darkDot[pb] = s / h.darkTrains;
  }
  const out: number[][] = [[], [], []];
  for (let f = 0; f < h.frames; f++) {
    if (h.satMax[f] >= satLevel) continue;
    for (let b = 0; b < 3; b++) {
      const fb = 3 * f + b, off = h.offset[fb] - h.lo[fb];
      let s = 0;
      for (let v = h.lo[fb]; v < h.lo[fb] + h.len[fb]; v++) s += F[v] * h.pool[off + v];
      out[b].push(s - darkDot[(f % h.pulses) * 3 + b]);
    }
  }
  return out.map((a) => Float64Array.from(a));
}

/** One correction's ratios against the reference intensity (per unsaturated frame and binned). */
export interface CorrectionCurve {
  /** Reference intensity per frame: I_0 (inspectCorrection) or I_n + I_p (Sk); ×gain when given. */
  intensity: Float64Array;
  /** n/0 and p/0 (inspectCorrection) or 0/(n + p) (Sk) per frame. */
  ratios: Record<string, Float64Array>;
  /** Bin centres (mean intensity of 10 equal-count bins) and Σsig/Σref per bin. */
  binned: { intensity: Float64Array; ratios: Record<string, Float64Array> };
}

const BINS = 10;

function curveOf(kind: NlCritKind, I: Float64Array[], gain: number): CorrectionCurve {
  const ref = kind === 'nl' ? I[1] : I[0].map((v, i) => v + I[2][i]);
  const sigs: Record<string, Float64Array> = kind === 'nl' ? { 'n/0': I[0], 'p/0': I[2] } : { '0/(n+p)': I[1] };
  const order = Array.from(ref.keys()).sort((a, b) => ref[a] - ref[b]);
  const bins = Array.from({ length: Math.min(BINS, order.length) }, (_, k) => order.slice(Math.floor((k * order.length) / Math.min(BINS, order.length)), Math.floor(((k + 1) * order.length) / Math.min(BINS, order.length))));
  const sum = (a: Float64Array, idx: number[]): number => idx.reduce((s, i) => s + a[i], 0);
  const ratios: Record<string, Float64Array> = {}, binnedRatios: Record<string, Float64Array> = {};
  for (const [name, sig] of Object.entries(sigs)) {
    ratios[name] = sig.map((v, i) => v / ref[i]);
    binnedRatios[name] = Float64Array.from(bins, (idx) => sum(sig, idx) / sum(ref, idx));
  }
  return {
    intensity: ref.map((v) => v * gain), ratios,
    binned: { intensity: Float64Array.from(bins, (idx) => (sum(ref, idx) / idx.length) * gain), ratios: binnedRatios },
  };
}

/** What inspectCorrection and inspectCorrectionSk read from the parameters: nlFit's, and the fitted table. */
export interface InspectCorrectionParameters extends NlFitParameters {
  /** The non-linearity lookup table (or a getFnl() method, Python's get_Fnl()); none: identity. */
  Fnl?: ArrayLike<number> | null;
  getFnl?: () => ArrayLike<number> | null | undefined;
}

/** Options of inspectCorrection. */
export interface InspectCorrectionOptions {
  /** DSSC gain in photons per ADU: intensities are shown in photons (default: ADU). */
  gain?: number | null;
  /** The flat-field image (default 1 everywhere: pass computeFlatFieldCorrection's image). */
  ff?: ModuleImageInput;
}
const INSPECT_CORRECTION_OPTIONS = optionNames<InspectCorrectionOptions>({ gain: true, ff: true });
/** Options of inspectCorrectionSk. */
export interface InspectCorrectionSkOptions { gain?: number | null }
const INSPECT_CORRECTION_SK_OPTIONS = optionNames<InspectCorrectionSkOptions>({ gain: true });

/** The three corrections compared by inspectCorrection(Sk). */
export interface InspectCorrectionData {
  'no correction': CorrectionCurve;
  'flat field': CorrectionCurve;
  'flat field + non-linearity': CorrectionCurve;
}

async function corrections(fn: string, kind: NlCritKind, params: InspectCorrectionParameters, ff: ModuleImageInput | undefined, gainIn: number | null | undefined): Promise<InspectCorrectionData & { plot: Plot }> {
  const gain = gainIn ?? 1;
  if (!(typeof gain === 'number' && gain > 0 && Number.isFinite(gain))) throw new ParameterError(`${fn}: gain must be a positive number, got ${String(gainIn)}`, { parameter: 'gain', value: gainIn });
  const F = lutOf(fn, typeof params.getFnl === 'function' ? params.getFnl() : params.Fnl);
  const identity = Float64Array.from({ length: ADC_LEVELS }, (_, v) => v);
  const { arrDark, arr, rois, satLevel } = runsOf(fn, params), mask = params.getMask();
  const ones = new Float64Array(MODULE_PIXELS).fill(1);
  const h1 = await cachedNlHistograms(arrDark, arr, rois, mask, ones, {});
  const hff = ff === undefined ? h1 : await cachedNlHistograms(arrDark, arr, rois, mask, ff, {});
  const data: InspectCorrectionData = {
    'no correction': curveOf(kind, lutIntensities(h1, identity, satLevel), gain),
    'flat field': curveOf(kind, lutIntensities(hff, identity, satLevel), gain),
    'flat field + non-linearity': curveOf(kind, lutIntensities(hff, F, satLevel), gain),
  };
  const series: Record<string, { x: Float64Array; y: Float64Array }> = {};
  for (const [corr, c] of Object.entries(data) as [string, CorrectionCurve][]) {
    for (const [r, y] of Object.entries(c.binned.ratios)) series[`${r}, ${corr}`] = { x: c.binned.intensity, y };
  }
  const unit = gainIn ? 'photons' : 'ADU';
  const plot = line(series, {
    title: kind === 'nl' ? 'n/0 and p/0 against intensity' : '0/(n + p) against intensity',
    xLabel: `${kind === 'nl' ? 'I₀' : 'I_n + I_p'} (${unit})`, yLabel: 'ratio (binned Σsig/Σref)', points: true,
  });
  return withPlot(data, plot, `${fn}: ratios against intensity for no correction, flat field, flat field + non-linearity`);
}

/**
 * Comparison of the corrections (Python: inspect_correction): n/0 and p/0
 * against I₀ with no correction, the flat field, and the flat field with the
 * non-linearity params.Fnl; per unsaturated frame and in 10 equal-count bins.
 */
export function inspectCorrection(params: InspectCorrectionParameters, options?: InspectCorrectionOptions): Promise<InspectCorrectionData & { plot: Plot }> {
  const opts = checkOptions<InspectCorrectionOptions>('inspectCorrection', options, INSPECT_CORRECTION_OPTIONS);
  return corrections('inspectCorrection', 'nl', params, opts.ff, opts.gain);
}

/** As inspectCorrection with 'n' and 'p' combined as the reference (Python: inspect_correction_sk): 0/(n + p) against I_n + I_p. */
export function inspectCorrectionSk(params: InspectCorrectionParameters, ff: ModuleImageInput, options?: InspectCorrectionSkOptions): Promise<InspectCorrectionData & { plot: Plot }> {
  const opts = checkOptions<InspectCorrectionSkOptions>('inspectCorrectionSk', options, INSPECT_CORRECTION_SK_OPTIONS);
  return corrections('inspectCorrectionSk', 'sk', params, ff, opts.gain);
}
