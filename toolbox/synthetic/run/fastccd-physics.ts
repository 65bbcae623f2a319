/**
 * The per-pixel maps of the synthetic FastCCD run (fastccd-run.ts): dark
 * offset, gain and the unpumped ring. Tests use them to compute what the
 * binning must recover; they are not part of the synthetic subpath's API.
 */
import type { FastccdPhysics } from './fastccd-run.js';

/** Dark offset and gain per pixel, row-major. */
export function fastccdDarkAndGain(p: FastccdPhysics): { dark: Float64Array; gain: Float64Array } {
  const [ny, nx] = p.shape;
  const dark = new Float64Array(ny * nx), gain = new Float64Array(ny * nx);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      dark[i * nx + j] = p.darkLevel.mean + (p.darkLevel.amplitude * ((i * 7 + j * 13) % 17)) / 16;
      gain[i * nx + j] = 1 + p.gain.amplitude * Math.sin(i / 5) * Math.cos(j / 7);
    }
  }
  for (const [i, j] of p.mask.hotPixels) dark[i * nx + j] = p.darkLevel.hotValue;
  return { dark, gain };
}

/** The unpumped ring S per pixel at the run's mean pulse energy (gain-corrected units). */
export function fastccdRing(p: FastccdPhysics): Float64Array {
  const [ny, nx] = p.shape;
  const { center, radius, width, peak, background } = p.ring;
  const out = new Float64Array(ny * nx);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const r = Math.hypot(i - center[0], j - center[1]);
      out[i * nx + j] = peak * Math.exp(-((r - radius) ** 2) / (2 * width * width)) + background;
    }
  }
  return out;
}

