/**
 * The core of the toolbox integrators: every pixel gets the index of its
 * ring (or −1 outside the wedge), computed once; a frame is then reduced in
 * one linear pass (NaN-aware sum and count per ring). This is the no-split
 * case of the CSR design, with a pixel-unit radius.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';

/** How pixels of a ring are combined: the mean of the valid pixels (default) or their sum. */
export type RingReduce = 'mean' | 'sum';

export interface RingTable {
  /** Ring of each pixel, −1 when outside the wedge or beyond the last ring. */
  ring: Int32Array;
  /** Ring centres in pixel units: (k + ½)·dr. */
  distance: Float64Array;
  /** Pixels in each ring (before invalid values are left out). */
  npixels: Float64Array;
}

/** The wedge as [start, span) in radians modulo π, or null for the whole half-turn. */
export type Wedge = { start: number; span: number } | null;

/** Check polarRange (degrees): two finite numbers spanning more than 0 and at most 180°. */
export function checkPolarRange(polarRange: unknown): Wedge {
  const ok = Array.isArray(polarRange) && polarRange.length === 2 && polarRange.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw new ParameterError(`polarRange must be [start, stop] in degrees, got ${JSON.stringify(polarRange)}`, { parameter: 'polarRange', value: polarRange });
  const [a, b] = polarRange as [number, number];
  const span = Math.abs(b - a);
  if (span > 180) {
    throw new ParameterError(`polarRange [${a}, ${b}] spans ${span}°: the polar angle is taken modulo 180° (a wedge and its opposite), so at most 180°`, { parameter: 'polarRange', value: polarRange });
  }
  if (span < 1e-6) throw new ParameterError(`polarRange [${a}, ${b}] is empty: give start and stop at least 1e-6° apart`, { parameter: 'polarRange', value: polarRange });
  if (span === 180) return null;
  const start = (((Math.min(a, b) % 180) + 180) % 180) * Math.PI / 180;
  return { start, span: span * Math.PI / 180 };
}

export function checkDr(dr: unknown): number {
  if (dr === undefined) return 1;
  if (typeof dr !== 'number' || !Number.isFinite(dr) || dr <= 0) throw new ParameterError(`dr must be a number > 0 (pixels), got ${String(dr)}`, { parameter: 'dr', value: dr });
  return dr;
}

export function checkReduce(reduce: unknown): RingReduce {
  if (reduce === undefined) return 'mean';
  if (reduce !== 'mean' && reduce !== 'sum') throw new ParameterError(`reduce must be 'mean' or 'sum', got ${JSON.stringify(reduce)}`, { parameter: 'reduce', value: reduce, expected: ['mean', 'sum'] });
  return reduce;
}

/** Whether angle θ (radians, any turn) is in the wedge, modulo π. */
function inWedge(theta: number, w: Wedge): boolean {
  if (!w) return true;
  let d = (theta - w.start) % Math.PI;
  if (d < 0) d += Math.PI;
  return d < w.span;
}

/** Rings [k·dr, (k+1)·dr) for k up to the largest distance; pixels out of the wedge get −1. */
export function buildRingTable(dist: Float64Array, angle: Float64Array, wedge: Wedge, dr: number): RingTable {
  let max = 0;
  for (let i = 0; i < dist.length; i++) if (dist[i] > max) max = dist[i];
  const nRings = Math.max(1, Math.floor(max / dr) + 1);
  const ring = new Int32Array(dist.length);
  const npixels = new Float64Array(nRings);
  for (let i = 0; i < dist.length; i++) {
    const k = Number.isFinite(dist[i]) && inWedge(angle[i], wedge) ? Math.floor(dist[i] / dr) : -1;
    ring[i] = k;
    if (k >= 0) npixels[k]++;
  }
  const distance = new Float64Array(nRings);
  for (let k = 0; k < nRings; k++) distance[k] = (k + 0.5) * dr;
  return { ring, distance, npixels };
}

/** Reduce one frame (values[offset .. offset + ring.length)) into out[outOffset .. + nRings). */
export function reduceFrame(values: ArrayLike<number>, offset: number, table: RingTable, reduce: RingReduce, out: Float64Array, outOffset: number): void {
  const n = table.distance.length;
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  const ring = table.ring;
  for (let i = 0; i < ring.length; i++) {
    const k = ring[i];
    if (k < 0) continue;
    const v = Number(values[offset + i]);
    if (v !== v) continue;
    sum[k] += v;
    count[k]++;
  }
  for (let k = 0; k < n; k++) out[outOffset + k] = reduce === 'sum' ? sum[k] : count[k] > 0 ? sum[k] / count[k] : NaN;
}

export type RingImageInput = DataArray | Float32Array | Float64Array | ArrayLike<number>;

interface Frames {
  values: ArrayLike<number>;
  nFrames: number;
  leadDims: string[];
  leadShape: number[];
  leadCoords: Record<string, DataArray>;
}

/** Split an input into frames of `frameShape`: a DataArray's trailing dims, or a flat array of whole frames. */
function toFrames(image: RingImageInput, frameShape: readonly number[]): Frames {
  const frameSize = frameShape.reduce((a, b) => a * b, 1);
  if (image instanceof DataArray) {
    const nd = frameShape.length;
    const tail = image.shape.slice(-nd);
    if (image.ndim < nd || tail.some((s, i) => s !== frameShape[i])) {
      throw new ParameterError(`image shape (${image.shape.join(', ')}) does not end with the integrator's shape (${frameShape.join(', ')})`, { parameter: 'image', value: [...image.shape] });
    }
    const leadDims = image.dims.slice(0, -nd);
    const leadCoords: Record<string, DataArray> = {};
    for (const [name, c] of Object.entries(image.coords)) if (c.dims.every((d) => leadDims.includes(d))) leadCoords[name] = c;
    return { values: image.values as ArrayLike<number>, nFrames: image.size / frameSize, leadDims, leadShape: image.shape.slice(0, -nd), leadCoords };
  }
  if (!image || typeof (image as ArrayLike<number>).length !== 'number') {
    throw new ParameterError('image must be a DataArray or an array of numbers', { parameter: 'image', value: typeof image });
  }
  const len = (image as ArrayLike<number>).length;
  if (len === 0 || len % frameSize !== 0) {
    throw new ParameterError(`image has ${len} values, not a whole number of frames of the integrator's shape (${frameShape.join(', ')}) = ${frameSize} values`, { parameter: 'image', value: len });
  }
  const nFrames = len / frameSize;
  return { values: image as ArrayLike<number>, nFrames, leadDims: nFrames > 1 ? ['frame'] : [], leadShape: nFrames > 1 ? [nFrames] : [], leadCoords: {} };
}

/**
 * Integrate every frame of `image`: a DataArray over the leading dims (kept,
 * with their coordinates) and `distance` (ring centres, pixel units).
 */
export function integrateFrames(image: RingImageInput, frameShape: readonly number[], table: RingTable, reduce: RingReduce, attrs: Record<string, string | number>): DataArray {
  const f = toFrames(image, frameShape);
  const frameSize = table.ring.length;
  if (frameSize !== frameShape.reduce((a, b) => a * b, 1)) throw new ToolBoxValueError('ring table does not match the frame shape');
  const n = table.distance.length;
  const out = new Float64Array(f.nFrames * n);
  for (let i = 0; i < f.nFrames; i++) reduceFrame(f.values, i * frameSize, table, reduce, out, i * n);
  return new DataArray(out, {
    dims: [...f.leadDims, 'distance'],
    shape: [...f.leadShape, n],
    coords: {
      ...f.leadCoords,
      distance: new DataArray(Float64Array.from(table.distance), { dims: ['distance'], attrs: { units: 'pixel', long_name: 'ring radius (ring centre)' } }),
      npixels: new DataArray(Float64Array.from(table.npixels), { dims: ['distance'], attrs: { long_name: 'pixels in the ring' } }),
    },
    attrs: { reduce, ...attrs },
  });
}
