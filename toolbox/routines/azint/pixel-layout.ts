/**
 * Where the pixels of a detector are, before any PONI rotation: a regular
 * grid of pixel1 × pixel2 rectangles, or explicit per-pixel corners
 * (hexagons, distorted grids). Both reproduce pyFAI 0.21's arithmetic,
 * including where it works in single precision: pixel centres (and the
 * corners given per pixel) are float32 values, as pyFAI's detectors hold
 * them; that matters near the PONI, where a relative position is a small
 * difference of large numbers (docs/azimuthal-integration.md, Geometry).
 */

const f32 = Math.fround;

/** How the centre of a pixel given by its corners is placed (see CornerLayout). */
export type CornerCentres = 'bilinear' | 'mean';

/** Pixel centres relative to the PONI (metres, float32 values as pyFAI's) and heights above the detector plane. */
export interface RelativeCentres {
  rel1: Float32Array;
  rel2: Float32Array;
  /** Height along the beam of each centre; null for flat detectors. */
  z: Float32Array | null;
}

/**
 * Corner positions (metres, not relative to the PONI) of the distinct corner
 * points ("nodes"): given per node, or for a regular grid by rows and columns
 * (node k = i·(nx+1) + j at (rows[i], cols[j])), which saves building them.
 */
export type CornerNodes =
  | { kind: 'grid'; rows: Float64Array; cols: Float64Array }
  | { kind: 'list'; p1: Float64Array; p2: Float64Array; p3: Float32Array | null };

export interface PixelLayout {
  readonly shape: [number, number];
  readonly nCorners: number;
  /** True when all corners lie in the detector plane. */
  readonly flat: boolean;
  centres(poni1: number, poni2: number): RelativeCentres;
  nodes(): CornerNodes;
  /** Per-pixel corner values (pixel-major, nCorners each) from per-node values, times `scale`. */
  scatter(nodeValues: Float32Array, scale: number): Float64Array;
}

/** pyFAI's plain Detector: the centre of pixel (i, j) is at ((i+0.5)·pixel1, (j+0.5)·pixel2). */
export class RegularLayout implements PixelLayout {
  readonly nCorners = 4;
  readonly flat = true;

  constructor(readonly shape: [number, number], readonly pixel1: number, readonly pixel2: number) {}

  centres(poni1: number, poni2: number): RelativeCentres {
    const [ny, nx] = this.shape;
    const row = axisCentres(ny, this.pixel1, poni1);
    const col = axisCentres(nx, this.pixel2, poni2);
    const rel1 = new Float32Array(ny * nx);
    const rel2 = new Float32Array(ny * nx);
    for (let i = 0; i < ny; i++) {
      rel1.fill(row[i], i * nx, (i + 1) * nx);
      rel2.set(col, i * nx);
    }
    return { rel1, rel2, z: null };
  }

  /** The (ny+1) × (nx+1) grid of corners, in double precision as pyFAI computes corners. */
  nodes(): CornerNodes {
    const [ny, nx] = this.shape;
    const rows = new Float64Array(ny + 1);
    const cols = new Float64Array(nx + 1);
    for (let i = 0; i <= ny; i++) rows[i] = this.pixel1 * i;
    for (let j = 0; j <= nx; j++) cols[j] = this.pixel2 * j;
    return { kind: 'grid', rows, cols };
  }

  /** Corners in pyFAI's order: (i, j), (i+1, j), (i+1, j+1), (i, j+1). */
  scatter(nodeValues: Float32Array, scale: number): Float64Array {
    const [ny, nx] = this.shape;
    const w = nx + 1;
    const out = new Float64Array(ny * nx * 4);
    for (let i = 0, o = 0; i < ny; i++) {
      for (let j = 0, a = i * w; j < nx; j++, a++, o += 4) {
        out[o] = nodeValues[a] * scale;
        out[o + 1] = nodeValues[a + w] * scale;
        out[o + 2] = nodeValues[a + w + 1] * scale;
        out[o + 3] = nodeValues[a + 1] * scale;
      }
    }
    return out;
  }
}

/** Centres along one axis relative to the PONI: float32 products and differences, as numpy does them in pyFAI. */
function axisCentres(n: number, pixel: number, poni: number): Float32Array {
  const p = f32(pixel);
  const c = f32(poni);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f32(f32(p * (i + 0.5)) - c);
  return out;
}

/**
 * A detector described by its pixel corners, pyFAI's `set_pixel_corners`
 * layout: (ny, nx, nCorners, 3) with (z, dim1, dim2) per corner, stored in
 * float32 as pyFAI stores it. By default ('bilinear'), like pyFAI 0.21, a
 * pixel's centre is the bilinear middle of its first four corners,
 * (A+B+C+D)/4, whatever the number of corners: for hexagons that is a
 * quarter pitch off the hexagon's centre. 'mean' takes the mean of all
 * corners instead (the centre of a regular polygon).
 */
export class CornerLayout implements PixelLayout {
  readonly flat: boolean;

  private readonly middle: (corners: Float32Array, o: number) => number;

  constructor(readonly shape: [number, number], readonly nCorners: number, readonly corners: Float32Array, centres: CornerCentres = 'bilinear') {
    this.middle = centres === 'bilinear' ? middle : (c, o) => meanCorner(c, o, nCorners);
    let flat = true;
    for (let k = 0; k < corners.length && flat; k += 3) flat = corners[k] === 0;
    this.flat = flat;
  }

  centres(poni1: number, poni2: number): RelativeCentres {
    const n = this.shape[0] * this.shape[1];
    const { corners, nCorners } = this;
    const c1 = f32(poni1);
    const c2 = f32(poni2);
    const rel1 = new Float32Array(n);
    const rel2 = new Float32Array(n);
    const z = this.flat ? null : new Float32Array(n);
    const stride = nCorners * 3;
    const mid = this.middle;
    for (let k = 0, o = 0; k < n; k++, o += stride) {
      rel1[k] = f32(mid(corners, o + 1) - c1);
      rel2[k] = f32(mid(corners, o + 2) - c2);
      if (z !== null) z[k] = mid(corners, o);
    }
    return { rel1, rel2, z };
  }

  /** Absolute centres as (z, dim1, dim2) per pixel, float32 (what pyFAI's non-flat solid angle uses). */
  middles(): Float32Array {
    const n = this.shape[0] * this.shape[1];
    const out = new Float32Array(3 * n);
    const stride = this.nCorners * 3;
    for (let k = 0, o = 0; k < n; k++, o += stride) {
      out[3 * k] = this.middle(this.corners, o);
      out[3 * k + 1] = this.middle(this.corners, o + 1);
      out[3 * k + 2] = this.middle(this.corners, o + 2);
    }
    return out;
  }

  nodes(): CornerNodes {
    const m = this.corners.length / 3;
    const p1 = new Float64Array(m);
    const p2 = new Float64Array(m);
    const p3 = this.flat ? null : new Float32Array(m);
    for (let k = 0; k < m; k++) {
      p1[k] = this.corners[3 * k + 1];
      p2[k] = this.corners[3 * k + 2];
      if (p3 !== null) p3[k] = this.corners[3 * k];
    }
    return { kind: 'list', p1, p2, p3 };
  }

  scatter(nodeValues: Float32Array, scale: number): Float64Array {
    const out = new Float64Array(nodeValues.length);
    for (let k = 0; k < out.length; k++) out[k] = nodeValues[k] * scale;
    return out;
  }
}

/** pyFAI's bilinear interpolation at (0.5, 0.5) of corners A, B, C, D: a double sum of quarters rounded to float32. */
function middle(corners: Float32Array, o: number): number {
  return f32(corners[o] * 0.25 + corners[o + 3] * 0.25 + corners[o + 6] * 0.25 + corners[o + 9] * 0.25);
}

/** The mean of one coordinate over all corners of a pixel, rounded to float32 like the corners. */
function meanCorner(corners: Float32Array, o: number, nCorners: number): number {
  let sum = 0;
  for (let c = 0; c < nCorners; c++) sum += corners[o + 3 * c];
  return f32(sum / nCorners);
}
