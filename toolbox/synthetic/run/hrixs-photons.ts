/**
 * The photons of the synthetic hRIXS runs: spots on curved spectral lines,
 * drawn once per run (they are the truth), and the camera frames rendered
 * from them one at a time (so a run of thousands of 2048 × 2048 frames is
 * written with one frame in memory). Coordinates: pixel (x, y) has its
 * centre at (x, y); x runs along the lines, y is the energy axis; a photon
 * of corrected (energy) position c at x lands at y = c + CURVE_A·x + CURVE_B·x²
 * (docs/hrixs.md, The synthetic run).
 */
import { erf } from '../../routines/fit/special.js';
import { Random } from '../random.js';

/** One peak of the emitted spectrum, in corrected pixels along y. */
export interface HrixsPeak { position: number; sigma: number; weight: number }

/** What shapes the frames (all in pixels and ADU). */
export interface HrixsFrameModel {
  nx: number;
  ny: number;
  curveA: number;
  curveB: number;
  peaks: HrixsPeak[];
  /** Mean charge of one photon (ADU) = incident energy × ADU per eV. */
  photonAdu: number;
  /** Relative spread of a photon's charge. */
  chargeJitter: number;
  /** Standard deviation of the Gaussian charge cloud (pixels). */
  cloudSigma: number;
  darkLevel: number;
  /** Amplitude of the fixed per-pixel pattern of the dark (uniform in ±darkPattern). */
  darkPattern: number;
  /** Read noise per pixel and frame (ADU, Gaussian). */
  noise: number;
  /** Spots of one frame are at least this far apart (pixels), so every spot is one hit. */
  minSeparation: number;
  /** Spots keep this distance from the frame's edges. */
  margin: number;
}

/** The spots of one frame: centre (x, y), photons (1 single, 2 double), corrected position c. */
export interface FrameSpots { x: number[]; y: number[]; c: number[]; n: number[] }

export const parabolaOf = (m: HrixsFrameModel, x: number): number => (m.curveB * x + m.curveA) * x;

function drawCorrected(m: HrixsFrameModel, rng: Random): number {
  const total = m.peaks.reduce((s, p) => s + p.weight, 0);
  let u = rng.uniform() * total;
  for (const p of m.peaks) {
    if ((u -= p.weight) <= 0) return p.position + p.sigma * rng.normal();
  }
  const last = m.peaks[m.peaks.length - 1];
  return last.position + last.sigma * rng.normal();
}

/** `spots` spots for one frame, `doubles` of them double hits; positions redrawn until inside and apart. */
export function drawSpots(m: HrixsFrameModel, spots: number, doubleFraction: number, rng: Random): FrameSpots {
  const out: FrameSpots = { x: [], y: [], c: [], n: [] };
  const sep2 = m.minSeparation * m.minSeparation;
  for (let k = 0, tries = 0; k < spots && tries < spots * 1000; tries++) {
    const x = m.margin + rng.uniform() * (m.nx - 1 - 2 * m.margin);
    const c = drawCorrected(m, rng);
    const y = c + parabolaOf(m, x);
    if (y < m.margin || y > m.ny - 1 - m.margin) continue;
    let near = false;
    for (let i = 0; i < out.x.length && !near; i++) near = (out.x[i] - x) ** 2 + (out.y[i] - y) ** 2 < sep2;
    if (near) continue;
    out.x.push(x); out.y.push(y); out.c.push(c); out.n.push(rng.uniform() < doubleFraction ? 2 : 1);
    k++;
  }
  return out;
}

/** The fixed pattern of the dark, per pixel (the same for the dark and the data runs of a seed). */
export function darkPattern(m: HrixsFrameModel, seed: number): Float32Array {
  const rng = new Random((seed * 7919 + 13) >>> 0);
  const p = new Float32Array(m.nx * m.ny);
  for (let i = 0; i < p.length; i++) p[i] = m.darkLevel + m.darkPattern * (2 * rng.uniform() - 1);
  return p;
}

/** A table of Gaussian read-noise values; each frame walks it with its own offset and odd stride. */
export function noiseTable(m: HrixsFrameModel, seed: number): Float32Array {
  const rng = new Random((seed * 104729 + 7) >>> 0);
  return Float32Array.from({ length: 1 << 16 }, () => m.noise * rng.normal());
}

const cell = (lo: number, hi: number, s: number) => 0.5 * (erf(hi / (Math.SQRT2 * s)) - erf(lo / (Math.SQRT2 * s)));

/** Render one frame: dark pattern + read noise, rounded, plus each photon's charge spread over 5 × 5 pixels. */
export function renderFrame(
  m: HrixsFrameModel, spots: FrameSpots, pattern: Float32Array, noise: Float32Array, rng: Random, out: Uint16Array | Float64Array,
): void {
  const mask = noise.length - 1;
  let at = Math.floor(rng.uniform() * noise.length);
  const stride = 2 * Math.floor(rng.uniform() * 4096) + 1;
  for (let p = 0; p < pattern.length; p++) {
    out[p] = Math.round(pattern[p] + noise[at & mask]);
    at += stride;
  }
  for (let k = 0; k < spots.x.length; k++) {
    const q = spots.n[k] * m.photonAdu * (1 + m.chargeJitter * rng.normal() / Math.sqrt(spots.n[k]));
    const cx = Math.round(spots.x[k]), cy = Math.round(spots.y[k]);
    for (let i = cx - 2; i <= cx + 2; i++) {
      const fx = cell(i - 0.5 - spots.x[k], i + 0.5 - spots.x[k], m.cloudSigma);
      for (let j = cy - 2; j <= cy + 2; j++) {
        const v = out[i * m.ny + j] + Math.round(q * fx * cell(j - 0.5 - spots.y[k], j + 0.5 - spots.y[k], m.cloudSigma));
        out[i * m.ny + j] = Math.min(65535, Math.max(0, v));
      }
    }
  }
}
