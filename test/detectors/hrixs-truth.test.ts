/**
 * hRIXS on synthetic runs recovers the generator's truth: the curvature
 * (CURVE_A, CURVE_B) within three standard errors of the fit, the photons
 * put in counted by centroiding within 2% (singles and doubles apart for
 * centroidTwo, spots for centroidOne), the hits where the photons are, and
 * the spectrum's peaks within one bin (centroided and integrated), then
 * aggregation by delay with counts and normalisation.
 */
import assert from 'node:assert/strict';
import { type Dataset, hRIXS } from '../../toolbox/index.js';
import type { HrixsRunPhysics } from '../../toolbox/synthetic/run/hrixs-run.js';
import { type HrixsProposal, PROPOSAL, argmaxIn, hrixsProposal } from './hrixs-fixture.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const within = (got: number, want: number, rel: number, what: string) => assert.ok(Math.abs(got - want) <= rel * want, `${what}: ${got}, put in ${want}`);

describe('hRIXS on synthetic runs: the truth comes back', function () {
  this.timeout(120_000);
  let p: HrixsProposal;
  let truth: HrixsRunPhysics;
  let curveTruth: HrixsRunPhysics;
  let h: hRIXS;
  let data: Dataset;

  before(async () => {
    p = hrixsProposal('scs-hrixs-truth-');
    truth = (await p.write(1, { trains: 40, photonsPerFrame: 100 })).physics;
    // a dark of many frames: the noise of a short dark's mean is in every frame alike and does not average out
    await p.write(2, { dark: true, trains: 200 });
    // a curvature run as at the beamline: one strong elastic line (the spots of a frame keep 7 px apart, so
    // photons come from many frames)
    curveTruth = (await p.write(3, { trains: 160, photonsPerFrame: 40, seed: 3, peaks: [{ position: 256, sigma: 1.5, weight: 1 }] })).physics;
    h = new hRIXS(PROPOSAL);
    await h.loadDark(2);
    data = await h.fromRun(1);
    h.setParams({ ENERGY_INTERCEPT: truth.energyIntercept, ENERGY_SLOPE: truth.energySlope, CURVE_A: truth.model.curveA, CURVE_B: truth.model.curveB });
  });
  after(() => p?.restore());

  it('loads (trainId, x, y) frames with the fields of FIELDS', () => {
    assert.deepEqual(data.get('MaranaX').dims, ['trainId', 'x', 'y']);
    assert.deepEqual(data.get('MaranaX').shape, [40, 256, 512]);
    assert.deepEqual(h.FIELDS, ['MaranaX', 'hRIXS_delay', 'hRIXS_norm', 'nrj']);
    assert.deepEqual(Array.from(data.get('hRIXS_delay').values as Float64Array).slice(0, 5), [-1, 0, 1, 2, -1]);
    assert.equal(h.USE_DARK, true);
    assert.deepEqual(h.darkImage!.shape, [256, 512]);
  });

  it('findCurvature gives CURVE_A and CURVE_B within three standard errors of the truth', async () => {
    const k = new hRIXS(PROPOSAL);
    await k.loadDark(2);
    const [a, b] = await k.findCurvature(3, { plot: false });
    const f = k.curvatureFit!;
    assert.equal(k.CURVE_A, a);
    assert.equal(k.CURVE_B, b);
    assert.ok(Math.abs(a - curveTruth.model.curveA) <= 3 * f.errA, `CURVE_A ${a} ± ${f.errA}, truth ${curveTruth.model.curveA}`);
    assert.ok(Math.abs(b - curveTruth.model.curveB) <= 3 * f.errB, `CURVE_B ${b} ± ${f.errB}, truth ${curveTruth.model.curveB}`);
    // and the errors are meaningful: well below the values
    assert.ok(f.errA < 0.1 * curveTruth.model.curveA && f.errB < 0.3 * curveTruth.model.curveB, `errors ${f.errA}, ${f.errB}`);
  });

  it("centroidTwo counts the singles and the doubles put in, within 2%, at the photons' positions", () => {
    let singles = 0, doubles = 0, far = 0;
    for (let t = 0; t < 40; t++) {
      const r = h.centroidTwo(data.get('MaranaX').isel({ trainId: t }), truth.incidentEnergy);
      singles += r.singles.length;
      doubles += r.doubles.length;
      const spots = truth.spots![t];
      for (const [x, y] of [...r.singles, ...r.doubles]) {
        // hits are corrected by the curvature: compare with the spots' corrected positions
        const d = Math.min(...spots.x.map((sx, i) => Math.hypot(sx - x, spots.c[i] - y)));
        if (d > 0.3) far++;
      }
    }
    within(singles, sum(truth.singles), 0.02, 'single hits');
    within(doubles, sum(truth.doubles), 0.02, 'double hits');
    assert.equal(far, 0, `${far} hits more than 0.3 pixel from every photon put in`);
  });

  it('centroid (auto) counts every photon (doubles twice) within 2%; centroid (manual) every spot', async () => {
    const auto = await h.centroid(data);
    within(auto.get('spectrum').sum().item() as number, sum(truth.photons), 0.02, 'photons (auto)');
    h.THRESHOLD = 60;
    const manual = await h.centroid(data, { method: 'manual' });
    h.THRESHOLD = null;
    within(manual.get('spectrum').sum().item() as number, sum(truth.singles) + sum(truth.doubles), 0.02, 'spots (manual, THRESHOLD 60)');
    assert.deepEqual(auto.get('spectrum').dims, ['trainId', 'energy']);
  });

  it("puts the spectrum's peaks where the generator did, within one bin (centroid and integrate)", async () => {
    const bin = truth.energySlope;
    for (const ds of [await h.centroid(data), h.integrate(data)]) {
      const spec = h.aggregate(ds).get('spectrum');
      const e = Array.from(spec.coords.energy.values as Float64Array);
      const v = Array.from(spec.values as Float64Array);
      truth.model.peaks.forEach((pk, i) => {
        const at = argmaxIn(v, Math.round(pk.position - 2 * pk.sigma), Math.round(pk.position + 2 * pk.sigma));
        assert.ok(Math.abs(e[at] - truth.peakEnergies[i]) <= bin + 1e-9, `peak ${i} at ${e[at]} eV, truth ${truth.peakEnergies[i]} eV (bin ${bin} eV)`);
      });
    }
  });

  it('aggregates by delay with counts, and normalizes by hRIXS_norm', async () => {
    const agg = h.aggregate(await h.centroid(data), 'hRIXS_delay');
    assert.deepEqual(Array.from(agg.get('hRIXS_delay').values as Float64Array), [-1, 0, 1, 2]);
    assert.deepEqual(Array.from(agg.get('counts').values as Float64Array), [10, 10, 10, 10]);
    const norms = [0, 1, 2, 3].map((g) => sum(truth.norm.filter((_, i) => i % 4 === g)));
    assert.deepEqual(Array.from(agg.get('hRIXS_norm').values as Float64Array), norms);
    const photons = [0, 1, 2, 3].map((g) => sum(truth.photons.filter((_, i) => i % 4 === g)));
    const got = [0, 1, 2, 3].map((g) => agg.get('spectrum').isel({ hRIXS_delay: g }).sum().item() as number);
    got.forEach((n, g) => within(n, photons[g], 0.02, `photons at delay ${g - 1}`));
    const norm = h.normalize(agg);
    const ratio = norm.get('normalized').isel({ hRIXS_delay: 0 }).sum().item() as number;
    assert.ok(Math.abs(ratio - got[0] / norms[0]) < 1e-9, `normalized ${ratio}`);
    assert.deepEqual(norm.get('normalized').dims, ['hRIXS_delay', 'energy']);
  });
});
