/**
 * Per-pixel intensity corrections of a PONI geometry, as pyFAI 0.21 computes
 * them (docs/azimuthal-integration.md, Geometry): the solid angle relative to
 * that of a pixel at the PONI, cos³ of the incidence angle, and the
 * polarisation factor. A corrected intensity is the raw one divided by them.
 */
import { ParameterError } from '../../errors.js';
import { LabFrame } from './lab-frame.js';
import type { RelativeCentres } from './pixel-layout.js';

/**
 * Solid angle of flat detectors: the incidence angle α of a pixel satisfies
 * cos α = dist / √(dist² + ρ²), ρ its distance to the PONI in the detector
 * plane (the PONI is the foot of the perpendicular from the sample, so the
 * rotations do not enter).
 */
export function solidAngleFlat(dist: number, centres: RelativeCentres): Float64Array {
  const { rel1, rel2 } = centres;
  const out = new Float64Array(rel1.length);
  const d2 = dist * dist;
  for (let k = 0; k < out.length; k++) {
    const a = rel1[k];
    const b = rel2[k];
    const c = dist / Math.sqrt(d2 + (a * a + b * b));
    out[k] = c * c * c;
  }
  return out;
}

/** What the solid angle of a non-flat detector needs: pixel centres and corners, absolute, in metres. */
export interface NonFlatPixels {
  /** Centres as (z, dim1, dim2) per pixel. */
  centres: Float32Array;
  /** Corners as (z, dim1, dim2) per corner, nCorners per pixel. */
  corners: Float32Array;
  nCorners: number;
}

export interface PoniParams {
  dist: number; poni1: number; poni2: number; rot1: number; rot2: number; rot3: number;
}

/**
 * Solid angle of a non-flat detector (corners with heights), as pyFAI: cos α
 * is the scalar product of the unit vector sample → pixel centre with the
 * unit normal cross(C − A, D − B) of the first four corners, both in the
 * laboratory frame and taken as (z, y, x) vectors.
 */
export function solidAngleNonFlat(geo: PoniParams, pixels: NonFlatPixels): Float64Array {
  const frame = new LabFrame(geo.rot1, geo.rot2, geo.rot3);
  const n = pixels.centres.length / 3;
  const out = new Float64Array(n);
  const q = new Float64Array(12);
  const lab = (src: Float32Array, o: number, dst: number): void => {
    frame.set(src[o + 1] - geo.poni1, src[o + 2] - geo.poni2, src[o] + geo.dist);
    q[dst] = frame.t3; q[dst + 1] = frame.t1; q[dst + 2] = frame.t2;
  };
  for (let k = 0; k < n; k++) {
    lab(pixels.centres, 3 * k, 0);
    const len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
    const t0 = q[0] / len, t1 = q[1] / len, t2 = q[2] / len;
    const o = 3 * pixels.nCorners * k;
    for (let c = 0; c < 4; c++) lab(pixels.corners, o + 3 * c, 3 * c);
    // u = C − A, v = D − B; with A..D at q[0..2], q[3..5], q[6..8], q[9..11] after the loop
    const u0 = q[6] - q[0], u1 = q[7] - q[1], u2 = q[8] - q[2];
    const v0 = q[9] - q[3], v1 = q[10] - q[4], v2 = q[11] - q[5];
    const o0 = u1 * v2 - u2 * v1, o1 = u2 * v0 - u0 * v2, o2 = u0 * v1 - u1 * v0;
    const olen = Math.sqrt(o0 * o0 + o1 * o1 + o2 * o2);
    const c = t0 * (o0 / olen) + t1 * (o1 / olen) + t2 * (o2 / olen);
    out[k] = c * c * c;
  }
  return out;
}

/**
 * pyFAI's polarisation factor P = ½·(1 + cos²2θ − f·cos 2χ·(1 − cos²2θ)),
 * f = (Ih − Iv)/(Ih + Iv) in [−1, 1] (0: unpolarised; 1: horizontal, i.e.
 * along χ = 0), the polarisation axis along the detector's dim2 (pyFAI's
 * axis_offset 0). Rounded to float32 as pyFAI's array is.
 */
export function polarizationArray(tth: Float64Array, chi: Float64Array, factor: number): Float64Array {
  if (typeof factor !== 'number' || !(factor >= -1 && factor <= 1)) {
    throw new ParameterError(`PoniGeometry.polarization: factor must be a number in [-1, 1], got ${String(factor)}`, { parameter: 'factor', value: factor });
  }
  const out = new Float64Array(tth.length);
  for (let k = 0; k < out.length; k++) {
    const c = Math.cos(tth[k]);
    const cos2 = c * c;
    out[k] = Math.fround(0.5 * (1.0 + cos2 - factor * Math.cos(2.0 * (chi[k] + 0.0)) * (1.0 - cos2)));
  }
  return out;
}
