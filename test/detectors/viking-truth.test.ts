/**
 * Viking on synthetic runs recovers the generator's truth: the energy
 * calibration (peak pixels and the 2nd-degree coefficients), the camera
 * settings and photoelectrons per count, the spectrum's scale, the
 * baseline, and the XAS edge position and height.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Dataset, Viking, curveFit, openRun } from '../../toolbox/index.js';
import { writeVikingRun } from '../../toolbox/synthetic/run/viking-run.js';
import { polyval } from '../../toolbox/routines/fit/polynomial.js';
import { baselineCounts, beamPhotoelectrons, pixelEnergy, rowWeight, sampleMu } from '../../toolbox/synthetic/run/viking-physics.js';
import { PROPOSAL, type VikingFixture, nums, vikingFixture } from './viking-fixture.js';

describe('Viking recovers the synthetic runs\' truth', function () {
  this.timeout(120_000);
  let fx: VikingFixture;
  let v: Viking;
  let coef: number[];
  let ref: Dataset, sample: Dataset, xas: Dataset;

  before(async () => {
    fx = await vikingFixture('scs-viking-truth-');
    v = new Viking(PROPOSAL);
    coef = await v.calibrate(fx.truth.runs.calibration, { plot: false });
    v.ENERGY_CALIB = coef;
    await v.loadDark(fx.truth.runs.dark);
    const c = fx.truth.model.beam.centreEv;
    v.setParams({ bl_poly_deg: 2, bl_signal_range: [c - 22, c + 22] });
    ref = v.removePolyBaseline(v.integrate(await v.fromRun(fx.truth.runs.reference)));
    sample = v.removePolyBaseline(v.integrate(await v.fromRun(fx.truth.runs.sample)));
    xas = v.xas(sample, ref, { thickness: fx.truth.model.sample.thickness });
  });
  after(() => fx?.restore());

  it('finds each calibration peak within 0.05 pixel of where the generator put it', async () => {
    const { peaks } = await v.calibrationPeaks(fx.truth.runs.calibration);
    assert.deepEqual(peaks.map((p) => p.energy), fx.truth.calibrationEnergies);
    peaks.forEach((p, i) => assert.ok(Math.abs(p.centre - fx.truth.peakPixels[i]) < 0.05, `run ${p.run}: centre ${p.centre}, truth ${fx.truth.peakPixels[i]}`));
    assert.deepEqual(v.ENERGY_CALIB, coef, 'calibrationPeaks restores ENERGY_CALIB');
  });

  it('recovers ENERGY_CALIB: coefficients close and energies within 0.01 eV over the frame', () => {
    const truth = fx.truth.model.energyCalib;
    assert.ok(Math.abs(coef[2] - truth[2]) < 0.01, `c0 ${coef[2]} vs ${truth[2]}`);
    assert.ok(Math.abs(coef[1] - truth[1]) < 1e-4, `c1 ${coef[1]} vs ${truth[1]}`);
    assert.ok(Math.abs(coef[0] - truth[0]) < 2e-3 * truth[0], `c2 ${coef[0]} vs ${truth[0]}`);
    for (let x = 0; x < fx.truth.model.nx; x += 7) assert.ok(Math.abs(polyval(coef, x) - polyval(truth, x)) < 0.01, `pixel ${x}`);
  });

  it('reads the camera settings and the photoelectrons per count of both modes', async () => {
    const run = await openRun(PROPOSAL, fx.truth.runs.reference);
    const cam = fx.truth.model.camera;
    assert.deepEqual(v.getCameraParams(run), {
      gain: 2, high_capacity: 0, photoelectrons_per_count: 2.05, exposure_s: cam.exposureTime, temperature: cam.temperature, hbin: 1, vbin: 1,
    });
    assert.equal(v.getCameraGain(run), 2);
    assert.equal(v.ePerCounts(run), 2.05);
    assert.equal(v.ePerCounts(run, 4), 0.97);
    run.close();
    const model = { ...fx.truth.model, camera: { ...cam, preampGain: 2 as const, highCapacity: 1 as const, ePerCount: 4.5 } };
    await writeVikingRun('reference', join(fx.raw, 'r0021'), { proposal: PROPOSAL, run: 21, trains: 2, model });
    const hc = await openRun(PROPOSAL, 21);
    assert.equal(v.getCameraGain(hc), 4);
    assert.equal(v.ePerCounts(hc), 4.5);
    assert.equal(v.ePerCounts(hc, 1), 17.9);
    hc.close();
    assert.equal(ref.attrs.photoelectrons_per_count, 2.05);
  });

  it('loads further FIELDS with the camera: the XGM pulse energies give the truth\'s per-train beam scale', async () => {
    const w = new Viking(PROPOSAL);
    w.FIELDS = ['newton', 'SCS_SA3', 'nrj'];
    const ds = await w.fromRun(fx.truth.runs.sample, { addAttrs: false });
    const t = fx.truth.truths[fx.truth.runs.sample];
    const dim = ds.get('SCS_SA3').dims.find((d) => d !== 'trainId') as string;
    const scale = nums(ds.get('SCS_SA3').mean(dim).values as ArrayLike<number>).map((e) => e / 800);
    scale.forEach((s, i) => assert.ok(Math.abs(s - t.xgmScale[i]) < 1e-6, `train ${i}: ${s} vs ${t.xgmScale[i]}`));
    assert.deepEqual(nums(ds.get('nrj').values as ArrayLike<number>), new Array<number>(30).fill(t.monoEnergy));
    assert.deepEqual(ds.get('newton').dims, ['trainId', 'newt_y', 'newt_x']);
  });

  it('integrate gives photoelectrons: the mean spectrum is e/count × baseline + beam × mean row weight × mean XGM, within 1%', () => {
    const m = fx.truth.model, t = fx.truth.truths[fx.truth.runs.reference];
    const rows = Array.from({ length: m.ny }, (_, y) => rowWeight(m, y)).reduce((a, b) => a + b, 0) / m.ny;
    const xgm = t.xgmScale.reduce((a, b) => a + b, 0) / t.xgmScale.length;
    const s = ref.get('spectrum').mean('trainId');
    const peak = beamPhotoelectrons(m, m.beam.centreEv) * rows * xgm;
    nums(s.values as ArrayLike<number>).forEach((got, x) => {
      const ev = pixelEnergy(m, x);
      const want = m.camera.ePerCount * baselineCounts(m, ev) + beamPhotoelectrons(m, ev) * rows * xgm;
      assert.ok(Math.abs(got - want) < 0.01 * peak, `pixel ${x}: ${got} vs ${want}`);
    });
    assert.deepEqual(ref.get('spectrum').dims, ['trainId', 'newt_x']);
  });

  it('removePolyBaseline leaves the beam alone: spectrum_nobl = beam within 1% of its peak', () => {
    const m = fx.truth.model, t = fx.truth.truths[fx.truth.runs.reference];
    const rows = Array.from({ length: m.ny }, (_, y) => rowWeight(m, y)).reduce((a, b) => a + b, 0) / m.ny;
    const xgm = t.xgmScale.reduce((a, b) => a + b, 0) / t.xgmScale.length;
    const peak = beamPhotoelectrons(m, m.beam.centreEv) * rows * xgm;
    nums(ref.get('spectrum_nobl').mean('trainId').values as ArrayLike<number>).forEach((got, x) => {
      const want = beamPhotoelectrons(m, pixelEnergy(m, x)) * rows * xgm;
      assert.ok(Math.abs(got - want) < 0.01 * peak, `pixel ${x}: ${got} vs ${want}`);
    });
  });

  it('removePolyBaseline of the mean spectrum (newt_x only) is the mean of the per-train results (the fit is linear)', () => {
    const mean = v.removePolyBaseline(ref.assign({ spectrum: ref.get('spectrum').mean('trainId') })).get('spectrum_nobl');
    assert.deepEqual(mean.dims, ['newt_x']);
    const want = nums(ref.get('spectrum_nobl').mean('trainId').values as ArrayLike<number>);
    nums(mean.values as ArrayLike<number>).forEach((got, i) => assert.ok(Math.abs(got - want[i]) < 1e-9 * 2000, `point ${i}: ${got} vs ${want[i]}`));
  });

  it('xas gives μ(E) where the beam is, and the edge position within 0.1 eV and its height within 3%', () => {
    const m = fx.truth.model;
    const e = nums(xas.get('newt_x').values as ArrayLike<number>), mu = nums(xas.get('absorptionCoef').values as ArrayLike<number>);
    const i0 = nums(xas.get('I0').values as ArrayLike<number>), top = Math.max(...i0);
    const xs: number[] = [], ys: number[] = [];
    e.forEach((ev, i) => {
      if (i0[i] < 0.2 * top) return;
      const want = sampleMu(m, ev) + fx.truth.xasOffset;
      assert.ok(Math.abs(mu[i] - want) < 0.03, `${ev.toFixed(2)} eV: ${mu[i]} vs ${want}`);
      xs.push(ev);
      ys.push(mu[i]);
    });
    assert.ok(xs.length > 100, `${xs.length} points with beam`);
    const edge = (x: number, p: readonly number[]) => p[0] + p[1] * (0.5 + Math.atan((x - p[2]) / p[3]) / Math.PI);
    const fit = curveFit(edge, xs, ys, { p0: [0.3, 1.5, 540, 1] });
    assert.ok(Math.abs(fit.popt[2] - m.sample.edgeEv) < 0.1, `edge ${fit.popt[2]} vs ${m.sample.edgeEv}`);
    assert.ok(Math.abs(fit.popt[1] - m.sample.step) < 0.03 * m.sample.step, `height ${fit.popt[1]} vs ${m.sample.step}`);
    for (const k of ['I0', 'It', 'absorptionCoef']) {
      for (const suffix of ['', '_std', '_stderr']) assert.deepEqual(xas.get(`${k}${suffix}`).dims, ['newt_x'], `${k}${suffix}`);
    }
    assert.equal(xas.attrs.spectrum_key, 'spectrum_nobl');
  });
});
