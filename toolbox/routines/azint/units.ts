/**
 * The radial units of the azimuthal-integration engine, spelled and scaled as
 * pyFAI 0.21 does: each unit is a "space" (2θ, q or r) computed in SI
 * (radians, nm⁻¹, metres) and a scale factor applied afterwards, so values
 * agree with pyFAI's to rounding (docs/azimuthal-integration.md, Geometry).
 */
import { ParameterError } from '../../errors.js';
import type { RadialUnit } from './types.js';

/** The quantity a unit measures; pyFAI computes each in one SI-like base unit. */
export type RadialSpace = '2th' | 'q' | 'r';

export interface RadialUnitInfo {
  unit: RadialUnit;
  space: RadialSpace;
  /** Multiplies the base value (radians, nm⁻¹, metres) into the unit. */
  scale: number;
  /** Axis label, e.g. for a plot. */
  label: string;
  /** Whether the wavelength is needed. */
  needsWavelength: boolean;
}

const INFO: Record<RadialUnit, RadialUnitInfo> = {
  'q_nm^-1': { unit: 'q_nm^-1', space: 'q', scale: 1, label: 'q (nm⁻¹)', needsWavelength: true },
  'q_A^-1': { unit: 'q_A^-1', space: 'q', scale: 0.1, label: 'q (Å⁻¹)', needsWavelength: true },
  '2th_deg': { unit: '2th_deg', space: '2th', scale: 180 / Math.PI, label: '2θ (°)', needsWavelength: false },
  '2th_rad': { unit: '2th_rad', space: '2th', scale: 1, label: '2θ (rad)', needsWavelength: false },
  r_mm: { unit: 'r_mm', space: 'r', scale: 1000, label: 'r (mm)', needsWavelength: false },
};

/** The radial units, in the order error messages list them. */
export const RADIAL_UNITS: readonly RadialUnit[] = Object.freeze(Object.keys(INFO) as RadialUnit[]);

/** What `unit` means; a ParameterError naming `unit`, the value and the accepted ones otherwise. */
export function radialUnitInfo(unit: unknown, where = 'unit'): RadialUnitInfo {
  if (typeof unit === 'string' && Object.hasOwn(INFO, unit)) return INFO[unit as RadialUnit];
  const shown = typeof unit === 'string' ? `'${unit}'` : String(unit);
  throw new ParameterError(`${where}: unknown radial unit ${shown}; use one of ${RADIAL_UNITS.map((u) => `'${u}'`).join(', ')}`,
    { parameter: 'unit', value: unit, expected: RADIAL_UNITS });
}

/**
 * The scattering vector q = 4π·sin(θ)/λ in nm⁻¹ (λ in metres) of a point at
 * distance `r` from the beam and `t3` along it, without computing 2θ:
 * sin(θ) = r / √(2L(L + t3)) with L = √(r² + t3²), an identity free of
 * cancellation below 2θ = 180°. It saves an arctangent and a sine per pixel
 * and agrees with pyFAI's 4π·sin(2θ/2)/λ to a few units of the last digit.
 */
export function qFromRt(r: number, t3: number, wavelength: number): number {
  if (r === 0) return 0;
  const l = Math.sqrt(r * r + t3 * t3);
  return 4.0e-9 * Math.PI / wavelength * (r / Math.sqrt(2 * l * (l + t3)));
}
