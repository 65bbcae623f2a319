import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzimuthalIntegrator, AzimuthalIntegratorDSSC, DataArray, DSSC_1MGeometry, OptionsError, ParameterError } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';

/** Deterministic pseudo-random values in [0, 100) with NaN at about 3 % of them. */
function image(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 33 === 0 ? NaN : (s / 2 ** 32) * 100;
  }
  return out;
}

interface PyRings { npixels: number[]; sum: number[]; mean: (number | string)[]; distance: number[] }

function assertRings(got: DataArray, py: PyRings, reduce: 'sum' | 'mean', what: string): void {
  const ref = reduce === 'sum' ? py.sum : py.mean;
  assert.equal(got.sizes.distance, ref.length, `${what}: rings`);
  assert.deepEqual(Array.from(got.coords.npixels.values as Float64Array), py.npixels, `${what}: pixels per ring`);
  const v = got.values as Float64Array;
  ref.forEach((r, k) => {
    if (r === 'nan') assert.ok(Number.isNaN(v[k]), `${what} ring ${k}: NaN expected, got ${v[k]}`);
    else assert.ok(Math.abs(v[k] - (r as number)) <= 1e-9 * Math.max(1, Math.abs(r as number)), `${what} ring ${k}: ${v[k]} vs ${r}`);
  });
  py.distance.forEach((d, k) => assert.ok(Math.abs((got.coords.distance.values as Float64Array)[k] - d) < 1e-12));
}

// The same rings and wedges computed directly with numpy: r and θ per pixel,
// θ modulo π, ring k = floor(r / dr), NaN-aware sum and mean.
const NUMPY_RINGS = String.raw`
def rings(r, th, img, polar, dr):
    a, b = polar
    span = np.deg2rad(abs(b - a))
    if abs(abs(b - a) - 180) < 1e-12:
        inw = np.ones(r.shape, bool)
    else:
        lo = np.deg2rad(min(a, b) % 180)
        inw = np.mod(np.mod(th, np.pi) - lo, np.pi) < span
    k = np.floor(r / dr).astype(int)
    nr = int(np.floor(r.max() / dr)) + 1
    out = {'npixels': [], 'sum': [], 'mean': [], 'distance': ((np.arange(nr) + 0.5) * dr).tolist()}
    for ring in range(nr):
        v = img[inw & (k == ring)]
        out['npixels'].append(float(v.size))
        out['sum'].append(float(np.nansum(v)))
        good = v[~np.isnan(v)]
        out['mean'].append(float(good.mean()) if good.size else 'nan')
    return out
`;

describe('toolbox integrators', () => {
  let dir = '';
  before(async function () {
    await requirePython(this);
    dir = await mkdtemp(join(tmpdir(), 'azint-tb-'));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const shape: [number, number] = [100, 130];
  const center: [number, number] = [47.3, 61.8];
  const img = image(shape[0] * shape[1], 7);
  const cases: { polar: [number, number]; dr: number }[] = [
    { polar: [0, 180], dr: 1 }, { polar: [20, 70], dr: 1 }, { polar: [150, 210], dr: 2.5 }, { polar: [-30, 40], dr: 1.7 }, { polar: [100, 95], dr: 1 },
  ];

  it('AzimuthalIntegrator: rings and wedges (sum and mean) as numpy computes them', async () => {
    const path = join(dir, 'img.f64');
    await writeFile(path, Buffer.from(img.buffer));
    const py = await runPython<PyRings[][]>(NUMPY_RINGS + String.raw`
ny, nx = 100, 130
img = np.fromfile(sys.argv[1], '<f8').reshape(ny, nx)
i, j = np.mgrid[:ny, :nx]
dy = (i - 47.3) * (204 / 236)
dx = j - 61.8
r = np.hypot(dy, dx)
th = np.arctan2(dy, dx)
cases = json.loads(sys.argv[2])
emit([[rings(r, th, img, c['polar'], c['dr'])] for c in cases])`, [path, JSON.stringify(cases)]);
    cases.forEach((c, n) => {
      for (const reduce of ['sum', 'mean'] as const) {
        const ai = new AzimuthalIntegrator(shape, center, c.polar, { dr: c.dr, reduce });
        const got = ai.integrate(img);
        assert.deepEqual(got.dims, ['distance']);
        assertRings(got, py[n][0], reduce, `${JSON.stringify(c)} ${reduce}`);
      }
    });
    assert.equal(new AzimuthalIntegrator(shape, center, [0, 180]).reduce, 'mean');
  });

  it('AzimuthalIntegratorDSSC: rings on (…, 16, ss, fs) stacks through the geometry, leading dims kept', async () => {
    const geom = DSSC_1MGeometry.example({ modulePixels: [32, 64] });
    const [, ss, fs] = geom.expectedDataShape;
    const frame = 16 * ss * fs;
    const stack = image(3 * frame, 11);
    const pos = geom.getPixelPositions();
    await writeFile(join(dir, 'pos.f64'), Buffer.from(pos.buffer));
    await writeFile(join(dir, 'stack.f64'), Buffer.from(stack.buffer));
    const dxdy: [number, number] = [1.7e-3, -2.3e-3];
    const polars: [number, number][] = [[0, 180], [30, 120]];
    const py = await runPython<PyRings[][]>(NUMPY_RINGS + String.raw`
pos = np.fromfile(sys.argv[1], '<f8').reshape(-1, 3)
stack = np.fromfile(sys.argv[2], '<f8').reshape(3, -1)
step = 236e-6 * 512 / 64
x = pos[:, 0] - 1.7e-3
y = pos[:, 1] + 2.3e-3
r = np.hypot(x, y) / step
th = np.arctan2(y, x)
emit([[rings(r, th, stack[f], p, 1.5) for f in range(3)] for p in json.loads(sys.argv[3])])`, [join(dir, 'pos.f64'), join(dir, 'stack.f64'), JSON.stringify(polars)]);
    polars.forEach((polar, n) => {
      for (const reduce of ['sum', 'mean'] as const) {
        const ai = new AzimuthalIntegratorDSSC(geom, polar, { dxdy, dr: 1.5, reduce });
        const da = new DataArray(stack, { dims: ['delay', 'module', 'y', 'x'], shape: [3, 16, ss, fs], coords: { delay: [-1, 0, 2.5] } });
        const got = ai.integrate(da);
        assert.deepEqual(got.dims, ['delay', 'distance']);
        assert.deepEqual(Array.from(got.coords.delay.values as Float64Array), [-1, 0, 2.5]);
        for (let f = 0; f < 3; f++) assertRings(got.isel({ delay: f }), py[n][f], reduce, `${polar} ${reduce} frame ${f}`);
        const flat = ai.integrate(stack.subarray(frame, 2 * frame));
        assert.deepEqual(flat.dims, ['distance']);
        assertRings(flat, py[n][1], reduce, 'typed array');
        assert.deepEqual(ai.integrate(stack).dims, ['frame', 'distance']);
      }
    });
  });

  it('calcQ: q = 4π sin(atan(r·pixel / distance) / 2) / λ in 1/m', () => {
    const ai = new AzimuthalIntegrator([50, 60], [20, 30], [0, 180]);
    const q = ai.calcQ(2, 1e-9);
    ai.distance.forEach((r, k) => {
      const ref = 4 * Math.PI * Math.sin(Math.atan(r * 236e-6 / 2) / 2) / 1e-9;
      assert.ok(Math.abs(q[k] - ref) <= 1e-12 * ref);
    });
    // Pixel units stay those of the geometry (a larger pixel for fewer pixels per module).
    const dssc = new AzimuthalIntegratorDSSC(DSSC_1MGeometry.example({ modulePixels: [16, 32] }), [0, 180]);
    assert.equal(dssc.pixelSize, 236e-6 * 16);
    assert.throws(() => ai.calcQ(0, 1e-9), (e: Error) => e instanceof ParameterError && /distance/.test(e.message));
  });

  it('rejects bad input naming the parameter and the value', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new AzimuthalIntegrator([100, 130], [120, 10], [0, 180]), /center \[120,10\].*outside/],
      [() => new AzimuthalIntegrator([100, 130], [10, -3], [0, 180]), /center/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 190]), /polarRange \[0, 190\] spans 190/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [30, 30]), /polarRange \[30, 30\] is empty/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 180], { dr: 0 }), /dr must be/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 180], { reduce: 'median' as never }), /reduce must be/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 180]).integrate(new Float64Array(99)), /image has 99 values/],
      [() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 180]).integrate(new DataArray(new Float64Array(100 * 131), { dims: ['y', 'x'], shape: [100, 131] })), /image shape \(100, 131\)/],
      [() => new AzimuthalIntegratorDSSC(DSSC_1MGeometry.example(), [0, 180], { dxdy: [0.5, 0] }), /dxdy \[0.5,0\].*outside/],
    ];
    for (const [fn, re] of bad) assert.throws(fn, (e: Error) => e instanceof ParameterError && re.test(e.message), String(re));
    assert.throws(() => new AzimuthalIntegrator([100, 130], [10, 10], [0, 180], { polar_range: 1 } as never), OptionsError);
  });
});

describe('AzimuthalIntegratorDSSC on binned DSSC outputs', () => {
  it('puts a module dim in order and before the pixel dims', () => {
    const geom = DSSC_1MGeometry.example({ modulePixels: [8, 16] });
    const frame = 16 * 8 * 16;
    const stack = image(2 * frame, 5);
    const ai = new AzimuthalIntegratorDSSC(geom, [10, 100], { dxdy: [1e-3, 2e-3] });
    const ref = ai.integrate(new DataArray(stack, { dims: ['pulse', 'module', 'x', 'y'], shape: [2, 16, 8, 16], coords: { module: [...Array(16).keys()] } }));
    // (module, pulse, x, y) with the modules stored in reverse order.
    const rev = new Float64Array(2 * frame);
    for (let m = 0; m < 16; m++) for (let p = 0; p < 2; p++) rev.set(stack.subarray(p * frame + m * 128, p * frame + (m + 1) * 128), ((15 - m) * 2 + p) * 128);
    const got = ai.integrate(new DataArray(rev, { dims: ['module', 'pulse', 'x', 'y'], shape: [16, 2, 8, 16], coords: { module: [...Array(16).keys()].reverse() } }));
    assert.deepEqual(got.dims, ['pulse', 'distance']);
    assert.deepEqual(Array.from(got.values as Float64Array), Array.from(ref.values as Float64Array));
    assert.throws(() => ai.integrate(new DataArray(rev.subarray(0, 30 * 128), { dims: ['module', 'pulse', 'x', 'y'], shape: [15, 2, 8, 16], coords: { module: [...Array(15).keys()] } })), /16 modules/);
  });
});
