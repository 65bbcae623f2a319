/**
 * `Transient reflectivity measurement.ipynb` through `scs run` on our kernel,
 * on the synthetic reflectivity run (scs mock-run --routine reflectivity):
 * the BAM-corrected t0 in its result file matches the generator's within
 * its error, the BAM correction sharpens the edge, the plots carry vega-lite
 * and a static fallback, and a bad parameter fails the notebook naming it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { positionToDelay } from '../../toolbox/index.js';
import { type ReflectivityPhysics, writeReflectivityRun } from '../../toolbox/synthetic/run/reflectivity-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'Transient reflectivity measurement.ipynb');
const KERNEL = 'scs-reflectivity-notebook-test';
const PROPOSAL = 2212, RUN = 17;
/** The notebook's origin: 40 µm (0.27 ps) off the truth's t0, as a first guess would be. */
const ORIGIN = 12.3;

interface Summary { t0Ps: number; t0PsErr: number; t0Position: number; t0PositionErr: number; model: string; parameters: Record<string, { value: number; error: number }> }
interface Results { stage: Summary; bamCorrected: Summary | null }

describe('Transient reflectivity measurement.ipynb (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let root: string, truth: ReflectivityPhysics;
  const runNb = (name: string, params: Record<string, unknown>) => scsRun(NOTEBOOK, join(root, `${name}.ipynb`), KERNEL, params, root);

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-refl-notebook-', KERNEL);
    root = sb.root;
    truth = (await writeReflectivityRun(join(sb.raw(PROPOSAL), `r${String(RUN).padStart(4, '0')}`), { proposal: PROPOSAL, run: RUN })).physics;
  });
  after(() => sb?.restore());

  describe('on the synthetic delay scan', () => {
    let nb: OutNotebook, results: Results, ran: { code: number | null; stderr: string };
    before(async () => {
      const output = join(root, 'results.json');
      ({ ran, nb } = await runNb('good', { proposal: PROPOSAL, run: RUN, binWidth: 0.01, binWidthPs: 0.05, origin: ORIGIN, output }));
      results = JSON.parse(readFileSync(output, 'utf8')) as Results;
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it("recovers the generator's t0 within its error on the BAM-corrected delay", () => {
      const c = results.bamCorrected!;
      assert.equal(c.model, 'doubleExponential');
      // 3 standard errors; and the error itself is small (a few fs) against the 80 fs edge
      // the notebook's ps axis starts at its origin parameter, not at the truth's t0 position
      const t0Ps = positionToDelay(truth.t0Position, { origin: ORIGIN, invert: false }) + truth.t0Ps;
      assert.ok(Math.abs(c.t0Ps - t0Ps) <= 3 * c.t0PsErr, `t0 ${c.t0Ps} ± ${c.t0PsErr} ps vs truth ${t0Ps}`);
      assert.ok(Math.abs(c.t0Position - truth.t0Position) <= 3 * c.t0PositionErr, `t0 position ${c.t0Position} ± ${c.t0PositionErr} mm vs ${truth.t0Position}`);
      assert.ok(c.t0PsErr < 0.01, `t0 error ${c.t0PsErr} ps`);
      const sigma = c.parameters.sigma;
      assert.ok(Math.abs(sigma.value - truth.sigmaPs) <= 3 * sigma.error, `σ ${sigma.value} ± ${sigma.error} vs ${truth.sigmaPs}`);
    });

    it('the stage-axis fit sees the edge smeared by the BAM jitter, and t0 near the truth', () => {
      const s = results.stage;
      assert.ok(s.parameters.sigma.value > 1.5 * results.bamCorrected!.parameters.sigma.value, `σ stage ${s.parameters.sigma.value} vs corrected ${results.bamCorrected!.parameters.sigma.value}`);
      assert.ok(Math.abs(s.t0Position - truth.t0Position) <= 4 * s.t0PositionErr, `stage t0 ${s.t0Position} ± ${s.t0PositionErr} vs ${truth.t0Position}`);
    });

    it('shows the two reflectivity plots as vega-lite with static fallbacks', () => {
      const plots = plotsOf(nb);
      assert.deepEqual(plots.map((p) => p.cell), ['stage', 'bam-corrected']);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  describe('bad parameters', () => {
    it('binWidth 0 fails the notebook, naming binWidth', async () => {
      const { ran, nb } = await runNb('bad-bin', { proposal: PROPOSAL, run: RUN, binWidth: 0, output: join(root, 'bad.json') });
      assert.notEqual(ran.code, 0);
      assert.equal(nb.metadata.papermill.exception, true);
      const [err] = errorsOf(nb);
      assert.equal(err.ename, 'ParameterError');
      assert.match(err.evalue, /binWidth must be a positive number, got 0/);
      assert.equal(nb.cells.find((c) => c.id === 'stage')!.metadata.papermill.status, 'failed');
    });
    it('an unknown fit model fails the load cell, naming fit', async () => {
      const { nb } = await runNb('bad-fit', { proposal: PROPOSAL, run: RUN, fit: 'gauss', output: join(root, 'bad.json') });
      const [err] = errorsOf(nb);
      assert.match(err.evalue, /fit must be 'doubleExponential' or 'step', got 'gauss'/);
    });
  });
});
