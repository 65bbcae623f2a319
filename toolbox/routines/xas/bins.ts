/**
 * The energy bins of xas() as the Python toolbox builds them with numpy:
 * linspace for a count, arange for a width, edges as given, and
 * numpy.digitize's left-closed assignment. The arithmetic copies numpy's
 * so edges, and hence which bin a value falls in, are bit-identical.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';

/** Bins of xas(): edges, a count, a width, or one of the two spelled out (`{ width: 1 }`: a whole-number width). */
export type XasBins = number | ArrayLike<number> | { count: number } | { width: number };

/** The Python toolbox's default: 80 equal bins over [min, max]. */
export const DEFAULT_BIN_COUNT = 80;

/** numpy.linspace(start, stop, num) with its endpoint: i·step + start, the last edge exactly stop. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** numpy.arange(start, stop, step) for floats: ceil((stop − start)/step) values start + i·((start + step) − start). */
export function arange(start: number, stop: number, step: number): Float64Array {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(n);
  if (n > 0) out[0] = start;
  if (n > 1) out[1] = start + step;
  // numpy fills from the first two entries, with their difference as the step
  const d = n > 1 ? out[1] - out[0] : step;
  for (let i = 2; i < n; i++) out[i] = start + i * d;
  return out;
}

/**
 * numpy.digitize(x, edges) for increasing edges (right=False): i with
 * edges[i−1] ≤ x < edges[i]; 0 below the first edge, edges.length at or
 * past the last. Value i ≥ 1 is bin i − 1.
 */
export function digitize(x: number, edges: Float64Array): number {
  // searchsorted side='right': the first edge strictly greater than x
  let lo = 0, hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rangeOf(nrj: Float64Array, key: string): [number, number] {
  let min = Infinity, max = -Infinity;
  for (const v of nrj) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) throw new ToolBoxValueError(`xas: no finite values of '${key}' to bin`);
  return [min, max];
}

function countEdges(n: number, nrj: Float64Array, key: string): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new ParameterError(`xas: a number of bins must be a positive integer, got ${n}`, { parameter: 'bins', value: n });
  }
  const [min, max] = rangeOf(nrj, key);
  if (min === max) throw new ToolBoxValueError(`xas: every '${key}' value is ${min}, so ${n} equal bins over [min, max] have width zero; give bin edges or a width`);
  return linspace(min, max, n + 1);
}

function widthEdges(w: number, nrj: Float64Array, key: string): Float64Array {
  if (!(w > 0) || !Number.isFinite(w)) {
    throw new ParameterError(`xas: a bin width must be a positive finite number, got ${w}`, { parameter: 'bins', value: w });
  }
  const [min, max] = rangeOf(nrj, key);
  // one bin (or none) is no spectrum: say so rather than return it
  if (w > max - min) {
    throw new ParameterError(`xas: a bin width of ${w} is wider than the range of '${key}' (${min} to ${max}, ${max - min} wide)`, { parameter: 'bins', value: w });
  }
  const edges = arange(min - w / 2, max + w / 2, w);
  return edges;
}

function givenEdges(bins: ArrayLike<number>): Float64Array {
  const edges = Float64Array.from(bins);
  if (edges.length < 2) throw new ParameterError(`xas: bin edges need at least two values, got ${edges.length}`, { parameter: 'bins', value: Array.from(edges) });
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) throw new ParameterError(`xas: bin edge ${i} is ${edges[i]}; edges must be finite`, { parameter: 'bins', value: Array.from(edges) });
    if (i > 0 && !(edges[i] > edges[i - 1])) {
      throw new ParameterError(`xas: bin edges must increase strictly, but edge ${i} (${edges[i]}) follows ${edges[i - 1]}`, { parameter: 'bins', value: Array.from(edges) });
    }
  }
  return edges;
}

/**
 * The bin edges for `bins` over the (finite) values `nrj` of `key`:
 * undefined → 80 equal bins, an integer → that many, another number → a
 * width, `{ count }` / `{ width }` explicitly, an array → the edges.
 */
export function binEdgesFor(bins: XasBins | undefined, nrj: Float64Array, key: string): Float64Array {
  if (bins === undefined || bins === null) return countEdges(DEFAULT_BIN_COUNT, nrj, key);
  if (typeof bins === 'number') return Number.isInteger(bins) ? countEdges(bins, nrj, key) : widthEdges(bins, nrj, key);
  if (typeof bins === 'object' && !ArrayBuffer.isView(bins) && !Array.isArray(bins)) {
    if ('count' in bins && !('width' in bins)) return countEdges(bins.count, nrj, key);
    if ('width' in bins && !('count' in bins)) return widthEdges(bins.width, nrj, key);
    throw new ParameterError(`xas: bins must be edges, a count, a width, { count } or { width }, got ${JSON.stringify(bins)}`, { parameter: 'bins', value: bins });
  }
  if (typeof (bins as ArrayLike<number>).length !== 'number') {
    throw new ParameterError(`xas: bins must be edges, a count, a width, { count } or { width }, got ${String(bins)}`, { parameter: 'bins', value: bins });
  }
  return givenEdges(bins as ArrayLike<number>);
}

/** Bin centres 0.5·(edges[1:] + edges[:-1]), as the Python toolbox computes them. */
export function binCentres(edges: Float64Array): Float64Array {
  return Float64Array.from({ length: edges.length - 1 }, (_, i) => 0.5 * (edges[i + 1] + edges[i]));
}
