/**
 * Azimuthal integration of binned FastCCD images with the toolbox's ring
 * integrator (docs/azimuthal-integration.md, toolbox integrators): rings of
 * `dr` pixels around `center` [row, column], mean of the valid pixels in the
 * wedge `angleRange` (degrees, modulo 180°), per scan bin, pumped and unpumped.
 * The radial axis is delta_q (1/nm) = 2π·sin(atan(r·pixel/distance))/λ · 1e-9.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ParameterError } from '../../errors.js';
import { AzimuthalIntegrator } from '../../routines/azint/toolbox-integrators.js';
import { applyMask } from './pixel-maps.js';

/** The FastCCD's pixel pitch (m). */
export const FASTCCD_PIXEL_SIZE = 30e-6;
export const DELTA_Q = 'delta_q (1/nm)';

export interface AzimuthalSetup {
  wl: number;
  center: [number, number];
  angleRange: [number, number];
  dr: number;
  /** Sample–detector distance (m). */
  distance: number;
  mask: Float64Array | null;
}

/** delta_q (1/nm) of ring radii `r` (pixels). */
export function deltaQ(r: ArrayLike<number>, distance: number, wl: number): Float64Array {
  return Float64Array.from(r, (v) => (2e-9 * Math.PI * Math.sin(Math.atan((v * FASTCCD_PIXEL_SIZE) / distance))) / wl);
}

export function checkWavelength(wl: unknown): number {
  if (typeof wl !== 'number' || !Number.isFinite(wl) || wl <= 0 || wl > 1e-6) {
    throw new ParameterError(`azimuthalInt: wl is the photon wavelength in metres (e.g. 1.59e-9 at 780 eV), got ${String(wl)}`, { parameter: 'wl', value: wl });
  }
  return wl;
}

/** Ring profiles of `binned` pumped and unpumped (scan_variable, x, y) → (scan_variable, delta_q (1/nm)). */
export function integrateBinned(binned: Dataset, s: AzimuthalSetup): Dataset {
  const pumped = binned.get('pumped');
  const [, ny, nx] = pumped.shape;
  const ai = new AzimuthalIntegrator([ny, nx], s.center, s.angleRange, { aspect: 1, dr: s.dr, pixelSize: FASTCCD_PIXEL_SIZE });
  const q = deltaQ(ai.distance, s.distance, s.wl);
  const scan = binned.get('scan_variable');
  const profile = (name: string): DataArray => {
    const v = binned.get(name).transpose('scan_variable', 'x', 'y');
    const values = s.mask ? applyMask(v.values as ArrayLike<number>, s.mask) : Float64Array.from(v.values as ArrayLike<number>);
    const r = ai.integrate(new DataArray(values, { dims: ['scan_variable', 'x', 'y'], shape: [v.shape[0], ny, nx] }));
    return new DataArray(r.values, { dims: ['scan_variable', DELTA_Q], shape: [v.shape[0], q.length] });
  };
  return new Dataset({ pumped: profile('pumped'), unpumped: profile('unpumped') }, {
    coords: { scan_variable: ['scan_variable', scan.values], [DELTA_Q]: [DELTA_Q, q], r: [DELTA_Q, ai.distance], npixels: [DELTA_Q, ai.npixels] },
    attrs: { wl: s.wl, center: `${s.center[0]} ${s.center[1]}`, angle_range: `${s.angleRange[0]} ${s.angleRange[1]}`, dr: s.dr, distance: s.distance, mask: s.mask ? 1 : 0 },
  });
}
