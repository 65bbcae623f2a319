/**
 * hRIXS.ipynb through `scs run` on our kernel, on a synthetic hRIXS
 * proposal (data, dark and curvature runs): the output gives back the
 * generator's curvature (within three standard errors), the photons put in
 * (within 2%), the strongest peak's energy (within one bin) and the frames
 * per delay; the plots carry vega-lite and a static fallback; a bad method
 * fails the setup cell naming it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type HrixsRunPhysics, writeHrixsRun } from '../../toolbox/synthetic/run/hrixs-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'hRIXS.ipynb');
const KERNEL = 'scs-hrixs-notebook-test';
const PROPOSAL = 2953;

describe('hRIXS.ipynb on a synthetic hRIXS proposal (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let truth: HrixsRunPhysics;
  let curve: HrixsRunPhysics;

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-hrixs-notebook-', KERNEL, { dataRootEnv: false });
    const raw = sb.raw(PROPOSAL);
    truth = (await writeHrixsRun(join(raw, 'r0001'), { proposal: PROPOSAL, run: 1, trains: 40, photonsPerFrame: 100 })).physics;
    await writeHrixsRun(join(raw, 'r0002'), { proposal: PROPOSAL, run: 2, trains: 6, dark: true });
    curve = (await writeHrixsRun(join(raw, 'r0003'), { proposal: PROPOSAL, run: 3, trains: 40, photonsPerFrame: 150, seed: 3 })).physics;
  });
  after(() => sb?.restore());

  it('runs every cell and recovers the curvature, the photons, the peak and the counts per delay', async () => {
    const out = join(sb!.root, 'hrixs.json');
    const { ran, nb } = await scsRun(NOTEBOOK, join(sb!.root, 'hrixs.ipynb'), KERNEL, { proposal: PROPOSAL, run: 1, dark_run: 2, curvature_run: 3, data_root: sb!.dataRoot, output: out }, sb!.root);
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(errorsOf(nb), []);
    const r = JSON.parse(readFileSync(out, 'utf8')) as { curveA: number; curveB: number; errA: number; errB: number; photons: number; groups: number[]; counts: number[]; peakEnergy: number; binWidth: number };
    assert.ok(Math.abs(r.curveA - curve.model.curveA) <= 3 * r.errA, `CURVE_A ${r.curveA} ± ${r.errA}, truth ${curve.model.curveA}`);
    assert.ok(Math.abs(r.curveB - curve.model.curveB) <= 3 * r.errB, `CURVE_B ${r.curveB} ± ${r.errB}, truth ${curve.model.curveB}`);
    const put = truth.photons.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(r.photons - put) <= 0.02 * put, `photons ${r.photons}, put in ${put}`);
    assert.deepEqual(r.groups, [-1, 0, 1, 2]);
    assert.deepEqual(r.counts, [10, 10, 10, 10]);
    // the strongest peak among the photons put in (spots keep a minimum distance, so dense lines lose photons: count them)
    const near = truth.model.peaks.map((pk) => truth.spots!.reduce((n, f) => n + f.c.reduce((m, c, i) => m + (Math.abs(c - pk.position) <= 0.5 ? f.n[i] : 0), 0), 0));
    const strongest = near.indexOf(Math.max(...near));
    assert.ok(Math.abs(r.peakEnergy - truth.peakEnergies[strongest]) <= r.binWidth + 1e-9, `peak at ${r.peakEnergy} eV, truth ${truth.peakEnergies[strongest]} eV (photons within half a pixel of each peak: ${near.join(', ')})`);
    const plots = plotsOf(nb);
    assert.deepEqual(plots.map((p) => p.cell), ['curvature', 'aggregate']);
    for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
  });

  it('a bad method fails the setup cell, naming it', async () => {
    const { ran, nb } = await scsRun(NOTEBOOK, join(sb!.root, 'bad.ipynb'), KERNEL, { method: 'fast', data_root: sb!.dataRoot }, sb!.root);
    assert.notEqual(ran.code, 0);
    const [err] = errorsOf(nb);
    assert.equal(err.ename, 'ToolBoxValueError');
    assert.equal(err.evalue, "method must be 'auto', 'manual' or 'integrate', got 'fast'");
    assert.equal(nb.cells.find((c) => c.id === 'setup')!.metadata.papermill.status, 'failed');
  });
});
