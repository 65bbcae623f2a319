/**
 * nlFit on a synthetic BOZ run with a known ideal lookup table: the table is
 * recovered within 1 ADU RMS over the populated range, and after correction
 * the n/0 and p/0 ratios are flat in intensity to 1% where the raw ones are not.
 */
import assert from 'node:assert/strict';
import { FitError } from '../../toolbox/errors.js';
import { nlIntensities, nlSegments } from '../../toolbox/routines/boz/nl-crit.js';
import { nlCritSk } from '../../toolbox/routines/boz/nl-crit.js';
import { nlFit, type NlFitParameters } from '../../toolbox/routines/boz/nl-fit.js';
import { inspectCorrection, inspectCorrectionSk, inspectFnl, inspectNlFit } from '../../toolbox/routines/boz/nl-inspect.js';
import { nlLut } from '../../toolbox/routines/boz/nl-lut.js';
import { BozParameters } from '../../toolbox/routines/boz/parameters.js';
import { type NlRun, nlRun, populated } from './nl-synthetic.js';

function paramsOf(run: NlRun, nlAlpha: number, nlMaxIter = 50): NlFitParameters {
  return { arrDark: run.arrDark, arr: run.arr, rois: run.rois, satLevel: 511, nlAlpha, nlMaxIter, getMask: () => run.mask };
}

/** Largest relative spread (max − min)/mean of Σsig/Σref over `bins` intensity bins of the 0 beam. */
function spread(I: Float64Array[], bins: number): { n: number; p: number } {
  const order = Array.from(I[1].keys()).sort((a, b) => I[1][a] - I[1][b]);
  const ratio = (b: number): number[] => Array.from({ length: bins }, (_, k) => {
    const idx = order.slice(Math.floor((k * order.length) / bins), Math.floor(((k + 1) * order.length) / bins));
    return idx.reduce((s, i) => s + I[b][i], 0) / idx.reduce((s, i) => s + I[1][i], 0);
  });
  const rel = (r: number[]): number => (Math.max(...r) - Math.min(...r)) / (r.reduce((s, v) => s + v, 0) / r.length);
  return { n: rel(ratio(0)), p: rel(ratio(2)) };
}

describe('boz nlFit on a synthetic run', function () {
  // Little noise and an identity range above the domain (high = 440, peaks up to 481 unsaturated) anchor the
  // scale-like direction that a small run cannot otherwise pin down (docs/boz.md, Non-linearity).
  const run = nlRun({ trains: 40, pulses: 10, flatField: true, seed: 7, noise: 0.2, high: 440 });

  it('recovers the lookup table within 1 ADU RMS and flattens n/0 and p/0 to 1%', async function () {
    const progress: number[] = [];
    const { res, fitrres, histograms } = await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField, progress: (p) => { if (p.stage === 'fit') progress.push(p.done); } });
    assert.ok(res.success, res.message);
    assert.equal(fitrres.length, res.nit);
    assert.deepEqual(progress, fitrres.map((_, i) => i + 1));
    const F = nlLut(run.domain, res.x), count = populated(histograms);
    let ss = 0, n = 0;
    for (let v = 0; v < 512; v++) {
      if (run.domain[v] === 0 || count[v] < 50) continue;
      ss += (F[v] - run.Ftrue[v]) ** 2; n++;
    }
    const rms = Math.sqrt(ss / n);
    console.log(`      LUT RMS error ${rms.toFixed(3)} ADU over ${n} populated values; ${res.nit} iterations; criterion ${fitrres[0][1].toPrecision(4)} -> ${res.fun.toPrecision(4)}`);
    assert.ok(n > 300, `populated range ${n}`);
    assert.ok(rms < 1, `LUT RMS error ${rms} ADU`);
    const seg = nlSegments(histograms, run.domain);
    const raw = spread(nlIntensities(histograms, seg, new Float64Array(seg.n), 511).I, 6);
    const fixed = spread(nlIntensities(histograms, seg, res.x, 511).I, 6);
    console.log(`      n/0, p/0 spread over intensity: raw ${(100 * raw.n).toFixed(2)}%, ${(100 * raw.p).toFixed(2)}%; corrected ${(100 * fixed.n).toFixed(2)}%, ${(100 * fixed.p).toFixed(2)}%`);
    assert.ok(raw.n > 0.02 && raw.p > 0.02, 'the raw ratios depend on intensity');
    assert.ok(fixed.n < 0.01 && fixed.p < 0.01, 'the corrected ratios are flat to 1%');
  });

  it('fits with nlCritSk too, reusing the histograms', async function () {
    const first = await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField });
    const { res } = await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField, crit: nlCritSk, histograms: first.histograms });
    assert.ok(res.success);
    const F = nlLut(run.domain, res.x);
    const mid = Array.from({ length: 200 }, (_, i) => F[150 + i] - run.Ftrue[150 + i]);
    assert.ok(Math.sqrt(mid.reduce((s, d) => s + d * d, 0) / mid.length) < 1.5);
  });

  it('reports non-convergence as a FitError with the last dy, and stops on abort', async function () {
    const h = (await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField })).histograms;
    await assert.rejects(nlFit(paramsOf(run, 1e-4, 1), run.domain, { histograms: h }), (e: unknown) => e instanceof FitError && e.lastParameters.length === 40 && e.iterations === 1);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(nlFit(paramsOf(run, 1e-4), run.domain, { histograms: h, signal: ac.signal }), { name: 'AbortError' });
  });

  it('inspectNlFit, inspectFnl, inspectCorrection and inspectCorrectionSk return their plots and data', async function () {
    const fit = await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField });
    const progress = inspectNlFit(fit);
    assert.equal(progress.critAlpha.length, fit.res.nit);
    assert.deepEqual(inspectNlFit(fit.fitrres).crit0, progress.crit0);
    const spec = JSON.stringify(await progress.plot.toSpec());
    assert.match(spec, /iteration/);
    const Fnl = nlLut(run.domain, fit.res.x);
    const shown = inspectFnl(Fnl);
    assert.equal(shown.deviation[300], Fnl[300] - 300);
    await shown.plot.toSpec();
    const params = { ...paramsOf(run, 1e-4), Fnl };
    const cmp = await inspectCorrection(params, { ff: run.flatField, gain: 2 });
    const rel = (r: Float64Array): number => (Math.max(...r) - Math.min(...r)) / (r.reduce((s, v) => s + v, 0) / r.length);
    assert.ok(rel(cmp['no correction'].binned.ratios['n/0']) > 0.02);
    assert.ok(rel(cmp['flat field + non-linearity'].binned.ratios['n/0']) < 0.01);
    assert.ok(rel(cmp['flat field + non-linearity'].binned.ratios['p/0']) < 0.01);
    assert.match(JSON.stringify(await cmp.plot.toSpec()), /photons/);
    const sk = await inspectCorrectionSk(params, run.flatField);
    assert.ok(rel(sk['flat field + non-linearity'].binned.ratios['0/(n+p)']) < 0.01);
    assert.ok(rel(sk['no correction'].binned.ratios['0/(n+p)']) > 0.02);
  });

  it('takes the parameters class (fields set as openData and findRois set them)', async function () {
    const params = new BozParameters(1, 2, 3, 15, 0.5);
    params.arrDark = run.arrDark; params.arr = run.arr; params.rois = run.rois;
    params.satLevel = 511; params.nlAlpha = 1e-4; params.nlMaxIter = 50;
    params.setMask(run.mask);
    const plain = await nlFit(paramsOf(run, 1e-4), run.domain, { ff: run.flatField });
    const { res } = await nlFit(params, run.domain, { ff: run.flatField });
    assert.deepEqual(Array.from(res.x), Array.from(plain.res.x));
    params.setFnl(nlLut(run.domain, res.x));
    const cmp = await inspectCorrectionSk(params, run.flatField);
    assert.ok(cmp['flat field + non-linearity'].binned.ratios['0/(n+p)'].every((r) => Math.abs(r / cmp['flat field + non-linearity'].binned.ratios['0/(n+p)'][0] - 1) < 0.01));
    params.arr = null;
    await assert.rejects(nlFit(params, run.domain), /params\.arr is not loaded/);
  });
});
