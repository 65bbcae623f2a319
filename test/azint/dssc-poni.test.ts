import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSC_1MGeometry, ParameterError, dsscPoniGeometry } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';

interface PyPositions { n: number; maxRelQ: number; maxChi: number; maxTth: number; centreShift: number[] }

describe('dsscPoniGeometry', () => {
  let dir = '';
  before(async function () {
    await requirePython(this);
    dir = await mkdtemp(join(tmpdir(), 'azint-dssc-poni-'));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  for (const { modulePixels, center } of [
    { modulePixels: [128, 512] as [number, number], center: [0, 0] as [number, number] },
    { modulePixels: [32, 64] as [number, number], center: [1.7e-3, -2.3e-3] as [number, number] },
  ]) {
    it(`gives the pixel centres' q and χ of pyFAI with the same corners and PONI (${modulePixels.join('×')} per module, centre ${center.join(', ')} m)`, async () => {
      const geom = DSSC_1MGeometry.example({ modulePixels });
      const poni = dsscPoniGeometry(geom, { dist: 0.35, wavelength: 1.5e-9, center, pixelCentres: 'pyfai' });
      const [n, ss, fs] = geom.expectedDataShape;
      assert.deepEqual(poni.shape, [n * ss, fs]);
      const q = poni.positions('q_nm^-1').radial;
      const tth = poni.positions('2th_rad').radial;
      const chi = poni.chi();
      const files = { corners: join(dir, 'c.f32'), q: join(dir, 'q.f64'), tth: join(dir, 't.f64'), chi: join(dir, 'chi.f64'), pos: join(dir, 'p.f64') };
      await writeFile(files.corners, Buffer.from(geom.toDistortionArray({ allowNegativeXy: true }).buffer));
      await writeFile(files.q, Buffer.from(Float64Array.from(q).buffer));
      await writeFile(files.tth, Buffer.from(Float64Array.from(tth).buffer));
      await writeFile(files.chi, Buffer.from(Float64Array.from(chi).buffer));
      await writeFile(files.pos, Buffer.from(geom.getPixelPositions().buffer));
      const py = await runPython<PyPositions>(String.raw`
from pyFAI.detectors import Detector
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator
a = json.loads(sys.argv[1])
ny, nx, p1, p2, cx, cy = a['ny'], a['nx'], a['p1'], a['p2'], a['cx'], a['cy']
corners = np.fromfile(a['corners'], '<f4').reshape(ny, nx, 6, 3)
det = Detector(pixel1=p1, pixel2=p2, max_shape=(ny, nx))
det.set_pixel_corners(corners)
ai = AzimuthalIntegrator(dist=0.35, poni1=cy, poni2=cx, detector=det, wavelength=1.5e-9)
q = ai.array_from_unit(unit='q_nm^-1', typ='center', scale=True).ravel()
tth = ai.twoThetaArray().ravel()
chi = ai.chiArray().ravel()
ours = {k: np.fromfile(a[k], '<f8') for k in ('q', 'tth', 'chi')}
dchi = np.abs(np.angle(np.exp(1j * (chi - ours['chi']))))
# Where pyFAI puts a hexagon's centre relative to its true centre (metres, in fs and ss steps).
pos = np.fromfile(a['pos'], '<f8').reshape(ny, nx, 3)
p1c, p2c, _ = det.calc_cartesian_positions()
emit({'n': int(q.size), 'maxRelQ': float(np.max(np.abs(q - ours['q']) / np.abs(q))),
      'maxTth': float(np.max(np.abs(tth - ours['tth']))), 'maxChi': float(dchi.max()),
      'centreShift': [float(np.median(np.abs(p2c - pos[..., 0]))), float(np.median(np.abs(p1c - pos[..., 1])))]})
`, [JSON.stringify({ ny: n * ss, nx: fs, p1: geom.pixelSteps[0], p2: geom.pixelSteps[1], cx: center[0], cy: center[1], ...files })]);
      assert.equal(py.n, n * ss * fs);
      assert.ok(py.maxRelQ < 1e-6, `q relative difference ${py.maxRelQ}`);
      assert.ok(py.maxTth < 1e-7, `2θ difference ${py.maxTth}`);
      assert.ok(py.maxChi < 1e-6, `χ difference ${py.maxChi}`);
      // pyFAI 0.21 puts a pixel's centre at the mean of its first 4 corners: for
      // EXtra-geom's hexagons that is a quarter of a pixel off the hexagon's
      // centre along the fast-scan axis (docs/azimuthal-integration.md).
      assert.ok(Math.abs(py.centreShift[0] - geom.pixelSteps[1] / 4) < 1e-8, `fs shift ${py.centreShift[0]}`);
      assert.ok(py.centreShift[1] < 1e-8, `ss shift ${py.centreShift[1]}`);
      console.log(`      q rel ${py.maxRelQ.toExponential(2)}, 2θ ${py.maxTth.toExponential(2)} rad, χ ${py.maxChi.toExponential(2)} rad; median |pyFAI centre − hexagon centre| (x, y) = (${py.centreShift.map((v) => v.toExponential(3)).join(', ')}) m`);
    });
  }

  it('puts pixel centres at the hexagons\' centres by default', () => {
    const geom = DSSC_1MGeometry.example({ modulePixels: [32, 64] });
    const center: [number, number] = [1.7e-3, -2.3e-3];
    const r = dsscPoniGeometry(geom, { dist: 0.35, center }).positions('r_mm').radial;
    const pos = geom.getPixelPositions();
    let worst = 0;
    for (let i = 0; i < r.length; i++) {
      const expected = Math.hypot(pos[3 * i] - center[0], pos[3 * i + 1] - center[1]) * 1e3;
      worst = Math.max(worst, Math.abs(r[i] - expected));
    }
    // corners are float32 (as pyFAI keeps them): ~1e-8 m at 0.1 m
    assert.ok(worst < 1e-4, `largest |r − r(hexagon centre)| ${worst} mm`);
    assert.throws(() => dsscPoniGeometry(geom, { dist: 0.35, pixelCentres: 'middle' as never }),
      { message: `pixelCentres must be 'hexagon' or 'pyfai', got "middle"` });
  });

  it('rejects a bad centre', () => {
    assert.throws(() => dsscPoniGeometry(DSSC_1MGeometry.example(), { dist: 0.3, center: [Number.NaN, 0] }), ParameterError);
    assert.throws(() => dsscPoniGeometry(DSSC_1MGeometry.example(), { dist: 0.3, poni1: 0 } as never), /poni1/);
  });
});
