/**
 * The flat field on a synthetic BOZ run: the generator's planes recovered by
 * the plane fit (within 4 standard errors) and by the refinement; after the
 * correction n/0 and p/0 flat across the ROI; bad input.
 */
import assert from 'node:assert/strict';
import {
  FitError, OptionsError, ParameterError, ToolBoxValueError, computeFlatFieldCorrection, ffRefineCrit, ffRefineFit,
  inspectFlatFieldDomain, inspectPlaneFitting, parameters, planeFitting, planeFittingDomain,
} from '../../toolbox/index.js';
import { Plot } from '../../toolbox/plots/plot.js';
import type { ModuleFrames } from '../../toolbox/routines/boz/types.js';
import { ROIS, type SyntheticRun, TRUE_PLANE, syntheticRun } from './ff-synthetic.js';

function paramsOf(syn: SyntheticRun, mirror = true): InstanceType<typeof parameters> {
  const p = new parameters(1, 2, 3, 15, 3);
  p.rois = ROIS;
  p.arrDark = syn.dark;
  p.arr = syn.run;
  p.satLevel = 511;
  p.forceMirror = mirror;
  // Bright pixels only: a one-sided ratio cut on faint, noisy pixels would bias the ratio.
  p.ffProdTh = [2000, Infinity];
  p.ffRatioTh = [0, 2];
  return p;
}

/** Mean of the ratio image over the domain's left/right (or top/bottom) half. */
function halves(r: Float64Array, m: Uint8Array, rows: number, cols: number, axis: 'x' | 'y'): [number, number] {
  const s = [0, 0], k = [0, 0];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (!m[i * cols + j]) continue;
      const h = axis === 'x' ? Number(j >= cols / 2) : Number(i >= rows / 2);
      s[h] += r[i * cols + j]; k[h]++;
    }
  }
  return [s[0] / k[0], s[1] / k[1]];
}

describe('BOZ flat field: fits on a synthetic run', function () {
  this.timeout(300_000);
  let syn: SyntheticRun;
  before(() => { syn = syntheticRun({ trains: 30, pulses: 10, seed: 11 }); });

  it('planeFitting recovers the generator\'s plane within 4 standard errors (mirror symmetry)', async () => {
    const res = await planeFitting(paramsOf(syn));
    assert.equal(res.x.length, 4);
    assert.equal(res.x[2], -1);
    for (const k of [0, 1, 3]) {
      assert.ok(Math.abs(res.x[k] - TRUE_PLANE[k]) <= 4 * res.xErr[k], `x[${k}] = ${res.x[k]} ± ${res.xErr[k]}, true ${TRUE_PLANE[k]}`);
      assert.ok(res.xErr[k] > 0 && res.xErr[k] < 0.01 * Math.abs(TRUE_PLANE[3]), `x[${k}] error ${res.xErr[k]}`);
    }
    assert.ok(res.points.n > 100 && res.points.p > 100);
  });

  it('planeFitting without mirror symmetry recovers both planes', async () => {
    const pp = [0.002, 0.004, -1, 0.6];
    const s2 = syntheticRun({ trains: 20, pulses: 10, seed: 5, planeP: pp });
    const res = await planeFitting(paramsOf(s2, false));
    assert.equal(res.x.length, 8);
    const truth = [...TRUE_PLANE, ...pp];
    for (const k of [0, 1, 3, 4, 5, 7]) assert.ok(Math.abs(res.x[k] - truth[k]) <= 4 * res.xErr[k], `x[${k}] = ${res.x[k]} ± ${res.xErr[k]}, true ${truth[k]}`);
  });

  it('after the correction n/0 and p/0 are flat across the ROI (raw: 10% slopes)', async () => {
    const params = paramsOf(syn);
    const fit = await planeFitting(params);
    params.setFlatField(fit.x);
    const ff = computeFlatFieldCorrection(ROIS, params).values;
    // The dark-corrected average, as planeFitting saw it.
    const { darkMean } = await import('../../toolbox/routines/boz/ff-data.js');
    const dark = await darkMean(syn.dark, 'test');
    const avg = new Float64Array(128 * 512);
    const frames = syn.raw.length / avg.length;
    for (let f = 0; f < frames; f++) for (let i = 0; i < avg.length; i++) avg[i] += (syn.raw[f * avg.length + i] - dark[(f % 10) * avg.length + i]) / frames;
    const corrected = avg.map((v, i) => v / ff[i]);
    const raw = planeFittingDomain(avg, ROIS, [2000, Infinity], [0, 2]);
    const cor = planeFittingDomain(corrected, ROIS, [1000, Infinity], [0, 2]);
    for (const b of ['n', 'p'] as const) {
      const r = raw[b].values as Float64Array, m = raw[`${b}M`].values as Uint8Array;
      const c = cor[b].values as Float64Array, cm = cor[`${b}M`].values as Uint8Array;
      const [rl, rr] = halves(r, m, 30, 40, 'x'), [cl, cr] = halves(c, cm, 30, 40, 'x');
      const [ct, cb] = halves(c, cm, 30, 40, 'y');
      assert.ok(Math.abs(rr / rl - 1) > 0.05, `raw ${b}/0 halves ${rl} ${rr}`);
      assert.ok(Math.abs(cr / cl - 1) < 0.01 && Math.abs(cb / ct - 1) < 0.01, `corrected ${b}/0 halves ${cl} ${cr} ${ct} ${cb}`);
      assert.ok(Math.abs((cl + cr) / 2 - 1) < 0.01, `corrected ${b}/0 level ${(cl + cr) / 2}`);
    }
  });

  it('ffRefineFit refines from the plane fit: converges, stays within 5 standard errors of the plane fit, reports the criteria per iteration', async () => {
    const params = paramsOf(syn);
    params.ffAlpha = 0.5;
    const fit = await planeFitting(params);
    const { res, fitrres } = await ffRefineFit(params, { maxFrames: 150 });
    assert.equal(res.x.length, 4);
    assert.equal(res.x[2], -1);
    assert.ok(res.success && res.nit > 0 && res.nit === fitrres.alpha.length && fitrres.alpha0.length === res.nit && fitrres.alpha1.length === res.nit);
    assert.ok(Math.abs(fitrres.alpha[res.nit - 1] - res.fun) <= 1e-12 * res.fun);
    fitrres.alpha.forEach((f, i) => assert.ok(Math.abs(f - (0.5 * fitrres.alpha0[i] + 0.5 * fitrres.alpha1[i])) <= 1e-12 * f, `iteration ${i}: ${f} is not (1 − α)·err1 + α·err2`));
    for (const k of [0, 1, 3]) assert.ok(Math.abs(res.x[k] - TRUE_PLANE[k]) <= 5 * fit.xErr[k], `x[${k}] = ${res.x[k]}, plane fit ${fit.x[k]} ± ${fit.xErr[k]}, true ${TRUE_PLANE[k]}`);
    // The refinement does not make the criterion worse than at the plane fit.
    const atFit = await ffRefineCrit(fit.x, 0.5, params, syn.dark, syn.run, null, ROIS, null, { maxFrames: 150 });
    assert.ok(res.fun <= atFit + 1e-12, `refined ${res.fun} vs plane fit ${atFit}`);
  });

  it('inspectFlatFieldDomain and inspectPlaneFitting: plots with the data they show', async () => {
    const params = paramsOf(syn);
    const { darkMean } = await import('../../toolbox/routines/boz/ff-data.js');
    const dark = await darkMean(syn.dark, 'test');
    const avg = Float64Array.from(syn.raw.subarray(0, 128 * 512), (v, i) => v - dark[i]);
    const d = inspectFlatFieldDomain(avg, ROIS, params.ffProdTh, params.ffRatioTh, { vmin: 0, vmax: 1.2 });
    assert.ok(d.plot instanceof Plot && d.nM.dims.length === 2 && d.n.shape[0] === 30 && d.n.shape[1] === 40);
    const spec = await d.plot.toSpec();
    assert.ok(JSON.stringify(spec).includes('n/0'));
    const f = inspectPlaneFitting(avg, ROIS, { domain: { nM: d.nM, pM: d.pM } });
    const nM = d.nM.values as Uint8Array;
    assert.ok(f.plot instanceof Plot);
    (f.n.values as Float64Array).forEach((v, i) => assert.equal(Number.isNaN(v), !nM[i]));
  });

  describe('bad input', () => {
    it('ROIs of different sizes, outside the module, missing', () => {
      const avg = new Float64Array(128 * 512).fill(1);
      assert.throws(() => planeFittingDomain(avg, { ...ROIS, p: { xl: 300, xh: 341, yl: 40, yh: 70 } }, [0, Infinity], [0, 2]), (e: unknown) => e instanceof ParameterError && /differ in size/.test(e.message));
      assert.throws(() => planeFittingDomain(avg, { ...ROIS, p: { xl: 500, xh: 540, yl: 40, yh: 70 } }, [0, Infinity], [0, 2]), (e: unknown) => e instanceof ParameterError && /outside the module/.test(e.message));
      assert.throws(() => planeFittingDomain(avg, { n: ROIS.n, p: ROIS.p }, [0, Infinity], [0, 2]), (e: unknown) => e instanceof ParameterError && /'0'/.test(e.message));
      assert.throws(() => planeFittingDomain(avg.subarray(1), ROIS, [0, Infinity], [0, 2]), ToolBoxValueError);
      assert.throws(() => planeFittingDomain(avg, ROIS, [2, 1], [0, 2]), (e: unknown) => e instanceof ParameterError && e.parameter === 'prodTh');
    });

    it('an empty domain', async () => {
      const params = paramsOf(syn);
      params.ffProdTh = [1e12, Infinity];
      await assert.rejects(planeFitting(params), (e: unknown) => e instanceof ToolBoxValueError && /domain has 0 'n' and 0 'p' pixels/.test(e.message));
    });

    it('a refinement that does not converge: FitError with the last planes', async () => {
      const params = paramsOf(syn);
      params.ffMaxIter = 3;
      await assert.rejects(ffRefineFit(params, { maxFrames: 50 }), (e: unknown) => e instanceof FitError && e.lastParameters.length === 4 && e.lastParameters[2] === -1 && e.iterations === 3 && /did not converge/.test(e.message));
    });

    it('a dark with another frame count, everything saturated, missing planes, unknown options', async () => {
      const params = paramsOf(syn);
      const dark5: ModuleFrames = { ...syn.dark, pulses: 5 };
      await assert.rejects(ffRefineCrit(TRUE_PLANE, 0.5, params, dark5, syn.run, null, ROIS, null), (e: unknown) => e instanceof ToolBoxValueError && /5 frames per train/.test(e.message));
      await assert.rejects(ffRefineCrit(TRUE_PLANE, 0.5, params, syn.dark, syn.run, null, ROIS, null, { satLevel: 1 }), (e: unknown) => e instanceof ToolBoxValueError && /saturated/.test(e.message));
      await assert.rejects(ffRefineCrit(TRUE_PLANE, 2, params, syn.dark, syn.run, null, ROIS, null), ParameterError);
      assert.throws(() => computeFlatFieldCorrection(ROIS, params), (e: unknown) => e instanceof ParameterError && /no flat-field planes/.test(e.message));
      params.setFlatField([0, 0, -1, -1]);
      assert.throws(() => computeFlatFieldCorrection(ROIS, params), (e: unknown) => e instanceof ToolBoxValueError && /no positive height/.test(e.message));
      // @ts-expect-error: an unknown option
      assert.throws(() => computeFlatFieldCorrection(ROIS, params, { plt: true }), OptionsError);
      // @ts-expect-error: an unknown option
      await assert.rejects(ffRefineFit(params, { alpha: 1 }), OptionsError);
    });
  });
});
