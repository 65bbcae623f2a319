/**
 * The detector physics of a synthetic BOZ run: three beams of an off-axis
 * zone plate (orders −1 'n', 0 '0', +1 'p') side by side on one DSSC module,
 * each with a known flat field (a plane per order), seen through a DSSC
 * pixel with a per-pixel, per-cell pedestal, read noise, a gain in ADU per
 * photon, Poisson photon noise, a smooth monotone non-linearity G of the
 * 9-bit response and saturation at 511. Every number a test checks is in
 * BozModel, which goes to truth.json (docs/boz.md, Data, dark and ROIs).
 */
import { ToolBoxValueError } from '../../errors.js';
import { ADC_LEVELS, MODULE_COLS, MODULE_PIXELS, MODULE_ROWS } from '../../routines/boz/types.js';
import type { Plane, Roi } from '../../routines/boz/types.js';
import { Random } from '../random.js';


export interface BozModel {
  /** 'n', '0', 'p' (the beams' flat tops, same size) and 'sat' (their bounding box: where saturation is checked). */
  rois: { n: Roi; '0': Roi; p: Roi; sat: Roi };
  peakPhotons: { n: number; '0': number; p: number };
  /**
   * The beam profile along each axis is a product of two logistic edges
   * 1/(1 + exp(−(u − edge)/edgeWidth)) crossing 1/2 at the ROI's pixel
   * boundaries, so a threshold at half the flat top finds the ROIs exactly.
   */
  edgeWidth: number;
  /**
   * 'flat' (default): the flat tops above. 'gaussian': exp(−(x − cx)²/(2σx²) − (y − cy)²/(2σy²))
   * with σ a quarter of the ROI's width and height (the ROI is the ±2σ box), so each frame spans
   * a range of raw values, which a non-linearity fit on ratios needs to tell responses apart.
   */
  profile: 'flat' | 'gaussian';
  /**
   * Flat field of 'n' and 'p' (1 for '0'): z = −(a·x + b·y + d)/c with x = column − (xl + xh − 1)/2 and
   * y = row − (yl + yh − 1)/2, pixel offsets from the ROI centre (x along the 512 columns). 'p' is 'n'
   * mirrored in x, as Python's default mirror symmetry assumes. The photons of a pixel are peakPhotons ·
   * profile · z, so dividing by z recovers the flat beam.
   */
  flatField: { n: Plane; p: Plane; positions: string };
  /** gain in ADU per photon; Python's `gain` (photons per ADU bin) is its inverse. */
  gain: { aduPerPhoton: number; photonsPerBin: number };
  /** Pedestal of pixel i in cell (frame) k: pedestal[i] + cellOffset[k] ADU, before the non-linearity. */
  dark: { mean: number; spread: number; readNoise: number; cellOffsets: number[]; pedestal: number[] };
  /** Pixels (row·512 + column) with a high, noisy pedestal (never inside ROI 'sat') and pixels that always read 0 (inside the beams). */
  badPixels: { hot: number[]; hotPedestal: number; hotNoise: number; dead: number[] };
  /**
   * The analog value s (pedestal + read noise + gain·photons, ADU) reads as
   * raw = clip(round(G(s)), 0, 511) with G(s) = s + amplitude·sin(π (s − lo)/(hi − lo)) for
   * lo < s < hi and G(s) = s elsewhere (`range` = [lo, hi], default [0, 512]): monotone
   * (|amplitude|·π < hi − lo). `F` is G⁻¹ at 0…511: the ideal lookup table nlFit recovers
   * (the identity outside (lo, hi), as nlLut's tables are).
   */
  nonLinearity: { formula: string; amplitude: number; range: [number, number]; G: number[]; F: number[]; saturation: number };
  /** Intensity fraction u of each X-ray pulse: uniform in [low, high]; the XGM records xgmUJ·u µJ. */
  intensity: { low: number; high: number; xgmUJ: number };
}

export interface BozModelOptions {
  /** ADU per photon (default 2, i.e. Python gain 0.5 photons per bin). */
  gain?: number;
  /** Amplitude of the non-linearity in ADU (default 8; 0 = a linear detector). */
  nonLinearity?: number;
  /** Analog range [lo, hi] (ADU) where the response deviates from the identity (default [0, 512]). */
  nonLinearityRange?: [number, number];
  /** Beam profile, 'flat' (default) or 'gaussian' (see BozModel.profile). */
  beamProfile?: 'flat' | 'gaussian';
  /** Photons per flat-top pixel of beam '0' at full intensity (default 230: the brightest pulses just saturate). */
  peakPhotons?: number;
  /** Columns of the 'n' beam's left edge, beam width, gap and rows (default 60, 80, 76, [39, 89)). */
  beams?: { left?: number; width?: number; gap?: number; rows?: [number, number] };
  /** Flat-field slopes of the 'n' beam per pixel along x (columns) and y (rows) (default 0.0019, 0.0012). */
  flatFieldSlopes?: [number, number];
  /** Intensity fraction range of the X-ray pulses (default [0.03, 1]). */
  intensity?: [number, number];
}

/** Photons of the beams relative to '0', the zone plate's first orders being weaker. */
const RELATIVE = { n: 0.85, '0': 1, p: 0.8 } as const;

export function makeBozModel(seed: number, frames: number, o: BozModelOptions = {}): BozModel {
  const gain = o.gain ?? 2;
  const amplitude = o.nonLinearity ?? 8;
  if (!(gain > 0)) throw new ToolBoxValueError(`BOZ run: gain must be > 0 ADU per photon, got ${gain}`);
  const range = o.nonLinearityRange ?? [0, 512];
  if (!(range.length === 2 && range[0] >= 0 && range[1] > range[0])) throw new ToolBoxValueError(`BOZ run: nonLinearityRange must be [lo, hi] with 0 <= lo < hi, got ${JSON.stringify(range)}`);
  if (!(Math.abs(amplitude) * Math.PI < range[1] - range[0])) throw new ToolBoxValueError(`BOZ run: non-linearity amplitude ${amplitude} makes G non-monotone (|A|·π must be < hi − lo = ${range[1] - range[0]})`);
  const profile = o.beamProfile ?? 'flat';
  if (profile !== 'flat' && profile !== 'gaussian') throw new ToolBoxValueError(`BOZ run: beamProfile must be 'flat' or 'gaussian', got ${String(profile)}`);
  const rois = beamRois(o.beams ?? {});
  const peak = o.peakPhotons ?? 230;
  const [gx, gy] = o.flatFieldSlopes ?? [0.0019, 0.0012];
  const [low, high] = o.intensity ?? [0.03, 1];
  if (!(low >= 0 && high > low)) throw new ToolBoxValueError(`BOZ run: intensity range must be 0 <= low < high, got [${low}, ${high}]`);
  const rng = new Random((seed ^ 0x5bd1e995) >>> 0);
  const pedestal = Array.from({ length: MODULE_PIXELS }, () => Math.round((40 + 3 * rng.normal()) * 1000) / 1000);
  const cellOffsets = Array.from({ length: frames }, () => Math.round((3 * rng.uniform() - 1.5) * 1000) / 1000);
  return {
    rois,
    peakPhotons: { n: peak * RELATIVE.n, '0': peak, p: peak * RELATIVE.p },
    edgeWidth: 0.3,
    profile,
    flatField: {
      n: [gx, gy, -1, 1], p: [-gx, gy, -1, 1],
      positions: 'x = column - (xl + xh - 1)/2, y = row - (yl + yh - 1)/2 (pixels from the ROI centre)',
    },
    gain: { aduPerPhoton: gain, photonsPerBin: 1 / gain },
    dark: { mean: 40, spread: 3, readNoise: 1.5, cellOffsets, pedestal },
    badPixels: { ...badPixels(rng, rois), hotPedestal: 150, hotNoise: 12 },
    nonLinearity: {
      formula: 'G(s) = s + amplitude * sin(pi * (s - lo) / (hi - lo)) for lo < s < hi, else s', amplitude, range: [range[0], range[1]],
      ...responseTables(amplitude, range), saturation: ADC_LEVELS - 1,
    },
    intensity: { low, high, xgmUJ: 1000 },
  };
}

function beamRois(b: NonNullable<BozModelOptions['beams']>): BozModel['rois'] {
  const left = b.left ?? 60, width = b.width ?? 80, gap = b.gap ?? 76;
  const [yl, yh] = b.rows ?? [39, 89];
  const roi = (i: number): Roi => ({ xl: left + i * (width + gap), xh: left + i * (width + gap) + width, yl, yh });
  const rois = { n: roi(0), '0': roi(1), p: roi(2), sat: { xl: left, xh: left + 3 * width + 2 * gap, yl, yh } };
  if (left < 0 || rois.sat.xh > MODULE_COLS || yl < 0 || yh > MODULE_ROWS || width < 4 || yh - yl < 4 || gap < 0) {
    throw new ToolBoxValueError(`BOZ run: beams ${JSON.stringify(rois)} do not fit a ${MODULE_ROWS}×${MODULE_COLS} module (each at least 4×4 pixels)`);
  }
  return rois;
}

/** 4 hot pixels outside ROI 'sat' and 3 dead ones, one in each beam. */
function badPixels(rng: Random, rois: BozModel['rois']): { hot: number[]; dead: number[] } {
  const inside = (r: Roi, p: number) => { const y = Math.floor(p / MODULE_COLS), x = p % MODULE_COLS; return y >= r.yl && y < r.yh && x >= r.xl && x < r.xh; };
  const pick = (r: Roi) => (r.yl + Math.floor(rng.uniform() * (r.yh - r.yl))) * MODULE_COLS + r.xl + Math.floor(rng.uniform() * (r.xh - r.xl));
  const hot: number[] = [];
  while (hot.length < 4) {
    const p = Math.floor(rng.uniform() * MODULE_PIXELS);
    if (!inside(rois.sat, p) && !hot.includes(p)) hot.push(p);
  }
  return { hot: hot.sort((a, b) => a - b), dead: [pick(rois.n), pick(rois['0']), pick(rois.p)].sort((a, b) => a - b) };
}

/** G(s) (BozModel.nonLinearity). */
export function response(amplitude: number, [lo, hi]: readonly [number, number], s: number): number {
  return s > lo && s < hi ? s + amplitude * Math.sin((Math.PI * (s - lo)) / (hi - lo)) : s;
}

/** G at 0…511 and its inverse F (bisection to 1e-10 ADU). */
function responseTables(amplitude: number, range: [number, number]): { G: number[]; F: number[] } {
  const G = Array.from({ length: ADC_LEVELS }, (_, v) => response(amplitude, range, v));
  const F = Array.from({ length: ADC_LEVELS }, (_, v) => {
    // G maps (lo, hi) onto itself: outside, F is exactly the identity
    if (v <= range[0] || v >= range[1]) return v;
    let lo = -64, hi = 576;
    while (hi - lo > 1e-10) { const mid = (lo + hi) / 2; if (response(amplitude, range, mid) < v) lo = mid; else hi = mid; }
    return (lo + hi) / 2;
  });
  return { G, F };
}

/** z of a plane at ROI-relative (x, y). */
export function planeValue(p: Plane, x: number, y: number): number {
  return -(p[0] * x + p[1] * y + p[3]) / p[2];
}

/** The expected photons of every pixel at intensity fraction 1 (beams × flat field), as (pixel, photons) pairs of the pixels near a beam; nBeam marks the 'n' beam's. */
export function beamWeights(m: BozModel): { pixels: Uint32Array; photons: Float64Array; nBeam: Uint8Array } {
  const pix: number[] = [], ph: number[] = [], isN: number[] = [];
  const logistic = (u: number) => 1 / (1 + Math.exp(-u / m.edgeWidth));
  for (const b of ['n', '0', 'p'] as const) {
    const r = m.rois[b];
    const cx = (r.xl + r.xh - 1) / 2, cy = (r.yl + r.yh - 1) / 2;
    for (let y = Math.max(0, r.yl - 3); y < Math.min(MODULE_ROWS, r.yh + 3); y++) {
      for (let x = Math.max(0, r.xl - 3); x < Math.min(MODULE_COLS, r.xh + 3); x++) {
        // pixel centres sit half a pixel inside the ROI's boundaries
        const prof = m.profile === 'gaussian'
          ? (Math.abs(x - cx) <= (r.xh - r.xl) / 2 && Math.abs(y - cy) <= (r.yh - r.yl) / 2
            ? Math.exp(-(8 * (x - cx) ** 2) / (r.xh - r.xl) ** 2 - (8 * (y - cy) ** 2) / (r.yh - r.yl) ** 2) : 0)
          : logistic(x + 0.5 - r.xl) * logistic(r.xh - x - 0.5) * logistic(y + 0.5 - r.yl) * logistic(r.yh - y - 0.5);
        const ff = b === '0' ? 1 : planeValue(m.flatField[b], x - cx, y - cy);
        pix.push(y * MODULE_COLS + x);
        ph.push(m.peakPhotons[b] * prof * ff);
        isN.push(b === 'n' ? 1 : 0);
      }
    }
  }
  return { pixels: Uint32Array.from(pix), photons: Float64Array.from(ph), nBeam: Uint8Array.from(isN) };
}

/** G tabulated every 1/16 ADU from −64 to 1024 ADU, linearly interpolated (error < 1e-6 ADU for |A| ≤ 16 and the default range; exact at the range's ends when they are multiples of 1/16). */
export class Response {
  readonly table: Float64Array;
  constructor(amplitude: number, range: readonly [number, number]) {
    this.table = Float64Array.from({ length: (1024 + 64) * 16 + 2 }, (_, i) => response(amplitude, range, i / 16 - 64));
  }

  /** raw = clip(round(G(s)), 0, 511). */
  raw(s: number): number {
    const t = this.table;
    let u = (s + 64) * 16;
    if (!(u > 0)) u = 0;
    else if (u > t.length - 2) u = t.length - 2;
    const i = u | 0;
    const g = t[i] + (u - i) * (t[i + 1] - t[i]);
    // round half up as Math.round, clipped to 9 bits
    return g < 0 ? 0 : g >= 510.5 ? 511 : (g + 0.5) | 0;
  }
}

/** 65536 standard normals: read noise drawn by one uniform each, fast enough for long runs of 65536-pixel frames. */
export function normalTable(seed: number): Float32Array {
  const rng = new Random((seed ^ 0x1b873593) >>> 0);
  return Float32Array.from({ length: 65536 }, () => rng.normal());
}
