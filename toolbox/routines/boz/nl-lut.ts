/**
 * The DSSC non-linearity lookup table (Python: boz.nl_domain, boz.nl_lut): a
 * piecewise-constant deviation from the identity over N segments of the 9-bit
 * range, none outside (low, high). Definitions: docs/boz.md.
 */
import { ParameterError } from '../../errors.js';
import { ADC_LEVELS } from './types.js';

/** numpy.linspace(start, stop, num) (endpoint included), element for element as numpy computes it. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const y = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  for (let i = 0; i < num; i++) {
    // numpy: y = arange(num) * step + start, or (i / div) * delta when the step underflows to 0.
    y[i] = div > 0 ? (step === 0 ? (i / div) * delta : i * step) + start : i * delta + start;
  }
  if (num > 1) y[num - 1] = stop;
  return y;
}

const EPS = 1e-5;

/**
 * The input domain of the correction (Python: nl_domain): 512 integers, 0 for
 * raw values ≤ low or ≥ high, else the segment 1…N of the value:
 * ⌊linspace(1, N + 1 − 1e-5, high − low − 1)⌋ over low < v < high.
 * Needs −1 ≤ low < high ≤ 512 (numpy refuses the others) and an integer N ≥ 1.
 */
export function nlDomain(N: number, low: number, high: number): Int32Array {
  if (!Number.isInteger(N) || N < 1) throw new ParameterError(`nlDomain: N (the number of segments) must be a positive integer, got ${N}`, { parameter: 'N', value: N });
  for (const [name, v] of [['low', low], ['high', high]] as const) {
    if (!Number.isInteger(v)) throw new ParameterError(`nlDomain: ${name} must be an integer raw value, got ${v}`, { parameter: name, value: v });
  }
  if (low < -1 || high > ADC_LEVELS || high - low - 1 < 0) {
    throw new ParameterError(`nlDomain: need -1 <= low < high <= ${ADC_LEVELS}, got low = ${low}, high = ${high}`, { parameter: 'low', value: low });
  }
  const vx = new Int32Array(ADC_LEVELS);
  const seg = linspace(1, N + 1 - EPS, high - low - 1);
  for (let v = low + 1, i = 0; v < high; v++, i++) vx[v] = Math.floor(seg[i]);
  return vx;
}

/** Number of segments a domain defines (its largest entry). */
export function domainSegments(domain: ArrayLike<number>): number {
  let n = 0;
  for (let v = 0; v < domain.length; v++) n = Math.max(n, domain[v]);
  return n;
}

/** `domain` checked as 512 non-negative integers. */
export function checkDomain(fn: string, domain: ArrayLike<number>): void {
  if (domain.length !== ADC_LEVELS) throw new ParameterError(`${fn}: domain must have ${ADC_LEVELS} entries (one per raw value), got ${domain.length}`, { parameter: 'domain', value: domain.length });
  for (let v = 0; v < ADC_LEVELS; v++) {
    if (!Number.isInteger(domain[v]) || domain[v] < 0) throw new ParameterError(`${fn}: domain[${v}] = ${domain[v]} is not a segment index (a non-negative integer)`, { parameter: 'domain', value: domain[v] });
  }
}

/**
 * The correction function (Python: nl_lut): F(v) = v + [0, dy₁ … dy_N][domain[v]]
 * for the 512 raw values. dy needs at least max(domain) entries.
 */
export function nlLut(domain: ArrayLike<number>, dy: ArrayLike<number>): Float64Array {
  checkDomain('nlLut', domain);
  const n = domainSegments(domain);
  if (dy.length < n) throw new ParameterError(`nlLut: dy has ${dy.length} values but the domain has ${n} segments`, { parameter: 'dy', value: dy.length });
  const f = new Float64Array(ADC_LEVELS);
  for (let v = 0; v < ADC_LEVELS; v++) f[v] = v + (domain[v] === 0 ? 0 : Number(dy[domain[v] - 1]));
  return f;
}
