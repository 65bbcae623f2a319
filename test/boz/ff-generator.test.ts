/**
 * The flat field on the generator's BOZ runs (written to HDF5 files, read
 * back with loadDsscModule): its planes recovered by planeFitting within 4
 * standard errors. The generator's 'n' and 'p' photons are 0.85 and 0.8 of
 * '0', so the ratio planes are those levels times its flat field
 * z = gx·x + gy·y + 1 ('p' mirrored). The detector is linear here
 * (nonLinearity 0): the non-linearity would bend the ratio of averages.
 */
import assert from 'node:assert/strict';
import { ffRefineFit, parameters, planeFitting } from '../../toolbox/index.js';
import { loadDsscModule } from '../../toolbox/routines/boz/load.js';
import { type BozFixture, bozFixture } from './data-helpers.js';

describe('BOZ flat field: the generator\'s planes recovered', function () {
  this.timeout(300_000);
  let fx: BozFixture;
  let params: InstanceType<typeof parameters>;
  const [gx, gy] = [0.0019, 0.0012];
  before(async () => {
    fx = await bozFixture({ trains: 24, frames: 20, seed: 8, nonLinearity: 0 });
    const { truth } = fx.runs;
    params = new parameters(fx.runs.proposal, fx.runs.darkRun, fx.runs.run, fx.runs.module, 0.5);
    params.arrDark = (await loadDsscModule(fx.runs.proposal, fx.runs.darkRun, { persist: true })).arr;
    const run = await loadDsscModule(fx.runs.proposal, fx.runs.run, { persist: true });
    params.arr = run.arr;
    params.tid = run.tid;
    params.rois = truth.boz.rois;
    params.satLevel = 511;
    params.setMask([...truth.boz.badPixels.dead, ...truth.boz.badPixels.hot].map((p) => [Math.floor(p / 512), p % 512]));
    params.ffProdTh = [5000, Infinity];
    params.ffRatioTh = [0.3, 1.5];
  });
  after(async () => { await fx?.restore(); });

  it('without mirror symmetry: both planes', async () => {
    params.forceMirror = false;
    const res = await planeFitting(params);
    const expected = [0.85 * gx, 0.85 * gy, -1, 0.85, -0.8 * gx, 0.8 * gy, -1, 0.8];
    for (let k = 0; k < 8; k++) {
      if (k % 4 === 2) { assert.equal(res.x[k], -1); continue; }
      assert.ok(Math.abs(res.x[k] - expected[k]) <= 4 * res.xErr[k], `x[${k}] = ${res.x[k]} ± ${res.xErr[k]}, expected ${expected[k]}`);
    }
    assert.ok(res.xErr[0] < 0.1 * 0.85 * gx, `slope error ${res.xErr[0]}`);
  });

  it('with mirror symmetry (default): the shape a/d, b/d; the refinement keeps it', async () => {
    params.forceMirror = true;
    const res = await planeFitting(params);
    const rel = (k: number) => Math.hypot(res.xErr[k] / res.x[3], (res.x[k] * res.xErr[3]) / res.x[3] ** 2);
    assert.ok(Math.abs(res.x[0] / res.x[3] - gx) <= 4 * rel(0), `a/d = ${res.x[0] / res.x[3]} ± ${rel(0)}, true ${gx}`);
    assert.ok(Math.abs(res.x[1] / res.x[3] - gy) <= 4 * rel(1), `b/d = ${res.x[1] / res.x[3]} ± ${rel(1)}, true ${gy}`);
    params.ffAlpha = 0.5;
    const { res: ref } = await ffRefineFit(params, { maxFrames: 200 });
    assert.ok(Math.abs(ref.x[0] / ref.x[3] - gx) <= 0.1 * gx && Math.abs(ref.x[1] / ref.x[3] - gy) <= 0.1 * gy, `refined ${ref.x}`);
  });
});
