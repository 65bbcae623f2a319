/**
 * Detector → laboratory coordinates for a PONI geometry, as pyFAI 0.21: a
 * point at (p1, p2) on the detector relative to the PONI and p3 along the
 * beam (the distance plus the point's own height for non-flat detectors) is
 * rotated by rot1, rot2, rot3 into (t1, t2, t3) with t3 along the beam; then
 * 2θ = atan2(√(t1²+t2²), t3), χ = atan2(t1, t2) and r = √(t1²+t2²).
 * The formulas keep pyFAI's grouping so that results agree to rounding.
 */
import type { CornerNodes } from './pixel-layout.js';
import type { RadialSpace } from './units.js';
import { qFromRt } from './units.js';

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
    const r = Math.sqrt(t1 * t1 + t2 * t2);
    if (space === 'r') return r;
    return space === '2th' ? Math.atan2(r, t3) : qFromRt(r, t3, wavelength);
  }

  chi(): number {
    return Math.atan2(this.t1, this.t2);
  }
}

/** Per-pixel centre quantities: χ in radians, r (distance from the beam) and t3 (along it) in metres; 2θ = atan2(r, t3). */
export interface CentreArrays {
  chi: Float64Array;
  r: Float64Array;
  t3: Float64Array;
}

/**
 * 2θ, χ and r of the pixel centres from their positions relative to the PONI
 * (`rel1`, `rel2`) and their heights `z` (null when flat).
 */
export function centreArrays(frame: LabFrame, dist: number, rel1: Float32Array, rel2: Float32Array, z: Float32Array | null): CentreArrays {
  const n = rel1.length;
  const chi = new Float64Array(n);
  const r = new Float64Array(n);
  const t3s = new Float64Array(n);
  const { s1, c1, s2, c2, s3, c3 } = frame;
  // pyFAI's grouping, with the per-pixel-constant factors taken out of the loop
  const a12 = c3 * s1 * s2 - c1 * s3, a13 = c1 * c3 * s2 + s1 * s3;
  const a22 = c1 * c3 + s1 * s2 * s3, a23 = -(c3 * s1) + c1 * s2 * s3;
  for (let k = 0; k < n; k++) {
    const p1 = rel1[k], p2 = rel2[k];
    const p3 = z === null ? dist : dist + z[k];
    const t1 = p1 * c2 * c3 + p2 * a12 - p3 * a13;
    const t2 = p1 * c2 * s3 + p2 * a22 - p3 * a23;
    const t3 = p1 * s2 - p2 * c2 * s1 + p3 * c1 * c2;
    r[k] = Math.sqrt(t1 * t1 + t2 * t2);
    t3s[k] = t3;
    chi[k] = Math.atan2(t1, t2);
  }
  return { chi, r, t3: t3s };
}

/** Radial (base unit of `space`) and χ values of corner nodes, rounded to float32 as pyFAI's corner arrays are. */
export interface NodeValues {
  radial: Float32Array;
  chi: Float32Array;
}

/** The radial and χ values of corner points given in absolute detector coordinates. */
export function nodeValues(frame: LabFrame, geo: { dist: number; poni1: number; poni2: number }, nodes: CornerNodes,
  space: RadialSpace, wavelength: number): NodeValues {
  const { dist, poni1, poni2 } = geo;
  if (nodes.kind === 'list') {
    const { p1, p2, p3 } = nodes;
    const radial = new Float32Array(p1.length);
    const chi = new Float32Array(p1.length);
    for (let k = 0; k < p1.length; k++) {
      frame.set(p1[k] - poni1, p2[k] - poni2, p3 === null ? dist : dist + p3[k]);
      radial[k] = frame.radial(space, wavelength);
      chi[k] = frame.chi();
    }
    return { radial, chi };
  }
  const { rows, cols } = nodes;
  const w = cols.length;
  const radial = new Float32Array(rows.length * w);
  const chi = new Float32Array(rows.length * w);
  for (let i = 0, k = 0; i < rows.length; i++) {
    const y = rows[i] - poni1;
    for (let j = 0; j < w; j++, k++) {
      frame.set(y, cols[j] - poni2, dist);
      radial[k] = frame.radial(space, wavelength);
      chi[k] = frame.chi();
    }
  }
  return { radial, chi };
}
