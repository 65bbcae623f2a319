/**
 * Debian's pyFAI 0.21 as the reference for the geometry tests: builds the same
 * geometry in pyFAI (a generic Detector, or one with per-pixel corners) and
 * returns its arrays, exchanged as raw little-endian files so that no digit
 * is lost.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { requirePython, runPython } from '../helpers/python.js';

export const UNITS = ['q_nm^-1', 'q_A^-1', '2th_deg', '2th_rad', 'r_mm'] as const;

export interface GeometrySpec {
  dist: number; poni1: number; poni2: number; rot1?: number; rot2?: number; rot3?: number;
  pixel1: number; pixel2: number; wavelength?: number; shape: [number, number];
  corners?: Float32Array; nCorners?: number;
}

/** pyFAI's arrays for one geometry: per unit centres (scaled) and corners (SI, float32 values), χ, solid angle, polarisation. */
export interface PyFaiArrays {
  centre: Record<string, Float64Array>;
  corner: Record<string, Float64Array>;
  cornerChi: Float64Array;
  chi: Float64Array;
  tth: Float64Array;
  solidAngle: Float64Array;
  polarization: Float64Array;
}

let pyfai: Promise<string | null> | undefined;

/** Skips (or, under CI, fails) when python3 or its pyFAI is missing. */
export async function requirePyFai(ctx: Context): Promise<void> {
  await requirePython(ctx);
  pyfai ??= runPython<string>('import pyFAI\nemit(pyFAI.version)').then(() => null).catch((err: Error) => err.message);
  const problem = await pyfai;
  if (!problem) return;
  if (process.env.CI) throw new Error(`pyFAI is required when CI is set: ${problem}`);
  console.log(`      (skipping pyFAI tests: ${problem})`);
  ctx.skip();
}

export const PYFAI_SETUP = String.raw`
import pyFAI, pyFAI.detectors
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator
def make_ai(p, folder):
    shape = tuple(p['shape'])
    det = pyFAI.detectors.Detector(pixel1=p['pixel1'], pixel2=p['pixel2'], max_shape=shape)
    if p.get('nCorners'):
        c = np.fromfile(folder + '/corners.bin', dtype='<f4').reshape(shape + (p['nCorners'], 3))
        det.set_pixel_corners(c)
    return AzimuthalIntegrator(dist=p['dist'], poni1=p['poni1'], poni2=p['poni2'], rot1=p.get('rot1', 0), rot2=p.get('rot2', 0),
                               rot3=p.get('rot3', 0), detector=det, wavelength=p.get('wavelength'))
`;

const SCRIPT = PYFAI_SETUP + String.raw`
p = json.loads(sys.argv[1]); folder = sys.argv[2]; factor = float(sys.argv[3])
ai = make_ai(p, folder)
shape = tuple(p['shape'])
def save(name, a):
    np.ascontiguousarray(a, dtype='<f8').tofile(folder + '/' + name + '.bin')
# centres first: pyFAI caches them, and a corner array computed before would change how a plain detector's centres are computed
save('tth', ai.twoThetaArray(shape))
save('chi', ai.chiArray(shape))
units = ${JSON.stringify(UNITS)}
for i, u in enumerate(units):
    if u.startswith('q') and not p.get('wavelength'):
        continue
    save('c%d' % i, ai.array_from_unit(shape, 'center', u, scale=True))
for i, u in enumerate(units):
    if u.startswith('q') and not p.get('wavelength'):
        continue
    k = ai.corner_array(shape, unit=u, scale=False)
    save('k%d' % i, k[..., 0])
    save('kchi', k[..., 1])
save('sa', ai.solidAngleArray(shape))
save('pol', ai.polarization(shape, factor))
emit('ok')
`;

/** Runs pyFAI on `spec`; polarisation with `factor`. */
export async function pyFaiArrays(spec: GeometrySpec, factor = 0.95): Promise<PyFaiArrays> {
  const folder = mkdtempSync(join(tmpdir(), 'scs-azint-geo-'));
  try {
    const { corners, ...params } = spec;
    if (corners) writeFileSync(join(folder, 'corners.bin'), new Uint8Array(corners.buffer, corners.byteOffset, corners.byteLength));
    await runPython(SCRIPT, [JSON.stringify(params), folder, String(factor)]);
    const read = (name: string): Float64Array => {
      const b = readFileSync(join(folder, `${name}.bin`));
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    const centre: Record<string, Float64Array> = {};
    const corner: Record<string, Float64Array> = {};
    UNITS.forEach((u, i) => {
      if (u.startsWith('q') && spec.wavelength === undefined) return;
      centre[u] = read(`c${i}`);
      corner[u] = read(`k${i}`);
    });
    return { centre, corner, cornerChi: read('kchi'), chi: read('chi'), tth: read('tth'), solidAngle: read('sa'), polarization: read('pol') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The largest relative difference |a−b|/|b| (|a−b| where b is 0), and where. */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): { rel: number; at: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let rel = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    const r = b[i] === 0 ? d : d / Math.abs(b[i]);
    if (!(r <= rel)) { rel = r; at = i; }
  }
  return { rel, at };
}

/**
 * Corners of a 4-corner detector whose grid is smoothly distorted (and bent
 * along the beam by `bend` metres per pixel², 0 for a flat one), in pyFAI's
 * corner order A (i, j), B (i+1, j), C (i+1, j+1), D (i, j+1).
 */
export function distortedCorners(ny: number, nx: number, pixel1: number, pixel2: number, bend = 0): Float32Array {
  const out = new Float32Array(ny * nx * 12);
  const node = (a: number, b: number, o: number): void => {
    out[o] = bend * ((a - ny / 2) ** 2 + (b - nx / 2) ** 2);
    out[o + 1] = pixel1 * (a + 0.2 * Math.sin(0.3 * b + 0.1 * a));
    out[o + 2] = pixel2 * (b + 0.15 * Math.cos(0.2 * a) + 0.01 * a);
  };
  for (let i = 0, o = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++, o += 12) {
      node(i, j, o); node(i + 1, j, o + 3); node(i + 1, j + 1, o + 6); node(i, j + 1, o + 9);
    }
  }
  return out;
}

/**
 * Hexagonal pixels of pitch `pitch` (metres) as pyFAI's HexDetector lays
 * them out: rows pitch·√3/2 apart, odd rows shifted by half a pitch, corners
 * at −90°, −30°, 30°, 90°, 150°, 210° around each centre.
 */
export function hexCorners(ny: number, nx: number, pitch: number): Float32Array {
  const out = new Float32Array(ny * nx * 18);
  const h = Math.sqrt(3) / 2;
  const angles = [0, 1, 2, 3, 4, 5].map((k) => (k / 3 - 0.5) * Math.PI);
  const cx = angles.map((a) => Math.cos(a) / Math.sqrt(3));
  const cy = angles.map((a) => Math.sin(a) / Math.sqrt(3));
  const dx = -Math.min(...cx);
  const dy = -Math.min(...cy);
  for (let i = 0, o = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      for (let k = 0; k < 6; k++, o += 3) {
        out[o + 1] = pitch * (i * h + cy[k] + dy);
        out[o + 2] = pitch * (j + cx[k] + dx + (i % 2 ? 0.5 : 0));
      }
    }
  }
  return out;
}
