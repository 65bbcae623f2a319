/**
 * The parameters of a PoniGeometry and their checks: pyFAI's PONI
 * parameters (metres and radians), the detector shape and, for detectors
 * whose pixels are not a regular grid of rectangles, the pixel corners.
 */
import { ParameterError } from '../../errors.js';
import { optionNames } from '../../options.js';
import type { CornerCentres } from './pixel-layout.js';

export interface PoniGeometryOptions {
  /** Sample → PONI distance, metres (> 0). */
  dist: number;
  /** PONI along dim1 (slow, rows) from the detector origin, metres. */
  poni1: number;
  /** PONI along dim2 (fast, columns) from the detector origin, metres. */
  poni2: number;
  /** Rotations in radians, pyFAI's (default 0). */
  rot1?: number;
  rot2?: number;
  rot3?: number;
  /** Pixel size along dim1 and dim2, metres (> 0). */
  pixel1: number;
  pixel2: number;
  /** Metres; needed for q units. */
  wavelength?: number;
  /** Detector shape as [ny, nx], rows (dim1) then columns (dim2). */
  shape: [number, number];
  /** Per-pixel corners (ny, nx, nCorners, 3) flattened, (z, dim1, dim2) in metres, pyFAI's set_pixel_corners layout. */
  corners?: Float64Array | Float32Array | ArrayLike<number>;
  /** Corners per pixel when `corners` is given (default 4; 6 for hexagons). */
  nCorners?: number;
  /**
   * With `corners`: how pixel centres are placed. 'bilinear' (default,
   * pyFAI 0.21's): the middle of the first four corners; 'mean': the mean of
   * all corners, the true centre of hexagonal pixels.
   */
  cornerCentres?: CornerCentres;
}

/** The parameters of a geometry (corners not included: see `PoniGeometry.corners`). */
export interface PoniGeometryConfig {
  dist: number; poni1: number; poni2: number;
  rot1: number; rot2: number; rot3: number;
  pixel1: number; pixel2: number;
  wavelength?: number;
  shape: [number, number];
  /** Corners per pixel when the geometry has per-pixel corners. */
  nCorners?: number;
  /** How centres are placed when the geometry has per-pixel corners. */
  cornerCentres?: CornerCentres;
}

export const PONI_GEOMETRY_OPTIONS = optionNames<PoniGeometryOptions>({
  dist: true, poni1: true, poni2: true, rot1: true, rot2: true, rot3: true, pixel1: true, pixel2: true, wavelength: true, shape: true,
  corners: true, nCorners: true, cornerCentres: true,
});

const FN = 'PoniGeometry';

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  return String(value);
}

function bad(parameter: string, value: unknown, must: string): ParameterError {
  return new ParameterError(`${FN}: ${parameter} must be ${must}, got ${show(value)}`, { parameter, value });
}

function finite(o: Record<string, unknown>, key: string, fallback?: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(key, v, 'a finite number');
  return v;
}

function positive(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(key, v, `a positive number (${what})`);
  return v;
}

function checkShape(shape: unknown): [number, number] {
  const ok = Array.isArray(shape) && shape.length === 2 && shape.every((s) => Number.isInteger(s) && s > 0);
  if (!ok) throw bad('shape', shape, 'two positive integers [ny, nx]');
  return [shape[0], shape[1]];
}

/** Corners as float32, as pyFAI holds them; undefined when none are given. */
function checkCorners(o: PoniGeometryOptions, shape: [number, number]): { corners?: Float32Array; nCorners?: number } {
  if (o.corners === undefined || o.corners === null) {
    if (o.cornerCentres !== undefined) {
      throw new ParameterError(`${FN}: cornerCentres (${show(o.cornerCentres)}) is given without corners`, { parameter: 'cornerCentres', value: o.cornerCentres });
    }
    if (o.nCorners !== undefined) {
      throw new ParameterError(`${FN}: nCorners (${show(o.nCorners)}) is given without corners; give both, or neither for a regular detector`, { parameter: 'nCorners', value: o.nCorners });
    }
    return {};
  }
  const nCorners = o.nCorners ?? 4;
  if (!Number.isInteger(nCorners) || nCorners < 3) throw bad('nCorners', nCorners, 'an integer ≥ 3');
  const c = o.corners;
  if (typeof c !== 'object' || typeof (c as ArrayLike<number>).length !== 'number') throw bad('corners', c, 'an array of numbers');
  const expected = shape[0] * shape[1] * nCorners * 3;
  if (c.length !== expected) {
    throw new ParameterError(`${FN}: corners must hold ny·nx·nCorners·3 = ${shape[0]}·${shape[1]}·${nCorners}·3 = ${expected} numbers (z, dim1, dim2 per corner), got ${c.length}`,
      { parameter: 'corners', value: c.length });
  }
  const corners = Float32Array.from(c);
  for (let k = 0; k < corners.length; k++) {
    if (!Number.isFinite(corners[k])) {
      throw new ParameterError(`${FN}: corners must hold finite numbers, got ${c[k]} at index ${k}`, { parameter: 'corners', value: c[k] });
    }
  }
  return { corners, nCorners };
}

export interface CheckedGeometry {
  config: PoniGeometryConfig;
  corners?: Float32Array;
}

/** Checks the values of `new PoniGeometry(...)`'s options (their names were checked by checkOptions); ParameterErrors name the parameter and value. */
export function checkGeometryOptions(o: PoniGeometryOptions): CheckedGeometry {
  const r = o as unknown as Record<string, unknown>;
  const shape = checkShape(o.shape);
  const config: PoniGeometryConfig = {
    dist: positive(r, 'dist', 'metres'), poni1: finite(r, 'poni1'), poni2: finite(r, 'poni2'),
    rot1: finite(r, 'rot1', 0), rot2: finite(r, 'rot2', 0), rot3: finite(r, 'rot3', 0),
    pixel1: positive(r, 'pixel1', 'metres'), pixel2: positive(r, 'pixel2', 'metres'), shape,
  };
  if (o.wavelength !== undefined) config.wavelength = positive(r, 'wavelength', 'metres');
  const { corners, nCorners } = checkCorners(o, shape);
  if (nCorners !== undefined) {
    config.nCorners = nCorners;
    const cc = o.cornerCentres ?? 'bilinear';
    if (cc !== 'bilinear' && cc !== 'mean') {
      throw new ParameterError(`${FN}: cornerCentres must be 'bilinear' or 'mean', got ${show(cc)}`, { parameter: 'cornerCentres', value: cc, expected: ['bilinear', 'mean'] });
    }
    config.cornerCentres = cc;
  }
  return { config, corners };
}
