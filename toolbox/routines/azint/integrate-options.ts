/**
 * The options of integrate1d / integrate2d (pyFAI's keyword arguments,
 * camelCased) and their checking: unknown names, units, splits, error models,
 * npt and ranges are ToolBoxValueErrors naming the parameter and the value.
 */
import { ToolBoxValueError } from '../../errors.js';
import { optionNames } from '../../options.js';
import type { MaskInput, PixelArray } from './preprocess.js';
import type { IntegrationGeometry, RadialUnit, SplitMethod } from './types.js';

/** pyFAI's error models: variance = max(1, raw) ('poisson'), or the spread within each bin ('azimuthal'). */
export type ErrorModel = 'poisson' | 'azimuthal';

/** Options of integrate1d and integrate2d; defaults are pyFAI 0.21's integrate1d_ng / integrate2d_ng. */
export interface IntegrateOptions {
  /** Radial unit (default 'q_nm^-1', pyFAI's default). */
  unit?: RadialUnit;
  /** Pixel splitting (default 'bbox', pyFAI's CSR default). */
  split?: SplitMethod;
  /** Non-zero / true = excluded pixel; changes the default radial range, as in pyFAI. */
  mask?: MaskInput | null;
  /** Pixels whose raw value equals this (within deltaDummy) are invalid; empty bins get it. */
  dummy?: number | null;
  deltaDummy?: number | null;
  dark?: PixelArray | null;
  flat?: PixelArray | null;
  /** Per-pixel variance of the raw image (overrides errorModel). */
  variance?: PixelArray | null;
  /** Divide by the solid angle of each pixel (default true). */
  correctSolidAngle?: boolean;
  /** Polarisation factor in [−1, 1]; null/undefined for no correction (default). */
  polarizationFactor?: number | null;
  /** Scalar the normalisation is multiplied by (the result is divided by it; default 1). */
  normalizationFactor?: number;
  /** [min, max] in the radial unit (default: the data's range, pyFAI's rule). */
  radialRange?: [number, number] | null;
  /** [min, max] χ in degrees. */
  azimuthRange?: [number, number] | null;
  errorModel?: ErrorModel | null;
}

export const INTEGRATE_OPTION_NAMES = optionNames<IntegrateOptions>({
  unit: true, split: true, mask: true, dummy: true, deltaDummy: true, dark: true, flat: true, variance: true,
  correctSolidAngle: true, polarizationFactor: true, normalizationFactor: true, radialRange: true, azimuthRange: true, errorModel: true,
});

export const RADIAL_UNITS: readonly RadialUnit[] = ['q_nm^-1', 'q_A^-1', '2th_deg', '2th_rad', 'r_mm'];
const SPLITS: readonly SplitMethod[] = ['no', 'bbox', 'full'];
const ERROR_MODELS: readonly ErrorModel[] = ['poisson', 'azimuthal'];

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ToolBoxValueError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`, { val: value });
  }
  return value as T;
}

export function checkBins(name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ToolBoxValueError(`${name} must be a positive integer, got ${String(n)}`, { val: n });
  }
  return n;
}

function checkRange(name: string, r: unknown): [number, number] | undefined {
  if (r === undefined || r === null) return undefined;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(r[0] < r[1])) {
    throw new ToolBoxValueError(`${name} must be [min, max] with finite min < max, got ${JSON.stringify(r)}`, { val: r });
  }
  return [r[0], r[1]];
}

/** The checked, defaulted scalar options (arrays are checked against the geometry separately). */
export interface ResolvedOptions {
  unit: RadialUnit;
  split: SplitMethod;
  errorModel: ErrorModel | null;
  radialRange?: [number, number];
  azimuthRange?: [number, number];
  dummy: number | null;
  deltaDummy: number;
  correctSolidAngle: boolean;
  polarizationFactor: number | null;
  normalizationFactor: number;
}

export function resolveOptions(o: IntegrateOptions, geometry: IntegrationGeometry): ResolvedOptions {
  const unit = oneOf('unit', o.unit ?? 'q_nm^-1', RADIAL_UNITS);
  if (unit.startsWith('q_') && !(geometry.wavelength && geometry.wavelength > 0)) {
    throw new ToolBoxValueError(`unit '${unit}' needs the geometry's wavelength, which is ${String(geometry.wavelength)}`, { val: geometry.wavelength });
  }
  const pf = o.polarizationFactor ?? null;
  if (pf !== null && !(typeof pf === 'number' && pf >= -1 && pf <= 1)) {
    throw new ToolBoxValueError(`polarizationFactor must be in [-1, 1], got ${String(pf)}`, { val: pf });
  }
  const nf = o.normalizationFactor ?? 1;
  if (typeof nf !== 'number' || !Number.isFinite(nf) || nf === 0) {
    throw new ToolBoxValueError(`normalizationFactor must be a finite non-zero number, got ${String(nf)}`, { val: nf });
  }
  return {
    unit,
    split: oneOf('split', o.split ?? 'bbox', SPLITS),
    errorModel: o.errorModel === undefined || o.errorModel === null ? null : oneOf('errorModel', o.errorModel, ERROR_MODELS),
    radialRange: checkRange('radialRange', o.radialRange),
    azimuthRange: checkRange('azimuthRange', o.azimuthRange),
    dummy: o.dummy ?? null,
    deltaDummy: o.deltaDummy ?? 0,
    correctSolidAngle: o.correctSolidAngle ?? true,
    polarizationFactor: pf,
    normalizationFactor: nf,
  };
}
