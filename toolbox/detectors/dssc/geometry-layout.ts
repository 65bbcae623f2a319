/**
 * The DSSC 1M layout facts shared by the geometry and its file reader:
 * pixel steps, quadrant orientations, hexagon corners (EXtra-geom's
 * conventions; where they were checked is in docs/azimuthal-integration.md).
 */
import { ParameterError } from '../../errors.js';

export type Vec3 = [number, number, number];

/** One tile: the corner where its first stored pixel is, and the steps of one pixel along each data axis. */
export interface GeometryFragment {
  cornerPos: Vec3;
  ssVec: Vec3;
  fsVec: Vec3;
  ssPixels: number;
  fsPixels: number;
}

/** Fast-scan pixel step of the real detector (m). */
export const PIXEL_SIZE = 236e-6;
/** Slow-scan step between rows of hexagons: 1.5/√3 of the fast-scan step (≈ 204.4 µm). */
export const ROW_STEP = PIXEL_SIZE * 1.5 / Math.sqrt(3);
export const REAL_MODULE_PIXELS: [number, number] = [128, 512];
/** x and y orientation of the data axes in quadrants Q1..Q4. */
export const QUAD_X_ORIENTATION = [-1, -1, 1, 1] as const;
export const QUAD_Y_ORIENTATION = [1, 1, -1, -1] as const;

/**
 * Hexagon corners of one pixel, clockwise, in units of the slow-scan and
 * fast-scan steps from the pixel's first corner. A hexagon spans 4/3 of a row
 * step, reaching into the next row, so that offset rows tessellate.
 */
export const HEX_CORNERS_SS = [0, 1 / 3, 1, 4 / 3, 1, 1 / 3] as const;
export const HEX_CORNERS_FS = [0.5, 1, 1, 0.5, 0, 0] as const;
/** The hexagon's centre in the same units. */
export const CENTRE_SS = 2 / 3;
export const CENTRE_FS = 0.5;

export function add(a: Vec3, b: Vec3, k = 1): Vec3 {
  return [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];
}

export function checkModulePixels(value: unknown): [number, number] {
  const ok = Array.isArray(value) && value.length === 2
    && value.every((v) => Number.isInteger(v) && v > 0) && (value[1] as number) % 2 === 0;
  if (!ok) {
    throw new ParameterError(`modulePixels must be [slow scan, fast scan] positive integers with an even fast-scan count (2 tiles), got ${JSON.stringify(value)}`, { parameter: 'modulePixels', value });
  }
  return [value[0] as number, value[1] as number];
}

export function checkQuadPositions(quadPos: unknown): [number, number][] {
  const ok = Array.isArray(quadPos) && quadPos.length === 4 && quadPos.every((p) => Array.isArray(p) && p.length >= 2
    && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (!ok) throw new ParameterError(`quadPos must be 4 (x, y) positions, got ${JSON.stringify(quadPos)}`, { parameter: 'quadPos', value: quadPos });
  return (quadPos as number[][]).map((p) => [p[0], p[1]]);
}

export function checkPositive(name: string, value: unknown, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ParameterError(`${name} must be a finite number ≥ 0, got ${String(value)}`, { parameter: name, value });
  }
  return value;
}

/** Pixel steps (slow scan, fast scan) in metres for `modulePixels`: the module's size is the real one. */
export function pixelSteps(modulePixels: [number, number]): [number, number] {
  return [ROW_STEP * REAL_MODULE_PIXELS[0] / modulePixels[0], PIXEL_SIZE * REAL_MODULE_PIXELS[1] / modulePixels[1]];
}

/** Tile vectors for quadrant q (0-based): data axes point along ±y (slow scan) and ±x (fast scan). */
export function tileVectors(q: number, modulePixels: [number, number]): { ssVec: Vec3; fsVec: Vec3 } {
  const [ss, fs] = pixelSteps(modulePixels);
  return { ssVec: [0, QUAD_Y_ORIENTATION[q] * ss, 0], fsVec: [QUAD_X_ORIENTATION[q] * fs, 0, 0] };
}

