/**
 * pyFAI 0.21 (Debian's, through /usr/bin/python3) as the reference of the
 * integrator tests: one Python run per geometry integrates an image under a
 * list of configurations and, for the tests that run before PoniGeometry is
 * available, dumps pyFAI's own per-pixel arrays (positions, χ, solid angle,
 * polarisation) so a stand-in geometry can serve them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../helpers/python.js';

export interface Poni {
  dist: number; poni1: number; poni2: number; rot1: number; rot2: number; rot3: number;
  pixel1: number; pixel2: number; wavelength?: number; shape: [number, number];
}

/** One integration to run in pyFAI (our option names; arrays are given to both sides). */
export interface PyConfig {
  kind: '1d' | '2d';
  npt: number;
  nptAzim?: number;
  unit?: string;
  split?: 'no' | 'bbox' | 'full';
  mask?: Uint8Array;
  dark?: Float64Array;
  flat?: Float64Array;
  variance?: Float64Array;
  dummy?: number;
  deltaDummy?: number;
  correctSolidAngle?: boolean;
  polarizationFactor?: number;
  normalizationFactor?: number;
  radialRange?: [number, number];
  azimuthRange?: [number, number];
  errorModel?: 'poisson' | 'azimuthal';
}

export interface PyResult {
  radial: number[]; azimuthal?: number[]; intensity: number[]; sigma: number[] | null; count: number[];
  sum_signal: number[]; sum_normalization: number[]; sum_variance: number[] | null;
}

const SCRIPT = String.raw`
import logging, os
logging.disable(logging.WARNING)
import pyFAI
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator
d = sys.argv[1]
spec = json.load(open(os.path.join(d, 'spec.json')))
g = spec['geometry']
ai = AzimuthalIntegrator(dist=g['dist'], poni1=g['poni1'], poni2=g['poni2'], rot1=g['rot1'], rot2=g['rot2'], rot3=g['rot3'],
                         pixel1=g['pixel1'], pixel2=g['pixel2'], wavelength=g.get('wavelength'))
shape = tuple(g['shape'])
img = np.fromfile(os.path.join(d, 'image.f64'), dtype=np.float64).reshape(shape).astype(spec.get('dtype', 'float64'))
def arr(name, dtype=np.float64):
    return None if name is None else np.fromfile(os.path.join(d, name), dtype=dtype).reshape(shape)
def L(a):
    return None if a is None else [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]
out = []
for c in spec['configs']:
    # 2D: pyFAI 0.21.3's 2D CSR matrices are built from uninitialised memory in some processes
    # (all zeros or stray counts, even single-threaded, more often without explicit ranges); its
    # histogram engines compute the same sums deterministically.
    engine = 'csr' if c['kind'] == '1d' else 'histogram'
    kw = dict(unit=c.get('unit', 'q_nm^-1'), method=(c.get('split', 'bbox'), engine, 'cython'),
              correctSolidAngle=c.get('correctSolidAngle', True), mask=arr(c.get('mask'), np.uint8),
              dark=arr(c.get('dark')), flat=arr(c.get('flat')), variance=arr(c.get('variance')),
              dummy=c.get('dummy'), delta_dummy=c.get('deltaDummy'), polarization_factor=c.get('polarizationFactor'),
              normalization_factor=c.get('normalizationFactor', 1.0), error_model=c.get('errorModel'))
    if c.get('radialRange'): kw['radial_range'] = tuple(c['radialRange'])
    if c.get('azimuthRange'): kw['azimuth_range'] = tuple(c['azimuthRange'])
    if c['kind'] == '1d':
        r = ai.integrate1d_ng(img, c['npt'], **kw)
        res = {'radial': L(r.radial)}
    else:
        r = ai.integrate2d_ng(img, c['npt'], c['nptAzim'], **kw)
        res = {'radial': L(r.radial), 'azimuthal': L(r.azimuthal)}
    res.update(intensity=L(r.intensity), sigma=L(r.sigma), count=L(r.count), sum_signal=L(r.sum_signal),
               sum_normalization=L(r.sum_normalization), sum_variance=L(r.sum_variance))
    out.append(res)
if spec.get('dumpUnits'):
    for u in spec['dumpUnits']:
        ai.array_from_unit(shape, 'center', u, scale=True).astype(np.float64).tofile(os.path.join(d, 'pos_' + u.replace('^', '') + '.f64'))
    ai.chiArray(shape).astype(np.float64).tofile(os.path.join(d, 'chi.f64'))
    ai.solidAngleArray(shape, absolute=False).astype(np.float64).tofile(os.path.join(d, 'sa.f64'))
    for f in spec.get('dumpPolarization', []):
        ai.polarization(shape, factor=f).astype(np.float64).tofile(os.path.join(d, 'pol_%g.f64' % f))
emit(out)
`;

/** Arrays pyFAI computed for the geometry (stand-in geometry for the early tests). */
export interface PyArrays { positions: Record<string, Float64Array>; chi: Float64Array; solidAngle: Float64Array; polarization: Record<string, Float64Array> }

function f64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Run every config on `image` in pyFAI; optionally dump per-pixel arrays. */
export async function pyfai(geometry: Poni, image: Float64Array, configs: PyConfig[], dump?: { units: string[]; polarization: number[] }, dtype = 'float64'): Promise<{ results: PyResult[]; arrays?: PyArrays }> {
  const dir = mkdtempSync(join(tmpdir(), 'azint-pyfai-'));
  try {
    writeFileSync(join(dir, 'image.f64'), new Uint8Array(image.buffer, image.byteOffset, image.byteLength));
    let n = 0;
    const file = (a: Float64Array | Uint8Array | undefined) => {
      if (!a) return undefined;
      const name = `a${n++}.bin`;
      writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return name;
    };
    const pyConfigs = configs.map((c) => ({ ...c, mask: file(c.mask), dark: file(c.dark), flat: file(c.flat), variance: file(c.variance) }));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ geometry, configs: pyConfigs, dtype, dumpUnits: dump?.units, dumpPolarization: dump?.polarization }));
    const results = await runPython<PyResult[]>(SCRIPT, [dir]);
    if (!dump) return { results };
    const positions: Record<string, Float64Array> = {};
    for (const u of dump.units) positions[u] = f64(join(dir, `pos_${u.replace('^', '')}.f64`));
    const polarization: Record<string, Float64Array> = {};
    for (const f of dump.polarization) polarization[String(f)] = f64(join(dir, `pol_${f}.f64`));
    return { results, arrays: { positions, chi: f64(join(dir, 'chi.f64')), solidAngle: f64(join(dir, 'sa.f64')), polarization } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest relative difference |a − b| / max(|b|, floor) over finite pairs; NaN/Inf must match exactly. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(a[i])) {
      if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  }
  return worst;
}
