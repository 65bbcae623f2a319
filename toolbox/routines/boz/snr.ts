/**
 * snr: mean and spread of a transmission sig/ref three ways (docs/boz.md,
 * Definitions): 'direct' (the ratio's mean and std), 'weighted' (Σsig/Σref
 * and the ref-weighted spread: bright shots count more) and 'diff' (the
 * pulse-to-pulse noise std(diff(r))/√2, blind to slow drifts). numpy's std (ddof 0).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';

export type SnrMethod = 'direct' | 'weighted' | 'diff';
export const SNR_METHODS: readonly SnrMethod[] = ['direct', 'weighted', 'diff'];

/** Mean and standard deviation of one method. */
export interface SnrValue { mu: number; s: number }

export interface SnrOptions {
  /** Methods to compute (default all three). */
  methods?: SnrMethod[];
  /** Print the values. */
  verbose?: boolean;
}
const SNR_OPTIONS = optionNames<SnrOptions>({ methods: true, verbose: true });

function values(v: ArrayLike<number> | DataArray, what: string): Float64Array {
  const a = v instanceof DataArray ? (v.values as ArrayLike<number>) : v;
  if (!a || typeof a.length !== 'number') throw new ToolBoxValueError(`snr: ${what} must be an array of numbers`);
  return Float64Array.from(a);
}

const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
function std(a: Float64Array): number {
  const m = mean(a);
  let s = 0;
  for (const x of a) s += (x - m) * (x - m);
  return Math.sqrt(s / a.length);
}

/** Python: snr(sig, ref, methods, verbose) → { method: { mu, s } }. */
export function snr(sig: ArrayLike<number> | DataArray, ref: ArrayLike<number> | DataArray, options: SnrOptions = {}): Partial<Record<SnrMethod, SnrValue>> {
  checkOptions('snr', options, SNR_OPTIONS);
  const S = values(sig, 'sig'), R = values(ref, 'ref');
  if (S.length !== R.length) throw new ToolBoxValueError(`snr: sig has ${S.length} samples but ref has ${R.length}`);
  if (S.length === 0) throw new ToolBoxValueError('snr: no samples');
  const methods = options.methods ?? [...SNR_METHODS];
  const unknown = methods.filter((m) => !SNR_METHODS.includes(m));
  if (unknown.length) throw new ToolBoxValueError(`snr: unknown method(s) ${unknown.join(', ')}; methods are ${SNR_METHODS.join(', ')}`);
  const r = S.map((s, i) => s / R[i]);
  const out: Partial<Record<SnrMethod, SnrValue>> = {};
  for (const m of methods) {
    if (m === 'direct') out.direct = { mu: mean(r), s: std(r) };
    else if (m === 'weighted') {
      const mu = S.reduce((a, b) => a + b, 0) / R.reduce((a, b) => a + b, 0);
      let num = 0, den = 0;
      for (let i = 0; i < r.length; i++) { num += R[i] * (r[i] - mu) ** 2; den += R[i]; }
      out.weighted = { mu, s: Math.sqrt(num / den) };
    } else {
      const d = r.subarray(1).map((x, i) => x - r[i]);
      out.diff = { mu: mean(r), s: d.length ? std(d) / Math.SQRT2 : NaN };
    }
    if (options.verbose) console.log(`${m}: mu = ${out[m]!.mu}, s = ${out[m]!.s}, snr = ${out[m]!.mu / out[m]!.s}`);
  }
  return out;
}
