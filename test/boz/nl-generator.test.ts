/**
 * The non-linearity on the generator's default BOZ run (written to HDF5 files):
 * through the parameters class (openData), the ROIs (findRoisFromParams), the flat
 * field (planeFitting → setFlatField) and nlFit with the documented domain, the
 * lookup table is recovered within 1 ADU RMS of truth's F over the populated range,
 * and the corrected n/0 and p/0 are flat in intensity to 1% where the raw ones are not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRoisFromParams, inspectCorrection, nlDomain, nlFit, nlLut, parameters, planeFitting } from '../../toolbox/index.js';
import { type BozRuns, writeBozRuns } from '../../toolbox/synthetic/run/boz-run.js';
import { populated } from './nl-synthetic.js';

/** Relative spread (max − min)/mean of the binned ratio, per ratio name. */
function spread(binned: Record<string, Float64Array>): Record<string, number> {
  return Object.fromEntries(Object.entries(binned).map(([k, r]) => {
    const mean = r.reduce((s, v) => s + v, 0) / r.length;
    return [k, (Math.max(...r) - Math.min(...r)) / mean];
  }));
}

describe('BOZ non-linearity on the generator\'s default run', function () {
  this.timeout(300_000);
  let root: string;
  let runs: BozRuns;
  const saved = process.env.EXFEL_DATA_ROOT;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-boz-nlgen-'));
    runs = await writeBozRuns(root, { trains: 60, frames: 20 });
    process.env.EXFEL_DATA_ROOT = root;
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('recovers truth\'s F within 1 ADU RMS and flattens n/0 and p/0 to 1%', async () => {
    const p = new parameters(runs.proposal, runs.darkRun, runs.run, runs.module, runs.truth.boz.gain.photonsPerBin);
    await p.openData();
    const bad = runs.truth.boz.badPixels;
    p.setMask([...bad.hot, ...bad.dead].map((i) => [Math.floor(i / 512), i % 512]));
    p.roisTh = 20;
    const found = await findRoisFromParams(p), truthRois = runs.truth.boz.rois;
    for (const b of ['n', '0', 'p'] as const) {
      const [f, t] = [found[b], truthRois[b]];
      assert.ok(f.xl >= t.xl && f.xh <= t.xh && f.yl >= t.yl && f.yh <= t.yh && f.xh - f.xl > 20, `ROI ${b} ${JSON.stringify(f)} inside ${JSON.stringify(t)}`);
    }
    // the threshold cuts the Gaussian beams inside the generator's ±2σ boxes; the fit wants their wings too
    p.rois = truthRois;
    p.ffProdTh = [5000, Infinity];
    p.ffRatioTh = [0.3, 1.5];
    p.setFlatField(Array.from((await planeFitting(p)).x));
    p.nlAlpha = 1e-3;
    p.nlMaxIter = 50;
    const [N, low, high] = [40, 60, 400];
    const domain = nlDomain(N, low, high);
    const { res, histograms } = await nlFit(p, domain);
    assert.ok(res.success, res.message);
    const F = nlLut(domain, res.x), Ftrue = runs.truth.boz.nonLinearity.F, count = populated(histograms);
    let ss = 0, n = 0;
    for (let v = 0; v < 512; v++) {
      if (domain[v] === 0 || count[v] < 50) continue;
      ss += (F[v] - Ftrue[v]) ** 2; n++;
    }
    const rms = Math.sqrt(ss / n);
    console.log(`      LUT RMS error ${rms.toFixed(3)} ADU over ${n} populated values; ${res.nit} iterations`);
    p.setFnl(F);
    const cmp = await inspectCorrection(p);
    const raw = spread(cmp['flat field'].binned.ratios), fixed = spread(cmp['flat field + non-linearity'].binned.ratios);
    console.log(`      n/0, p/0 spread over 10 intensity bins: raw ${JSON.stringify(raw)}; corrected ${JSON.stringify(fixed)}`);
    assert.ok(n > 300, `populated range ${n}`);
    assert.ok(rms <= 1, `LUT RMS error ${rms} ADU`);
    for (const k of Object.keys(raw)) {
      assert.ok(raw[k] > 0.015, `raw ${k} depends on intensity`);
      assert.ok(fixed[k] < 0.01, `corrected ${k} flat to 1%`);
    }
  });
});
