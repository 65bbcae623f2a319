/**
 * The SCS toolbox's quick-look integrators (Python's AzimuthalIntegrator and
 * AzimuthalIntegratorDSSC): rings of width `dr` in pixel units, restricted to
 * a wedge of polar angle taken modulo 180° (the wedge and its opposite, for
 * centrosymmetric patterns). By default a ring's value is the mean of its
 * valid (non-NaN) pixels; `reduce: 'sum'` gives their sum. Why the mean is the
 * default: docs/azimuthal-integration.md (DSSC geometry and toolbox integrators).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { DSSC_1MGeometry } from '../../detectors/dssc/geometry.js';
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import {
  buildRingTable, checkDr, checkPolarRange, checkReduce, integrateFrames, type RingImageInput, type RingReduce, type RingTable,
} from './ring-reduce.js';

export type { RingImageInput, RingReduce } from './ring-reduce.js';

export interface AzimuthalIntegratorOptions {
  /** Row pitch over column pitch (default 204/236, the DSSC's): row offsets are scaled by it. */
  aspect?: number;
  /** Ring width in pixels (default 1). */
  dr?: number;
  /** 'mean' (default) or 'sum' of the valid pixels of a ring. */
  reduce?: RingReduce;
  /** Column pitch in metres, for calcQ (default 236e-6, the DSSC's). */
  pixelSize?: number;
}

export interface AzimuthalIntegratorDSSCOptions {
  /** Beam centre (x, y) in the geometry's lab frame, metres (default [0, 0], the geometry's origin). */
  dxdy?: [number, number];
  /** Ring width in pixels of the geometry's fast-scan step (default 1). */
  dr?: number;
  /** 'mean' (default) or 'sum' of the valid pixels of a ring. */
  reduce?: RingReduce;
}

const AI_OPTIONS = optionNames<AzimuthalIntegratorOptions>({ aspect: true, dr: true, reduce: true, pixelSize: true });
const AI_DSSC_OPTIONS = optionNames<AzimuthalIntegratorDSSCOptions>({ dxdy: true, dr: true, reduce: true });

function checkShape(shape: unknown): [number, number] {
  const ok = Array.isArray(shape) && shape.length === 2 && shape.every((v) => Number.isInteger(v) && v > 0);
  if (!ok) throw new ParameterError(`imageshape must be [rows, columns] positive integers, got ${JSON.stringify(shape)}`, { parameter: 'imageshape', value: shape });
  return [shape[0], shape[1]];
}

function checkPositiveNumber(name: string, value: unknown, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ParameterError(`${name} must be a number > 0, got ${String(value)}`, { parameter: name, value });
  return value;
}

/** q = 4π·sin(atan(r·pixelSize / distance) / 2) / wavelength, in 1/m, for ring radii r in pixels. */
function ringQ(radii: Float64Array, pixelSize: number, distance: number, wavelength: number): Float64Array {
  for (const [name, v] of [['distance', distance], ['wavelength', wavelength]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ParameterError(`${name} must be a number > 0 (metres), got ${String(v)}`, { parameter: name, value: v });
  }
  return radii.map((r) => 4 * Math.PI * Math.sin(Math.atan(r * pixelSize / distance) / 2) / wavelength);
}

/**
 * What both integrators share: the ring table of their pixels' radii and
 * polar angles, its reduction and the rings' q. Python's
 * AzimuthalIntegratorDSSC derives from AzimuthalIntegrator; here both derive
 * from this, since their constructors take different things.
 */
export abstract class RingIntegrator {
  readonly polarRange: [number, number];
  readonly dr: number;
  readonly reduce: RingReduce;
  /** Metres per radius unit, for calcQ. */
  readonly pixelSize: number;
  /** Ring centres in radius units. */
  readonly distance: Float64Array;
  protected readonly table: RingTable;

  protected constructor(dist: Float64Array, angle: Float64Array, polarRange: [number, number], options: { dr?: number; reduce?: RingReduce }, pixelSize: number) {
    const wedge = checkPolarRange(polarRange);
    this.polarRange = [polarRange[0], polarRange[1]];
    this.dr = checkDr(options.dr);
    this.reduce = checkReduce(options.reduce);
    this.pixelSize = pixelSize;
    this.table = buildRingTable(dist, angle, wedge, this.dr);
    this.distance = this.table.distance;
  }

  /** Pixels per ring. */
  get npixels(): Float64Array { return this.table.npixels; }

  /** Momentum transfer (1/m) of the rings for a sample–detector `distance` and a `wavelength`, both in metres. */
  calcQ(distance: number, wavelength: number): Float64Array {
    return ringQ(this.distance, this.pixelSize, distance, wavelength);
  }

  /** The ring profile of each frame of `frameShape`, with the wedge and `centre` as attributes. */
  protected reduceFrames(image: RingImageInput, frameShape: readonly number[], centre: Record<string, string>): DataArray {
    return integrateFrames(image, frameShape, this.table, this.reduce, { polarRange: `${this.polarRange[0]} ${this.polarRange[1]}`, ...centre });
  }
}

/**
 * Rings around `center` on an assembled image of `imageshape` [rows, columns].
 * Pixel (i, j) sits at (i, j); the radius is hypot((i − row)·aspect, j − col)
 * in column pixels and the polar angle atan2((i − row)·aspect, j − col),
 * from the +column axis towards +row, modulo 180°.
 */
export class AzimuthalIntegrator extends RingIntegrator {
  readonly shape: [number, number];
  /** Beam centre [row, column] in pixels (the order of `imageshape`). */
  readonly center: [number, number];
  readonly aspect: number;

  constructor(imageshape: [number, number], center: [number, number], polarRange: [number, number], options: AzimuthalIntegratorOptions = {}) {
    options = checkOptions('AzimuthalIntegrator', options, AI_OPTIONS);
    const shape = checkShape(imageshape);
    const [ny, nx] = shape;
    const ok = Array.isArray(center) && center.length === 2 && center.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok || center[0] < -0.5 || center[0] > ny - 0.5 || center[1] < -0.5 || center[1] > nx - 0.5) {
      throw new ParameterError(`center ${JSON.stringify(center)} is outside the image of shape [${ny}, ${nx}]: give [row, column] within it`, { parameter: 'center', value: center });
    }
    const aspect = checkPositiveNumber('aspect', options.aspect, 204 / 236);
    const dist = new Float64Array(ny * nx);
    const angle = new Float64Array(ny * nx);
    for (let i = 0; i < ny; i++) {
      const dy = (i - center[0]) * aspect;
      for (let j = 0; j < nx; j++) {
        const dx = j - center[1];
        dist[i * nx + j] = Math.hypot(dy, dx);
        angle[i * nx + j] = Math.atan2(dy, dx);
      }
    }
    super(dist, angle, polarRange, options, checkPositiveNumber('pixelSize', options.pixelSize, 236e-6));
    this.shape = shape;
    this.center = [center[0], center[1]];
    this.aspect = aspect;
  }

  /** Python's `__call__`: the ring profile of each image, a DataArray over the leading dims and `distance`. */
  integrate(image: RingImageInput): DataArray {
    return this.reduceFrames(image, this.shape, { center: `${this.center[0]} ${this.center[1]}` });
  }
}

/**
 * Rings on unassembled DSSC module stacks (…, 16, slow scan, fast scan)
 * through a DSSC_1MGeometry: the radius is the distance of each pixel centre
 * from the beam centre `dxdy` in units of the geometry's fast-scan step, the
 * polar angle atan2(y, x) in the lab frame, modulo 180°.
 */
export class AzimuthalIntegratorDSSC extends RingIntegrator {
  readonly geom: DSSC_1MGeometry;
  readonly dxdy: [number, number];

  constructor(geom: DSSC_1MGeometry, polarRange: [number, number], options: AzimuthalIntegratorDSSCOptions = {}) {
    options = checkOptions('AzimuthalIntegratorDSSC', options, AI_DSSC_OPTIONS);
    if (!(geom instanceof DSSC_1MGeometry)) throw new ParameterError('geom must be a DSSC_1MGeometry', { parameter: 'geom', value: typeof geom });
    const dxdy = options.dxdy ?? [0, 0];
    const pos = geom.getPixelPositions();
    checkCentreInside(dxdy, pos);
    // radii in units of the fast-scan step, as the toolbox's pixel-unit rings
    const step = geom.pixelSteps[1];
    const n = pos.length / 3;
    const dist = new Float64Array(n);
    const angle = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = pos[3 * i] - dxdy[0];
      const y = pos[3 * i + 1] - dxdy[1];
      dist[i] = Math.hypot(x, y) / step;
      angle[i] = Math.atan2(y, x);
    }
    super(dist, angle, polarRange, options, step);
    this.geom = geom;
    this.dxdy = [dxdy[0], dxdy[1]];
  }

  /**
   * The ring profile of each module stack, a DataArray over the leading dims
   * and `distance`. A DataArray with a `module` dim (as the DSSC binner's
   * outputs) is first put in module order 0..15 (by its `module` coordinate)
   * and `module` moved just before its last two (pixel) dims.
   */
  integrate(image: RingImageInput): DataArray {
    return this.reduceFrames(moduleStack(image), this.geom.expectedDataShape, { dxdy: `${this.dxdy[0]} ${this.dxdy[1]}` });
  }
}

export function moduleStack(image: RingImageInput): RingImageInput {
  if (!(image instanceof DataArray) || !image.dims.includes('module') || image.ndim < 3) return image;
  let da = image;
  const mod = da.coords.module;
  if (mod && mod.dims.length === 1 && mod.dims[0] === 'module') {
    const ids = Array.from(mod.values as ArrayLike<number | bigint>, Number);
    const order = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b]);
    if (ids.length !== 16 || order.some((k, i) => ids[k] !== i)) {
      throw new ParameterError(`image must hold the 16 modules 0..15, its module coordinate is [${ids.join(', ')}]`, { parameter: 'image', value: ids });
    }
    if (order.some((k, i) => k !== i)) da = da.isel({ module: order });
  }
  const pixels = da.dims.slice(-2);
  if (pixels.includes('module')) return da;
  return da.transpose(...da.dims.filter((d) => d !== 'module' && !pixels.includes(d)), 'module', ...pixels);
}

/** The beam centre must lie within the detector's extent (the box of its pixel centres). */
export function checkCentreInside(dxdy: unknown, pos: Float64Array): void {
  const ok = Array.isArray(dxdy) && dxdy.length === 2 && dxdy.every((v) => typeof v === 'number' && Number.isFinite(v));
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < pos.length; i += 3) {
    if (pos[i] < minX) minX = pos[i];
    if (pos[i] > maxX) maxX = pos[i];
    if (pos[i + 1] < minY) minY = pos[i + 1];
    if (pos[i + 1] > maxY) maxY = pos[i + 1];
  }
  if (!ok || dxdy[0] < minX || dxdy[0] > maxX || dxdy[1] < minY || dxdy[1] > maxY) {
    throw new ParameterError(`dxdy ${JSON.stringify(dxdy)} (beam centre, m) is outside the detector (x ${minX.toFixed(4)}..${maxX.toFixed(4)}, y ${minY.toFixed(4)}..${maxY.toFixed(4)} m)`, { parameter: 'dxdy', value: dxdy });
  }
}
