/**
 * buildCsr: the sparse bins × pixels matrix of one geometry, unit, mask,
 * bin counts, ranges and splitting method, as pyFAI 0.21's CSR engines build
 * it (docs/azimuthal-integration.md, "CSR matrices"). Integrating a frame is
 * then a product of this matrix with per-pixel arrays.
 */
import { ToolBoxValueError } from '../../errors.js';
import { azimuthRadians, checkOverlap, checkSpec, cornerExtent, extent, makeAxis, type Axis } from './bins.js';
import { bbox1d, bbox2d, type BinInput } from './csr-bbox.js';
import { full1d, full2d, type FullInput } from './csr-full.js';
import type { CsrMatrix, CsrSpec, PixelPositions, RadialUnit } from './types.js';

/** pyFAI's scale from its internal unit (q in nm⁻¹, 2θ in rad, r in m) to each radial unit. */
export const UNIT_SCALE: Record<RadialUnit, number> = {
  'q_nm^-1': 1,
  'q_A^-1': 0.1,
  '2th_deg': 180 / Math.PI,
  '2th_rad': 1,
  r_mm: 1000,
};

function unitScale(unit: RadialUnit): number {
  const s = UNIT_SCALE[unit];
  if (s === undefined) throw new ToolBoxValueError(`unknown radial unit ${JSON.stringify(unit)}; known: ${Object.keys(UNIT_SCALE).join(', ')}`, { val: unit });
  return s;
}

/** Largest distance from the centre to a corner, per pixel (radial, divided by `scale`). */
function radialHalfWidths(pos: PixelPositions, scale: number): Float64Array {
  const n = pos.nCorners;
  const corners = pos.radialCorners as Float64Array;
  const out = new Float64Array(pos.radial.length);
  for (let i = 0; i < out.length; i++) {
    const c = pos.radial[i];
    let d = 0;
    for (let k = i * n; k < i * n + n; k++) d = Math.max(d, Math.abs(corners[k] - c));
    out[i] = d / scale;
  }
  return out;
}

/** Largest angular distance from the centre's χ to a corner's, taken across the ±π discontinuity. */
function chiHalfWidths(pos: PixelPositions): Float64Array {
  const n = pos.nCorners;
  const corners = pos.chiCorners as Float64Array;
  const twoPi = 2 * Math.PI;
  const out = new Float64Array(pos.chi.length);
  for (let i = 0; i < out.length; i++) {
    const c = pos.chi[i];
    let d = 0;
    for (let k = i * n; k < i * n + n; k++) {
      let a = Math.abs(corners[k] - c);
      // χ values lie in (−π, π], so a < 2π and one fold is enough; % only for anything else
      if (a >= twoPi) a %= twoPi;
      if (a > Math.PI) a = twoPi - a;
      if (a > d) d = a;
    }
    out[i] = d;
  }
  return out;
}

/** The radial axis: the requested range, else the unmasked pixels' extent; never below 0 (pyFAI forbids negative radii). */
function radialAxis(pos: PixelPositions, spec: CsrSpec, scale: number, dRadial?: Float64Array): Axis {
  let data: [number, number];
  if (spec.split === 'full') {
    data = cornerExtent(pos.radialCorners as Float64Array, pos.nCorners, spec.mask);
    data = [data[0] / scale, data[1] / scale];
  } else {
    data = extent(pos.radial, dRadial, spec.mask, scale);
  }
  data = [Math.max(0, data[0]), Math.max(0, data[1])];
  let [lo, hi] = data;
  if (spec.radialRange) {
    checkOverlap('radialRange', spec.radialRange, [data[0] * scale, data[1] * scale], pos.unit);
    [lo, hi] = [spec.radialRange[0] / scale, spec.radialRange[1] / scale];
  }
  return makeAxis(Math.max(0, lo), hi, spec.npt);
}

/** π rounded to float32: pyFAI clips default χ ranges with this constant. */
const PI32 = Math.fround(Math.PI);

/** χ extent (radians) of unmasked pixels; with splitting, clipped to [−π, π] (π in float32), as pyFAI's 2D engines clip it. */
function chiExtent(pos: PixelPositions, spec: CsrSpec, dChi?: Float64Array): [number, number] {
  const [lo, hi] = spec.split === 'full' ? cornerExtent(pos.chiCorners as Float64Array, pos.nCorners, spec.mask) : extent(pos.chi, dChi, spec.mask);
  if (spec.split === 'no') return [lo, hi];
  return [Math.max(-PI32, lo), Math.min(PI32, hi)];
}

/** The azimuth range in radians (pyFAI's normalisation), checked against the data's χ extent. */
function azimuthRange(pos: PixelPositions, spec: CsrSpec, dChi?: Float64Array): [number, number] | undefined {
  if (!spec.azimuthRange) return undefined;
  const range = azimuthRadians(spec.azimuthRange);
  const data = chiExtent(pos, spec, dChi);
  const deg = 180 / Math.PI;
  checkOverlap('azimuthRange', [range[0] * deg, range[1] * deg], [data[0] * deg, data[1] * deg], 'deg', spec.azimuthRange);
  return range;
}

/**
 * Builds the CSR matrix of `pos` for `spec`. 1D rows are radial bins; 2D rows
 * (spec.nptAzim set) are azimuth-major, row = iAzim·npt + iRad. Coefficients
 * are float32, as pyFAI stores them.
 */
export function buildCsr(pos: PixelPositions, spec: CsrSpec): CsrMatrix {
  checkSpec(pos, spec);
  const scale = unitScale(pos.unit);
  const twoD = spec.nptAzim !== undefined;
  if (spec.split === 'full') {
    const input: FullInput = { pos, scale, mask: spec.mask };
    const ax0 = radialAxis(pos, spec, scale);
    const azim = azimuthRange(pos, spec);
    if (!twoD) return full1d(input, ax0, azim);
    const chi = azim ?? chiExtent(pos, spec);
    return full2d(input, ax0, makeAxis(chi[0], chi[1], spec.nptAzim as number));
  }
  const split = spec.split === 'bbox';
  const dRadial = split ? radialHalfWidths(pos, scale) : undefined;
  const dChi = split && (twoD || spec.azimuthRange) ? chiHalfWidths(pos) : undefined;
  const input: BinInput = { size: pos.radial.length, radial: pos.radial, scale, chi: pos.chi, dRadial, dChi, mask: spec.mask };
  const ax0 = radialAxis(pos, spec, scale, dRadial);
  const azim = azimuthRange(pos, spec, dChi);
  if (!twoD) return bbox1d(input, ax0, azim);
  const chi = azim ?? chiExtent(pos, spec, dChi);
  return bbox2d(input, ax0, makeAxis(chi[0], chi[1], spec.nptAzim as number));
}
