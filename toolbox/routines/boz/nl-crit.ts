/**
 * The non-linearity criteria (Python: boz.nl_crit, boz.nl_crit_sk), evaluated
 * on per-frame histograms (nlHistograms): ROI intensities are linear in the
 * lookup table, I_b = Σ_v F(v)·(H_b(v) − H̄dark_b(v)), and F = v + dy[segment],
 * so per domain each (frame, beam) reduces to N + 1 numbers and one
 * evaluation costs frames × 3 × (N + 1) operations. Definitions: docs/boz.md.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { type NlHistograms, nlHistograms } from './nl-histograms.js';
import type { ModuleImageInput, ModuleMaskInput } from './inputs.js';
import { checkDomain, domainSegments } from './nl-lut.js';
import { ADC_LEVELS, type ModuleFrames, type Rois } from './types.js';

/** Which ratio the criterion measures: 'nl' n/0 and p/0 (nlCrit), 'sk' 0/(n + p) (nlCritSk). */
export type NlCritKind = 'nl' | 'sk';

/**
 * A histogram set reduced over one domain: per (frame, beam) the coefficients
 * [Σ v·G(v), Σ_{seg 1} G, …, Σ_{seg N} G] with G = H − mean dark histogram of
 * the frame's pulse, so that I = c₀ + Σ_k c_k·dy_k; and n_k, the raw values per segment.
 */
export interface NlSegments { readonly n: number; readonly coef: Float64Array; readonly counts: Float64Array }

const segmentCache = new WeakMap<NlHistograms, Map<string, NlSegments>>();

/** The dark coefficients per (pulse, beam), already divided by the number of dark trains. */
function darkCoefficients(h: NlHistograms, domain: ArrayLike<number>, n: number): Float64Array {
  const d = new Float64Array(h.pulses * 3 * (n + 1));
  for (let pb = 0; pb < h.pulses * 3; pb++) {
    const src = pb * ADC_LEVELS, dst = pb * (n + 1);
    for (let v = 0; v < ADC_LEVELS; v++) {
      const x = h.dark[src + v] / h.darkTrains;
      if (x === 0) continue;
      d[dst] += v * x;
      if (domain[v] > 0) d[dst + domain[v]] += x;
    }
  }
  return d;
}

/** The histograms reduced over `domain` (cached per histogram set and domain). */
export function nlSegments(h: NlHistograms, domain: ArrayLike<number>): NlSegments {
  let byDomain = segmentCache.get(h);
  if (!byDomain) segmentCache.set(h, byDomain = new Map());
  const key = Array.from(domain).join(',');
  const hit = byDomain.get(key);
  if (hit) return hit;
  const n = domainSegments(domain), m = n + 1;
  const dark = darkCoefficients(h, domain, n);
  const coef = new Float64Array(h.frames * 3 * m);
  for (let fb = 0; fb < h.frames * 3; fb++) {
    const lo = h.lo[fb], off = h.offset[fb] - lo, dst = fb * m, dk = ((Math.floor(fb / 3) % h.pulses) * 3 + (fb % 3)) * m;
    let c0 = 0;
    for (let v = lo; v < lo + h.len[fb]; v++) {
      const x = h.pool[off + v];
      c0 += v * x;
      if (domain[v] > 0) coef[dst + domain[v]] += x;
    }
    coef[dst] = c0 - dark[dk];
    for (let k = 1; k < m; k++) coef[dst + k] -= dark[dk + k];
  }
  const counts = new Float64Array(m);
  for (let v = 0; v < ADC_LEVELS; v++) if (domain[v] > 0) counts[domain[v]]++;
  const seg = { n, coef, counts };
  byDomain.set(key, seg);
  return seg;
}

/** The ROI intensities n, 0, p of the frames with satMax < satLevel, for dy. */
export function nlIntensities(h: NlHistograms, seg: NlSegments, dy: ArrayLike<number>, satLevel: number): { frames: Int32Array; I: Float64Array[] } {
  const keep: number[] = [];
  for (let f = 0; f < h.frames; f++) if (h.satMax[f] < satLevel) keep.push(f);
  const m = seg.n + 1;
  const I = [0, 1, 2].map(() => new Float64Array(keep.length));
  keep.forEach((f, i) => {
    for (let b = 0; b < 3; b++) {
      const o = (3 * f + b) * m;
      let s = seg.coef[o];
      for (let k = 1; k < m; k++) s += seg.coef[o + k] * dy[k - 1];
      I[b][i] = s;
    }
  });
  return { frames: Int32Array.from(keep), I };
}

/** snr 'weighted' spread squared: Σ ref·(sig/ref − μ)² / Σ ref with μ = Σ sig / Σ ref. */
export function weightedVariance(sig: ArrayLike<number>, ref: ArrayLike<number>): number {
  let ss = 0, sr = 0;
  for (let i = 0; i < sig.length; i++) { ss += sig[i]; sr += ref[i]; }
  const mu = ss / sr;
  let v = 0;
  for (let i = 0; i < sig.length; i++) { const d = sig[i] / ref[i] - mu; v += ref[i] * d * d; }
  return v / sr;
}

/** err1 of a criterion from the intensities of the unsaturated frames. */
export function nlErr1(kind: NlCritKind, I: readonly Float64Array[]): number {
  if (kind === 'nl') return 1e8 * (weightedVariance(I[0], I[1]) + weightedVariance(I[2], I[1]));
  const ref = I[0].map((v, i) => v + I[2][i]);
  return 1e8 * weightedVariance(I[1], ref);
}

/** err2 = Σ_v (F(v) − v)² = Σ_k n_k·dy_k². */
export function nlErr2(seg: NlSegments, dy: ArrayLike<number>): number {
  let e = 0;
  for (let k = 1; k <= seg.n; k++) e += seg.counts[k] * dy[k - 1] * dy[k - 1];
  return e;
}

function checkDy(fn: string, dy: ArrayLike<number>, n: number): void {
  if (dy.length < n) throw new ParameterError(`${fn}: p has ${dy.length} values but the domain has ${n} segments`, { parameter: 'p', value: dy.length });
  for (let k = 0; k < n; k++) if (!Number.isFinite(dy[k])) throw new ParameterError(`${fn}: p[${k}] = ${dy[k]} is not finite`, { parameter: 'p', value: dy[k] });
}

/** The criterion of `kind` from a histogram set: (1 − α)·err1 + α·err2. */
export function nlCriterion(fn: string, kind: NlCritKind, p: ArrayLike<number>, domain: ArrayLike<number>, alpha: number, h: NlHistograms, satLevel: number): number {
  checkDomain(fn, domain);
  if (!Number.isFinite(alpha)) throw new ParameterError(`${fn}: alpha must be a finite number, got ${alpha}`, { parameter: 'alpha', value: alpha });
  const seg = nlSegments(h, domain);
  checkDy(fn, p, seg.n);
  const { frames, I } = nlIntensities(h, seg, p, satLevel);
  if (frames.length === 0) throw new ToolBoxValueError(`${fn}: every frame is saturated (a raw value ≥ satLevel ${satLevel} in ROI 'sat'); nothing to evaluate`);
  return (1 - alpha) * nlErr1(kind, I) + alpha * nlErr2(seg, p);
}

/** Options of nlCrit and nlCritSk. */
export interface NlCritOptions {
  /** Raw value from which a pixel saturates (default 511): frames with one in ROI 'sat' are left out. */
  satLevel?: number;
  /** Stops building the histograms. */
  signal?: AbortSignal;
  /** Progress of building the histograms (frames done, total). */
  progress?: (framesDone: number, framesTotal: number) => void;
}
const NL_CRIT_OPTIONS = optionNames<NlCritOptions>({ satLevel: true, signal: true, progress: true });

export function satLevelOf(fn: string, satLevel: number | undefined): number {
  const s = satLevel ?? 511;
  if (typeof s !== 'number' || Number.isNaN(s)) throw new ParameterError(`${fn}: satLevel must be a number, got ${String(s)}`, { parameter: 'satLevel', value: s });
  return s;
}

interface CacheEntry { arrDark: ModuleFrames; rois: string; mask: ModuleMaskInput; flatField: ModuleImageInput; h: Promise<NlHistograms> }
const histogramCache = new WeakMap<ModuleFrames, CacheEntry[]>();

/**
 * The histograms of (arrDark, arr, rois, mask, flatField), built once and
 * kept while `arr` lives: the same mask and flat-field objects (not copies,
 * not modified in place) find them again.
 */
export function cachedNlHistograms(arrDark: ModuleFrames, arr: ModuleFrames, rois: Rois, mask: ModuleMaskInput, flatField: ModuleImageInput, options: Pick<NlCritOptions, 'signal' | 'progress'>): Promise<NlHistograms> {
  const list = histogramCache.get(arr) ?? [];
  histogramCache.set(arr, list);
  const key = JSON.stringify(rois);
  const hit = list.find((e) => e.arrDark === arrDark && e.rois === key && e.mask === mask && e.flatField === flatField);
  if (hit) return hit.h;
  const h = nlHistograms(arrDark, arr, rois, mask, flatField, { signal: options.signal, progress: options.progress });
  const entry = { arrDark, rois: key, mask, flatField, h };
  list.push(entry);
  // A failed or aborted build is not kept.
  h.catch(() => { list.splice(list.indexOf(entry), 1); });
  return h;
}

async function critFromRuns(fn: string, kind: NlCritKind, args: CritArgs, options: NlCritOptions | undefined): Promise<number> {
  const opts = checkOptions<NlCritOptions>(fn, options, NL_CRIT_OPTIONS);
  const [p, domain, alpha, arrDark, arr, tid, rois, mask, flatField] = args;
  if (tid.length !== arr.trainIds.length) throw new ParameterError(`${fn}: tid has ${tid.length} train IDs but arr has ${arr.trainIds.length} trains`, { parameter: 'tid', value: tid.length });
  const h = await cachedNlHistograms(arrDark, arr, rois, mask, flatField, opts);
  return nlCriterion(fn, kind, p, domain, alpha, h, satLevelOf(fn, opts.satLevel));
}

type CritArgs = [ArrayLike<number>, ArrayLike<number>, number, ModuleFrames, ModuleFrames, ArrayLike<bigint | number>, Rois, ModuleMaskInput, ModuleImageInput];

/**
 * Criterion for the non-linear correction (Python: nl_crit): with F =
 * nlLut(domain, p), the ROI intensities of the unsaturated frames give
 * err1 = 1e8·(s_n² + s_p²), s the 'weighted' snr spread of n/0 and p/0, and
 * err2 = Σ (F(v) − v)²; returns (1 − alpha)·err1 + alpha·err2. mask: nonzero
 * = bad pixel. Evaluated on per-frame histograms built on the first call and
 * cached (nlHistograms).
 */
export function nlCrit(p: ArrayLike<number>, domain: ArrayLike<number>, alpha: number, arrDark: ModuleFrames, arr: ModuleFrames, tid: ArrayLike<bigint | number>, rois: Rois, mask: ModuleMaskInput, flatField: ModuleImageInput, options?: NlCritOptions): Promise<number> {
  checkOptions<NlCritOptions>('nlCrit', options, NL_CRIT_OPTIONS);
  return critFromRuns('nlCrit', 'nl', [p, domain, alpha, arrDark, arr, tid, rois, mask, flatField], options);
}

/**
 * Criterion combining 'n' and 'p' as the reference (Python: nl_crit_sk): as
 * nlCrit with err1 = 1e8·s², s the 'weighted' spread of 0/(n + p).
 */
export function nlCritSk(p: ArrayLike<number>, domain: ArrayLike<number>, alpha: number, arrDark: ModuleFrames, arr: ModuleFrames, tid: ArrayLike<bigint | number>, rois: Rois, mask: ModuleMaskInput, flatField: ModuleImageInput, options?: NlCritOptions): Promise<number> {
  checkOptions<NlCritOptions>('nlCritSk', options, NL_CRIT_OPTIONS);
  return critFromRuns('nlCritSk', 'sk', [p, domain, alpha, arrDark, arr, tid, rois, mask, flatField], options);
}

/** Options of nlCritFromHistograms and nlCritSkFromHistograms. */
export interface NlCritHistogramOptions { satLevel?: number }
const NL_CRIT_HIST_OPTIONS = optionNames<NlCritHistogramOptions>({ satLevel: true });

/** nlCrit on a histogram set from nlHistograms (our extension; synchronous, no pixel touched). */
export function nlCritFromHistograms(p: ArrayLike<number>, domain: ArrayLike<number>, alpha: number, histograms: NlHistograms, options?: NlCritHistogramOptions): number {
  const opts = checkOptions<NlCritHistogramOptions>('nlCritFromHistograms', options, NL_CRIT_HIST_OPTIONS);
  return nlCriterion('nlCritFromHistograms', 'nl', p, domain, alpha, histograms, satLevelOf('nlCritFromHistograms', opts.satLevel));
}

/** nlCritSk on a histogram set from nlHistograms (our extension). */
export function nlCritSkFromHistograms(p: ArrayLike<number>, domain: ArrayLike<number>, alpha: number, histograms: NlHistograms, options?: NlCritHistogramOptions): number {
  const opts = checkOptions<NlCritHistogramOptions>('nlCritSkFromHistograms', options, NL_CRIT_HIST_OPTIONS);
  return nlCriterion('nlCritSkFromHistograms', 'sk', p, domain, alpha, histograms, satLevelOf('nlCritSkFromHistograms', opts.satLevel));
}
