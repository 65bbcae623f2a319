/**
 * The shapes shared by the parts of the azimuthal-integration engine: the
 * geometry computes per-pixel positions, the CSR builder turns them into a
 * sparse matrix, the integrator multiplies frames by it. Units and their
 * meaning are pyFAI's (docs/azimuthal-integration.md).
 */

/** Radial units of integrate1d/integrate2d, spelled as pyFAI spells them. */
export type RadialUnit = 'q_nm^-1' | 'q_A^-1' | '2th_deg' | '2th_rad' | 'r_mm';
/** The azimuthal unit of integrate2d (χ in degrees, as pyFAI's `chi_deg`). */
export type AzimuthalUnit = 'chi_deg';
/** pyFAI's pixel splitting: whole pixel to its centre's bin, bounding box, exact polygon. */
export type SplitMethod = 'no' | 'bbox' | 'full';

/** Per-pixel positions of one geometry in one radial unit, row-major over `shape`. */
export interface PixelPositions {
  /** Detector shape [ny (slow, dim1), nx (fast, dim2)]. */
  shape: [number, number];
  unit: RadialUnit;
  /** Pixel-centre positions in `unit` (length ny·nx). */
  radial: Float64Array;
  /** Pixel-centre χ in radians, in (−π, π] (pyFAI's chiArray). */
  chi: Float64Array;
  /** Corners per pixel (4 for rectangular pixels, 6 for DSSC hexagons); 0 when corners were not asked for. */
  nCorners: number;
  /** Corner positions in `unit`, pixel-major (length ny·nx·nCorners), when asked for. */
  radialCorners?: Float64Array;
  /** Corner χ in radians, pixel-major, when asked for. */
  chiCorners?: Float64Array;
}

/** What one sparse matrix is built for (with the geometry and unit of its PixelPositions). */
export interface CsrSpec {
  /** Radial bins. */
  npt: number;
  /** Azimuthal bins for integrate2d; absent for integrate1d. */
  nptAzim?: number;
  split: SplitMethod;
  /** [min, max] in the radial unit; default pyFAI's (range of the unmasked pixels, extents included when splitting). */
  radialRange?: [number, number];
  /** [min, max] χ in degrees. */
  azimuthRange?: [number, number];
  /** Non-zero = masked pixel (length ny·nx). */
  mask?: Uint8Array;
}

/**
 * Bins × pixels weights: row r holds the pixels (indices) and fractions
 * (data) that bin r receives. 2D rows are azimuth-major: r = iAzim·npt + iRad,
 * as pyFAI's (npt_azim, npt_rad) intensity.
 */
export interface CsrMatrix {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  /** Radial bin centres in the unit (length npt). */
  radial: Float64Array;
  /** Azimuthal bin centres in degrees (length nptAzim), for 2D. */
  azimuthal?: Float64Array;
}

/**
 * What the integrator needs from a geometry (PoniGeometry provides it), so the
 * engine does not depend on how positions were obtained (PONI, per-pixel corners).
 */
export interface IntegrationGeometry {
  /** Detector shape [ny, nx]; images are row-major ny × nx. */
  readonly shape: [number, number];
  /** Metres; needed for q units. */
  readonly wavelength?: number;
  /** Positions in `unit` (cached by the geometry); corners when a splitting method needs them. */
  positions(unit: RadialUnit, options?: { corners?: boolean }): PixelPositions;
  /** pyFAI's solid-angle correction per pixel (1 at the PONI for an untilted detector). */
  solidAngle(): Float64Array;
  /** pyFAI's polarisation factor per pixel for the given factor in [−1, 1]. */
  polarization(factor: number): Float64Array;
  /** A string equal for equal geometries: part of the CSR cache key. */
  cacheKey(): string;
}
