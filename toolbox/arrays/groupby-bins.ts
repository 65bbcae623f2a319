/**
 * pandas.cut as xarray's groupby_bins uses it: bin edges (given, or a count of
 * equal-width bins), the bin of every value, and the interval labels printed
 * exactly as pandas prints them ("(0.49, 3.667]").
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import type { ArrayData, NumberArray } from './dtype.js';
import { bigintsToFloat64 } from './kernels.js';

/** How the edges were typed; it decides how labels print (pandas keeps the bins' dtype). */
export type EdgeKind = 'int' | 'float64' | 'float32';

export interface Bins {
  edges: Float64Array;
  kind: EdgeKind;
}

/** Group values as float64 numbers (comparisons happen in float64, like searchsorted on float bins). */
export function groupNumbers(values: ArrayData, what: string): NumberArray {
  if (Array.isArray(values)) throw new ToolBoxTypeError(`cannot bin ${what}: it holds strings`);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return bigintsToFloat64(values);
  return values as NumberArray;
}

/**
 * The edges pandas.cut would use. An integer count makes that many equal-width
 * bins over [min, max] of the non-NaN values, widened by 0.1% of the range on
 * the open side (or by 0.1% of the value when all values are equal).
 */
export function resolveBins(bins: number[] | ArrayLike<number> | number, x: ArrayLike<number>, right: boolean, what: string): Bins {
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new ToolBoxValueError(`bins should be a positive integer or a list of edges, got ${bins}`);
    if (x.length === 0) throw new ToolBoxValueError(`cannot cut ${what}: it is empty`);
    let mn = Infinity, mx = -Infinity;
    for (let i = 0; i < x.length; i++) { const v = x[i]; if (v < mn) mn = v; if (v > mx) mx = v; }
    if (mn > mx) throw new ToolBoxValueError(`cannot cut ${what}: all values are NaN`);
    if (!Number.isFinite(mn) || !Number.isFinite(mx)) {
      throw new ToolBoxValueError(`cannot use an integer number of bins when ${what} contains infinity`);
    }
    let edges: Float64Array;
    if (mn === mx) {
      mn -= mn !== 0 ? 0.001 * Math.abs(mn) : 0.001;
      mx += mx !== 0 ? 0.001 * Math.abs(mx) : 0.001;
      edges = linspace(mn, mx, bins + 1);
    } else {
      edges = linspace(mn, mx, bins + 1);
      const adj = (mx - mn) * 0.001;
      if (right) edges[0] -= adj;
      else edges[bins] += adj;
    }
    return { edges, kind: 'float64' };
  }
  const kind: EdgeKind = bins instanceof Float32Array ? 'float32'
    : bins instanceof Float64Array ? 'float64'
    : ArrayBuffer.isView(bins) ? 'int'
    // A plain list of whole numbers is what a Python user writes as [0, 1, 2]: int64 bins.
      : Array.from(bins as ArrayLike<number>).every((b) => Number.isInteger(b)) ? 'int' : 'float64';
  const edges = Float64Array.from(bins as ArrayLike<number>, Number);
  if (edges.length < 2) throw new ToolBoxValueError(`bins needs at least two edges, got ${edges.length}`);
  if (edges.every((e) => e !== e)) throw new ToolBoxValueError('All bin edges are NaN.');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] >= edges[i - 1])) throw new ToolBoxValueError(`bins must increase monotonically; got edges [${Array.from(edges).join(', ')}]`);
    if (edges[i] === edges[i - 1] && edges.length > 2) throw new ToolBoxValueError(`bin edges must be unique; got edges [${Array.from(edges).join(', ')}]`);
  }
  return { edges, kind };
}

/** numpy.linspace with endpoint: start + i*step, the last value exactly `stop`. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * Bin of every value (-1: NaN or outside all bins), as pandas.cut assigns
 * them: (a, b] with `right`, [a, b) otherwise; `includeLowest` puts the first
 * edge itself in the first bin. Roughly uniform edges (the usual linspace) get
 * a direct guess corrected against the real edges, so results equal a binary
 * search exactly; other edges get the binary search. Each case has its own
 * loop so the per-element work stays branch-light.
 */
export function binCodes(x: ArrayLike<number>, edges: Float64Array, right: boolean, includeLowest: boolean): Int32Array {
  const nb = edges.length - 1;
  const e0 = edges[0], eN = edges[nb];
  const width = (eN - e0) / nb;
  let uniform = width > 0 && Number.isFinite(width);
  // Edges within a quarter bin of the uniform grid keep the guess within one bin of the answer.
  for (let i = 1; uniform && i < nb; i++) if (Math.abs(edges[i] - (e0 + i * width)) > 0.25 * width) uniform = false;
  const codes = new Int32Array(x.length);
  if (uniform) {
    if (right) uniformRight(x, edges, 1 / width, codes);
    else uniformLeft(x, edges, 1 / width, codes);
  } else {
    searchCodes(x, edges, right, codes);
  }
  if (includeLowest && right) for (let i = 0; i < x.length; i++) if (x[i] === e0) codes[i] = 0;
  return codes;
}

function uniformRight(x: ArrayLike<number>, edges: Float64Array, inv: number, codes: Int32Array): void {
  const nb = edges.length - 1, e0 = edges[0], eN = edges[nb];
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let c = -1;
    if (v > e0 && v <= eN) {
      c = ((v - e0) * inv) | 0;
      if (c >= nb) c = nb - 1;
      while (v <= edges[c]) c--;
      while (v > edges[c + 1]) c++;
    }
    codes[i] = c;
  }
}

function uniformLeft(x: ArrayLike<number>, edges: Float64Array, inv: number, codes: Int32Array): void {
  const nb = edges.length - 1, e0 = edges[0], eN = edges[nb];
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let c = -1;
    if (v >= e0 && v < eN) {
      c = ((v - e0) * inv) | 0;
      if (c >= nb) c = nb - 1;
      while (v < edges[c]) c--;
      while (v >= edges[c + 1]) c++;
    }
    codes[i] = c;
  }
}

/** numpy searchsorted: side 'left' (first edge >= v) for right-closed bins, 'right' (first edge > v) otherwise. */
function searchCodes(x: ArrayLike<number>, edges: Float64Array, right: boolean, codes: Int32Array): void {
  const nb = edges.length - 1, e0 = edges[0], eN = edges[nb];
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (right ? !(v > e0 && v <= eN) : !(v >= e0 && v < eN)) { codes[i] = -1; continue; }
    let lo = 1, hi = nb;
    if (right) {
      while (lo < hi) { const mid = (lo + hi) >> 1; if (edges[mid] >= v) hi = mid; else lo = mid + 1; }
    } else {
      while (lo < hi) { const mid = (lo + hi) >> 1; if (edges[mid] > v) hi = mid; else lo = mid + 1; }
    }
    codes[i] = lo - 1;
  }
}

/** Interval labels as pandas formats them: edges rounded to the fewest digits that keep them distinct. */
export function intervalLabels(bins: Bins, right: boolean, includeLowest: boolean): string[] {
  const { edges, kind } = bins;
  let breaks: number[];
  let labelKind: EdgeKind = kind;
  if (kind === 'int') {
    breaks = Array.from(edges);
  } else {
    const precision = inferPrecision(3, edges, kind);
    breaks = Array.from(edges, (e) => roundFrac(e, precision, kind));
    if (right && includeLowest) breaks[0] = breaks[0] - 10 ** -precision;
  }
  if (kind === 'int' && right && includeLowest) {
    // pandas subtracts 0.001 from the first (int) break, which makes every break a float64.
    breaks[0] = breaks[0] - 0.001;
    labelKind = 'float64';
  }
  // pandas ends up with float64 intervals even for float32 bins, so their rounded values print as float64.
  const fmt = (v: number) => (labelKind === 'int' ? String(v) : pyFloatStr(v));
  const out: string[] = [];
  for (let i = 0; i + 1 < breaks.length; i++) {
    out.push(right ? `(${fmt(breaks[i])}, ${fmt(breaks[i + 1])}]` : `[${fmt(breaks[i])}, ${fmt(breaks[i + 1])})`);
  }
  return out;
}

function inferPrecision(base: number, edges: Float64Array, kind: EdgeKind): number {
  for (let p = base; p < 20; p++) {
    const levels = new Set(Array.from(edges, (e) => roundFrac(e, p, kind)));
    if (levels.size === edges.length) return p;
  }
  return base;
}

/** pandas' _round_frac: `precision` significant decimals after leading zeros for |x| < 1, else `precision` decimals. */
function roundFrac(x: number, precision: number, kind: EdgeKind): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const whole = Math.trunc(x);
  const digits = whole === 0 ? -Math.floor(Math.log10(Math.abs(x - whole))) - 1 + precision : precision;
  return npAround(x, digits, kind === 'float32');
}

/**
 * numpy.around for floats: multiply by a power of ten, round half to even,
 * divide back; a float32 scalar computes in float64 but stores each step in
 * float32.
 */
function npAround(x: number, decimals: number, f32: boolean): number {
  const store = f32 ? Math.fround : (v: number) => v;
  if (decimals === 0) return rint(x);
  const f = powerOfTen(Math.abs(decimals));
  if (decimals < 0) return store(rint(store(x / f)) * f);
  return store(rint(store(x * f)) / f);
}

/** numpy's power_of_ten: exact table to 1e8, then repeated multiplication (as numpy computes it). */
function powerOfTen(n: number): number {
  if (n < 9) return [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8][n];
  let r = 1e9;
  while (n-- > 9) r *= 10;
  return r;
}

/** Round half to even, like C rint in the default rounding mode. */
function rint(y: number): number {
  if (!Number.isFinite(y) || Math.abs(y) >= 2 ** 52) return y;
  const f = Math.floor(y), d = y - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Python's repr of a float (numpy's str of a float64 scalar): shortest
 * round-trip digits, scientific notation below 1e-4 and from 1e16 up.
 */
export function pyFloatStr(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without digits gives the shortest round-trip digits, as Python's repr.
  const exp = x.toExponential();
  const [mant, e] = exp.split('e');
  const power = Number(e);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (power < -4 || power >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  }
  if (power < 0) return `${sign}0.${'0'.repeat(-power - 1)}${digits}`;
  const intPart = digits.slice(0, power + 1).padEnd(power + 1, '0');
  const frac = digits.slice(power + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}
