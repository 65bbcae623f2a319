/**
 * Beam-centre refinement on a ring pattern: the ring's peak radius is found
 * in azimuthal sectors around the current centre, each sector gives a point
 * on the ring, and a least-squares circle through those points gives the new
 * centre; repeated until the centre moves less than `tolerance`. The circle
 * fit is the algebraic (Kåsa) one: linear least squares, closed form, no
 * library needed.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { DSSC_1MGeometry } from '../../detectors/dssc/geometry.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { checkCentreInside, moduleStack } from './toolbox-integrators.js';

export interface RefineCenterOptions {
  /** Starting beam centre (x, y) in metres (default [0, 0]). */
  initial?: [number, number];
  /** Radii (m) where the ring is looked for (default: the whole detector). */
  radiusRange?: [number, number];
  /** Azimuthal sectors (default 24). */
  nSectors?: number;
  /** Radial bin width (m) of the sector profiles (default a quarter of the fast-scan step). */
  binWidth?: number;
  /** Iterations at most (default 20). */
  maxIterations?: number;
  /** Stop when the centre moves less than this (m, default 1/100 of the fast-scan step). */
  tolerance?: number;
}

export interface RefineCenterResult {
  /** Refined beam centre (x, y) in metres: the `dxdy` of AzimuthalIntegratorDSSC. */
  center: [number, number];
  /** Ring radius (m) of the fitted circle. */
  radius: number;
  /** RMS distance (m) of the sector points from the circle. */
  rms: number;
  /** Sectors that gave a point in the last iteration. */
  sectors: number;
  iterations: number;
  converged: boolean;
  /** The last iteration's points on the ring (x, y in metres). */
  points: [number, number][];
}

const OPTIONS = optionNames<RefineCenterOptions>({ initial: true, radiusRange: true, nSectors: true, binWidth: true, maxIterations: true, tolerance: true });

/** Closed-form least-squares circle through points: minimises Σ(x² + y² + Dx + Ey + F)². */
export function fitCircle(points: readonly [number, number][]): { center: [number, number]; radius: number; rms: number } {
  if (points.length < 3) throw new ToolBoxValueError(`a circle needs at least 3 points, got ${points.length}`);
  // Centred coordinates keep the normal equations well conditioned.
  const mx = points.reduce((a, p) => a + p[0], 0) / points.length;
  const my = points.reduce((a, p) => a + p[1], 0) / points.length;
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const b = [0, 0, 0];
  for (const [px, py] of points) {
    const x = px - mx;
    const y = py - my;
    const row = [x, y, 1];
    const z = -(x * x + y * y);
    for (let i = 0; i < 3; i++) {
      b[i] += row[i] * z;
      for (let j = 0; j < 3; j++) A[i][j] += row[i] * row[j];
    }
  }
  const [D, E, F] = solve3(A, b);
  const cx = -D / 2;
  const cy = -E / 2;
  const radius = Math.sqrt(cx * cx + cy * cy - F);
  const rms = Math.sqrt(points.reduce((a, [px, py]) => a + (Math.hypot(px - mx - cx, py - my - cy) - radius) ** 2, 0) / points.length);
  return { center: [cx + mx, cy + my], radius, rms };
}

/** Cramer's rule for a 3×3 system. */
function solve3(A: number[][], b: number[]): [number, number, number] {
  const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(A);
  if (!(Math.abs(d) > 0)) throw new ToolBoxValueError('the ring points are collinear: no circle fits them');
  const col = (k: number) => det(A.map((row, i) => row.map((v, j) => (j === k ? b[i] : v))));
  return [col(0) / d, col(1) / d, col(2) / d];
}

interface SectorProfiles { sum: Float64Array; count: Float64Array; phi: Float64Array; nBins: number }

/** Mean intensity per (sector, radial bin) around centre c, and the summed angle of the pixels in each. */
function sectorProfiles(values: ArrayLike<number>, pos: Float64Array, c: [number, number], rr: [number, number], bw: number, nS: number): SectorProfiles {
  const nBins = Math.max(1, Math.ceil((rr[1] - rr[0]) / bw));
  const sum = new Float64Array(nS * nBins);
  const count = new Float64Array(nS * nBins);
  const phi = new Float64Array(nS * nBins);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) continue;
    const x = pos[3 * i] - c[0];
    const y = pos[3 * i + 1] - c[1];
    const r = Math.hypot(x, y);
    if (r < rr[0] || r >= rr[1]) continue;
    const a = Math.atan2(y, x);
    const s = Math.min(nS - 1, Math.floor((a + Math.PI) / (2 * Math.PI) * nS));
    const k = s * nBins + Math.min(nBins - 1, Math.floor((r - rr[0]) / bw));
    sum[k] += v;
    count[k]++;
    phi[k] += a;
  }
  return { sum, count, phi, nBins };
}

/**
 * The ring's point in sector s: the centroid radius of the bins above half
 * the peak (over the sector's minimum) around the maximum, at the mean angle
 * of their pixels; null when the sector has too little data or the peak is
 * at the edge of the search range.
 */
function sectorPoint(p: SectorProfiles, s: number, c: [number, number], r0: number, bw: number): [number, number] | null {
  const o = s * p.nBins;
  const mean = (k: number) => (p.count[o + k] > 0 ? p.sum[o + k] / p.count[o + k] : NaN);
  let [kMax, vMax, vMin, filled] = [-1, -Infinity, Infinity, 0];
  for (let k = 0; k < p.nBins; k++) {
    const v = mean(k);
    if (Number.isNaN(v)) continue;
    filled++;
    if (v > vMax) [kMax, vMax] = [k, v];
    if (v < vMin) vMin = v;
  }
  if (filled < 0.5 * p.nBins || kMax <= 0 || kMax >= p.nBins - 1 || !(vMax > vMin)) return null;
  const half = vMin + 0.5 * (vMax - vMin);
  let [lo, hi] = [kMax, kMax];
  while (lo > 0 && !(mean(lo - 1) < half)) lo--;
  while (hi < p.nBins - 1 && !(mean(hi + 1) < half)) hi++;
  let [w, wr, n, a] = [0, 0, 0, 0];
  for (let k = lo; k <= hi; k++) {
    const v = mean(k);
    if (Number.isNaN(v)) continue;
    w += v - half;
    wr += (v - half) * (r0 + (k + 0.5) * bw);
    n += p.count[o + k];
    a += p.phi[o + k];
  }
  if (!(w > 0) || n === 0) return null;
  const r = wr / w;
  const phi = a / n;
  return [c[0] + r * Math.cos(phi), c[1] + r * Math.sin(phi)];
}

function checkNumberPair(name: string, v: unknown, dflt: [number, number]): [number, number] {
  if (v === undefined) return dflt;
  const ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && !Number.isNaN(x));
  if (!ok) throw new ParameterError(`${name} must be two numbers, got ${JSON.stringify(v)}`, { parameter: name, value: v });
  return [v[0], v[1]];
}

function checkPositive(name: string, v: unknown, dflt: number, integer = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new ParameterError(`${name} must be a ${integer ? 'positive integer' : 'number > 0'}, got ${String(v)}`, { parameter: name, value: v });
  }
  return v;
}

function frameValues(input: DataArray | ArrayLike<number>, geom: DSSC_1MGeometry): ArrayLike<number> {
  const image = moduleStack(input);
  const shape = geom.expectedDataShape;
  const size = shape[0] * shape[1] * shape[2];
  const len = image instanceof DataArray ? image.size : (image as ArrayLike<number>)?.length;
  if (len !== size || (image instanceof DataArray && image.shape.join() !== shape.join())) {
    const got = image instanceof DataArray ? `shape (${image.shape.join(', ')})` : `${String(len)} values`;
    throw new ParameterError(`image must be one module stack of the geometry's shape (${shape.join(', ')}), got ${got}`, { parameter: 'image', value: len });
  }
  return (image instanceof DataArray ? image.values : image) as ArrayLike<number>;
}

/**
 * Refine the beam centre (x, y, metres) that makes a ring of `image` (one
 * (16, ss, fs) module stack; a DataArray's `module` dim is put in order as
 * AzimuthalIntegratorDSSC does) circular through `geom`.
 */
export function refineCenter(image: DataArray | ArrayLike<number>, geom: DSSC_1MGeometry, options: RefineCenterOptions = {}): RefineCenterResult {
  options = checkOptions('refineCenter', options, OPTIONS);
  if (!(geom instanceof DSSC_1MGeometry)) throw new ParameterError('geom must be a DSSC_1MGeometry', { parameter: 'geom', value: typeof geom });
  const values = frameValues(image, geom);
  const pos = geom.getPixelPositions();
  let c = checkNumberPair('initial', options.initial, [0, 0]);
  checkCentreInside(c, pos);
  const rr = checkNumberPair('radiusRange', options.radiusRange, [0, 1]);
  if (!(rr[0] >= 0 && rr[1] > rr[0])) throw new ParameterError(`radiusRange must be [min, max] metres with 0 ≤ min < max, got ${JSON.stringify(rr)}`, { parameter: 'radiusRange', value: rr });
  const nS = checkPositive('nSectors', options.nSectors, 24, true);
  const bw = checkPositive('binWidth', options.binWidth, geom.pixelSteps[1] / 4);
  const maxIt = checkPositive('maxIterations', options.maxIterations, 20, true);
  const tol = checkPositive('tolerance', options.tolerance, geom.pixelSteps[1] / 100);
  let last: RefineCenterResult | null = null;
  for (let it = 1; it <= maxIt; it++) {
    const prof = sectorProfiles(values, pos, c, rr, bw, nS);
    const points: [number, number][] = [];
    for (let s = 0; s < nS; s++) {
      const p = sectorPoint(prof, s, c, rr[0], bw);
      if (p) points.push(p);
    }
    if (points.length < 3) {
      throw new ToolBoxValueError(`refineCenter: only ${points.length} of ${nS} sectors show a ring peak inside radiusRange [${rr[0]}, ${rr[1]}] m around (${c[0]}, ${c[1]}); give radiusRange around the ring and an initial centre closer to it`);
    }
    const fit = fitCircle(points);
    const moved = Math.hypot(fit.center[0] - c[0], fit.center[1] - c[1]);
    c = fit.center;
    last = { center: c, radius: fit.radius, rms: fit.rms, sectors: points.length, iterations: it, converged: moved < tol, points };
    if (moved < tol) break;
  }
  return last as RefineCenterResult;
}
