/**
 * Detector → laboratory coordinates for a PONI geometry, as pyFAI 0.21: a
 * point at (p1, p2) on the detector relative to the PONI and p3 along the
 * beam (the distance plus the point's own height for non-flat detectors) is
 * rotated by rot1, rot2, rot3 into (t1, t2, t3) with t3 along the beam; then
 * 2θ = atan2(√(t1²+t2²), t3), χ = atan2(t1, t2) and r = √(t1²+t2²).
 * The formulas keep pyFAI's grouping so that results agree to rounding.
 */
import type { RadialSpace } from './units.js';
import { qFromTth } from './units.js';

/** The sines and cosines of the three rotations, and the latest transformed point. */
export class LabFrame {
  readonly s1: number; readonly c1: number;
  readonly s2: number; readonly c2: number;
  readonly s3: number; readonly c3: number;
  t1 = 0; t2 = 0; t3 = 0;

  constructor(rot1: number, rot2: number, rot3: number) {
    this.s1 = Math.sin(rot1); this.c1 = Math.cos(rot1);
    this.s2 = Math.sin(rot2); this.c2 = Math.cos(rot2);
    this.s3 = Math.sin(rot3); this.c3 = Math.cos(rot3);
  }

  /** Sets t1, t2, t3 (no allocation: called once per pixel or corner). */
  set(p1: number, p2: number, p3: number): void {
    const { s1, c1, s2, c2, s3, c3 } = this;
    this.t1 = p1 * c2 * c3 + p2 * (c3 * s1 * s2 - c1 * s3) - p3 * (c1 * c3 * s2 + s1 * s3);
    this.t2 = p1 * c2 * s3 + p2 * (c1 * c3 + s1 * s2 * s3) - p3 * (-(c3 * s1) + c1 * s2 * s3);
    this.t3 = p1 * s2 - p2 * c2 * s1 + p3 * c1 * c2;
  }

  /** The radial value of the current point in the base unit of `space`. */
  radial(space: RadialSpace, wavelength: number): number {
    const { t1, t2, t3 } = this;
    if (space === 'r') return Math.sqrt(t1 * t1 + t2 * t2);
    const tth = Math.atan2(Math.sqrt(t1 * t1 + t2 * t2), t3);
    return space === '2th' ? tth : qFromTth(tth, wavelength);
  }

  chi(): number {
    return Math.atan2(this.t1, this.t2);
  }
}

/** Per-pixel centre quantities: 2θ and χ in radians, r in metres. */
export interface CentreArrays {
  tth: Float64Array;
  chi: Float64Array;
  r: Float64Array;
}

/**
 * 2θ, χ and r of the pixel centres from their positions relative to the PONI
 * (`rel1`, `rel2`) and their heights `z` (null when flat).
 */
export function centreArrays(frame: LabFrame, dist: number, rel1: Float32Array, rel2: Float32Array, z: Float32Array | null): CentreArrays {
  const n = rel1.length;
  const tth = new Float64Array(n);
  const chi = new Float64Array(n);
  const r = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    frame.set(rel1[k], rel2[k], z === null ? dist : dist + z[k]);
    const { t1, t2, t3 } = frame;
    const rr = Math.sqrt(t1 * t1 + t2 * t2);
    r[k] = rr;
    tth[k] = Math.atan2(rr, t3);
    chi[k] = Math.atan2(t1, t2);
  }
  return { tth, chi, r };
}

/** Radial (base unit of `space`) and χ values of corner nodes, rounded to float32 as pyFAI's corner arrays are. */
export interface NodeValues {
  radial: Float32Array;
  chi: Float32Array;
}

export interface NodePositions {
  p1: Float64Array;
  p2: Float64Array;
  p3: Float32Array | null;
}

/** The radial and χ values of corner points given in absolute detector coordinates. */
export function nodeValues(frame: LabFrame, geo: { dist: number; poni1: number; poni2: number }, nodes: NodePositions,
  space: RadialSpace, wavelength: number): NodeValues {
  const { p1, p2, p3 } = nodes;
  const { dist, poni1, poni2 } = geo;
  const n = p1.length;
  const radial = new Float32Array(n);
  const chi = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    frame.set(p1[k] - poni1, p2[k] - poni2, p3 === null ? dist : dist + p3[k]);
    radial[k] = frame.radial(space, wavelength);
    chi[k] = frame.chi();
  }
  return { radial, chi };
}
