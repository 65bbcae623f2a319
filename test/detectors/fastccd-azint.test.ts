/**
 * FastCCD.azimuthalInt on binned images: equal to a direct numpy
 * implementation of the documented rings (docs/fastccd.md, Azimuthal
 * integration: mean of the valid pixels with k·dr ≤ r < (k+1)·dr in the
 * wedge modulo 180°, masked pixels left out), delta_q as documented, and
 * Debian's pyFAI 0.21 on the same geometry (30 µm pixels, PONI at the
 * centre, no pixel splitting, no solid-angle correction) to 1e-6 relative.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataArray, Dataset, FastCCD } from '../../toolbox/index.js';
import { writeNpy } from '../../toolbox/detectors/fccd/npy.js';
import { requirePython, runPython } from '../helpers/python.js';

const SHAPE: [number, number] = [30, 26];
const CENTER: [number, number] = [13.37, 11.81];
const WL = 1.59e-9, DIST = 0.6;

function binnedDataset(): Dataset {
  const [ny, nx] = SHAPE, n = 3 * ny * nx;
  const img = (phase: number) => Float64Array.from({ length: n }, (_, k) => 100 + 50 * Math.sin(0.37 * k + phase) + (k % 7));
  const dims = ['scan_variable', 'x', 'y'];
  return new Dataset({
    pumped: new DataArray(img(0), { dims, shape: [3, ny, nx] }), unpumped: new DataArray(img(1), { dims, shape: [3, ny, nx] }),
  }, { coords: { scan_variable: ['scan_variable', Float64Array.of(-1, 0, 1)] } });
}

const NUMPY_RINGS = String.raw`
d = sys.argv[1]
spec = json.load(open(d + '/spec.json'))
ny, nx = spec['shape']; c0, c1 = spec['center']; dr = spec['dr']; a, b = spec['angle']
imgs = np.fromfile(d + '/img.f64').reshape(-1, ny, nx)
mask = np.load(d + '/mask.npy')
i, j = np.mgrid[0:ny, 0:nx]
dy, dx = i - c0, j - c1
r = np.hypot(dy, dx)
th = np.degrees(np.arctan2(dy, dx))
inw = ((th - min(a, b)) % 180) % 180 < abs(b - a)
nr = int(np.floor(r.max() / dr)) + 1
k = np.floor(r / dr).astype(int)
use = inw & (mask != 0)
out = []
for im in imgs:
    s = np.bincount(k[use], weights=im[use], minlength=nr)
    c = np.bincount(k[use], minlength=nr)
    with np.errstate(invalid='ignore', divide='ignore'):
        out.append((s / c).tolist())
rc = (np.arange(nr) + 0.5) * dr
q = 2e-9 * np.pi * np.sin(np.arctan(rc * 30e-6 / spec['dist'])) / spec['wl']
emit({'rings': [[x if np.isfinite(x) else None for x in row] for row in out], 'q': q.tolist()})
`;

const PYFAI = String.raw`
import logging
logging.disable(logging.WARNING)
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator
d = sys.argv[1]
spec = json.load(open(d + '/spec.json'))
ny, nx = spec['shape']; c0, c1 = spec['center']; dr = spec['dr']; p = 30e-6
imgs = np.fromfile(d + '/img.f64').reshape(-1, ny, nx)
mask = np.load(d + '/mask.npy')
ai = AzimuthalIntegrator(dist=spec['dist'], poni1=(c0 + 0.5) * p, poni2=(c1 + 0.5) * p, pixel1=p, pixel2=p, wavelength=spec['wl'])
nr = spec['nr']
out = []
for im in imgs:
    res = ai.integrate1d(im, nr, unit='r_mm', radial_range=(0, nr * dr * p * 1e3), correctSolidAngle=False,
                         method=('no', 'histogram', 'cython'), mask=(mask == 0).astype(np.int8))
    out.append([float(x) for x in res.intensity])
emit({'rings': out, 'count': [float(x) for x in res.count]})
`;

describe('FastCCD.azimuthalInt', function () {
  this.timeout(120_000);
  let dir: string;
  const mask = new Float64Array(SHAPE[0] * SHAPE[1]).fill(1);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-fccd-az-'));
    for (let i = 0; i < SHAPE[0]; i++) mask[i * SHAPE[1] + 5] = 0;
    mask[100] = 0; mask[333] = 0;
    await writeNpy(join(dir, 'mask.npy'), mask, SHAPE, 'b1');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function integrate(angleRange: [number, number], dr: number): Promise<{ f: FastCCD; az: Dataset }> {
    const f = new FastCCD(2830, { distance: DIST, raw: true });
    f.binned = binnedDataset();
    await f.loadMask(join(dir, 'mask.npy'), { plot: false });
    return { f, az: f.azimuthalInt(WL, { center: CENTER, angleRange, dr }) };
  }

  function writeInputs(ds: Dataset, angle: [number, number], dr: number, nr: number): void {
    const both = new Float64Array([...(ds.get('pumped').values as Float64Array), ...(ds.get('unpumped').values as Float64Array)]);
    writeFileSync(join(dir, 'img.f64'), Buffer.from(both.buffer));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ shape: SHAPE, center: CENTER, dr, angle, dist: DIST, wl: WL, nr }));
  }

  for (const [angle, dr] of [[[0, 180 - 1e-6], 1], [[20, 110], 2], [[150, 210], 1.5]] as [[number, number], number][]) {
    it(`equals the numpy rings (wedge [${angle}], dr ${dr}) and delta_q`, async function () {
      await requirePython(this);
      const { f, az } = await integrate(angle, dr);
      const nr = az.sizes['delta_q (1/nm)'];
      writeInputs(f.binned!, angle, dr, nr);
      const np = await runPython<{ rings: (number | null)[][]; q: number[] }>(NUMPY_RINGS, [dir]);
      const ours = [...(az.get('pumped').values as Float64Array), ...(az.get('unpumped').values as Float64Array)];
      const theirs = np.rings.flat();
      assert.equal(ours.length, theirs.length);
      ours.forEach((v, i) => {
        const t = theirs[i];
        if (t === null) assert.ok(Number.isNaN(v), `ring ${i}: ${v} vs empty`);
        else assert.ok(Math.abs(v - t) <= 1e-12 * Math.abs(t), `ring ${i}: ${v} vs ${t}`);
      });
      const q = az.get('delta_q (1/nm)').values as Float64Array;
      np.q.forEach((v, i) => assert.ok(Math.abs(q[i] - v) <= 1e-14 * v + 1e-18, `q ${i}`));
      assert.deepEqual(az.get('pumped').dims, ['scan_variable', 'delta_q (1/nm)']);
    });
  }

  it('matches pyFAI integrate1d (r_mm, no splitting, no solid angle) on the same geometry to 1e-6', async function () {
    await requirePython(this);
    const { f, az } = await integrate([0, 180 - 1e-6], 1);
    const nr = az.sizes['delta_q (1/nm)'];
    writeInputs(f.binned!, [0, 180], 1, nr);
    const py = await runPython<{ rings: number[][]; count: number[] }>(PYFAI, [dir]);
    const ours = [...(az.get('pumped').values as Float64Array), ...(az.get('unpumped').values as Float64Array)];
    const npix = az.get('npixels').values as Float64Array;
    let compared = 0;
    py.rings.flat().forEach((t, i) => {
      if (py.count[i % nr] === 0) return;
      compared++;
      assert.ok(Math.abs(ours[i] - t) <= 1e-6 * Math.abs(t), `ring ${i % nr}: ${ours[i]} vs pyFAI ${t}`);
    });
    assert.ok(compared >= 2 * (nr - 2), `${compared} rings compared`);
    assert.ok(npix.length === nr);
  });
});
