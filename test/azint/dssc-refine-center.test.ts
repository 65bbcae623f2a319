import assert from 'node:assert/strict';
import { AzimuthalIntegratorDSSC, DataArray, DSSC_1MGeometry, ParameterError, ToolBoxValueError, fitCircle, refineCenter } from '../../toolbox/index.js';

/** A Gaussian ring of radius R (m) around `c`, drawn at the geometry's pixel centres, on a sloping background, some pixels NaN. */
function ringImage(geom: DSSC_1MGeometry, c: [number, number], R: number, sigma: number): Float64Array {
  const pos = geom.getPixelPositions();
  const out = new Float64Array(pos.length / 3);
  for (let i = 0; i < out.length; i++) {
    const r = Math.hypot(pos[3 * i] - c[0], pos[3 * i + 1] - c[1]);
    out[i] = i % 97 === 0 ? NaN : 100 * Math.exp(-((r - R) ** 2) / (2 * sigma ** 2)) + 20 * Math.exp(-r / 0.05);
  }
  return out;
}

describe('refineCenter', () => {
  it('fits a circle through points in closed form', () => {
    const pts: [number, number][] = [0, 1, 2, 3.5, 5].map((a) => [0.3 + 2 * Math.cos(a), -0.7 + 2 * Math.sin(a)]);
    const f = fitCircle(pts);
    assert.ok(Math.abs(f.center[0] - 0.3) < 1e-12 && Math.abs(f.center[1] + 0.7) < 1e-12 && Math.abs(f.radius - 2) < 1e-12);
    assert.throws(() => fitCircle(pts.slice(0, 2)), ToolBoxValueError);
  });

  it('recovers a known beam offset from a ring drawn through the full geometry', () => {
    const geom = DSSC_1MGeometry.example();
    const truth: [number, number] = [1.3e-3, -0.8e-3];
    const img = ringImage(geom, truth, 0.06, 0.6e-3);
    const res = refineCenter(img, geom, { radiusRange: [0.045, 0.075] });
    assert.ok(res.converged, JSON.stringify({ ...res, points: undefined }));
    const err = Math.hypot(res.center[0] - truth[0], res.center[1] - truth[1]);
    assert.ok(err < 5e-6, `centre error ${err} m`);
    assert.ok(Math.abs(res.radius - 0.06) < 5e-6, `radius ${res.radius}`);
    assert.ok(res.sectors >= 12);
    // The refined centre makes the ring sharp in the toolbox integrator.
    const peak = (dxdy: [number, number]) => Math.max(...Array.from(new AzimuthalIntegratorDSSC(geom, [0, 180], { dxdy }).integrate(img).values as Float64Array).filter((v) => v === v));
    assert.ok(peak(res.center) > 1.5 * peak([0, 0]));
  });

  it('works on a coarse synthetic geometry (modulePixels) and on a DataArray', () => {
    const geom = DSSC_1MGeometry.example({ modulePixels: [32, 64] });
    const truth: [number, number] = [-2.1e-3, 1.4e-3];
    const img = ringImage(geom, truth, 0.05, 2.5e-3);
    const da = new DataArray(img, { dims: ['module', 'y', 'x'], shape: geom.expectedDataShape });
    const res = refineCenter(da, geom, { radiusRange: [0.03, 0.075], initial: [0.5e-3, 0] });
    const err = Math.hypot(res.center[0] - truth[0], res.center[1] - truth[1]);
    assert.ok(err < 0.1 * geom.pixelSteps[0], `centre error ${err} m`);
  });

  it('rejects bad input', () => {
    const geom = DSSC_1MGeometry.example({ modulePixels: [16, 32] });
    const img = ringImage(geom, [0, 0], 0.05, 3e-3);
    assert.throws(() => refineCenter(img.subarray(1), geom), (e: Error) => e instanceof ParameterError && /image/.test(e.message));
    assert.throws(() => refineCenter(img, geom, { initial: [1, 0] }), (e: Error) => e instanceof ParameterError && /dxdy|outside/.test(e.message));
    assert.throws(() => refineCenter(img, geom, { radiusRange: [0.05, 0.01] }), (e: Error) => e instanceof ParameterError && /radiusRange/.test(e.message));
    assert.throws(() => refineCenter(new Float64Array(img.length), geom), ToolBoxValueError);
  });
});
