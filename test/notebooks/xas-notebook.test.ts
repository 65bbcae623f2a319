/**
 * `XAS and XMCD.ipynb` through `scs run` on our kernel, on the two field
 * directions of the synthetic XAS run (scs mock-run --routine xas): the
 * result file must give back the generator's edge position and XMCD peak,
 * the plots carry vega-lite and a static fallback, and a bad parameter
 * gives a failed notebook whose error names it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type Dataset, loadXarray } from '../../toolbox/index.js';
import { writeRoutineRun } from '../../toolbox/synthetic/run/routine-runs.js';
import type { XasRunPhysics } from '../../toolbox/synthetic/run/xas-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'XAS and XMCD.ipynb');
const KERNEL = 'scs-xas-notebook-test';
const BIN = 0.4;

describe('XAS and XMCD.ipynb on the synthetic XAS runs (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let truth: XasRunPhysics;

  const runNb = (name: string, values: Record<string, unknown>) =>
    scsRun(NOTEBOOK, join(root, `${name}.ipynb`), KERNEL, { proposal: 2212, run_plus: 1, run_minus: 2, data_root: join(root, 'data'), ...values }, root);

  before(async function () {
    await requireJupyter(this);
    // the notebook gets its data root as a parameter: EXFEL_DATA_ROOT stays as it is
    sb = notebookSandbox('scs-xas-notebook-', KERNEL, { dataRootEnv: false });
    root = sb.root;
    const raw = sb.raw(2212);
    truth = (await writeRoutineRun('xas', join(raw, 'r0001'), { field: 1, run: 1 })).physics as XasRunPhysics;
    await writeRoutineRun('xas', join(raw, 'r0002'), { field: -1, run: 2 });
  });
  after(() => sb?.restore());

  describe('with the default parameters', () => {
    let nb: OutNotebook;
    let result: Dataset;
    let ran: { code: number | null; stderr: string };
    before(async () => {
      ({ ran, nb } = await runNb('xas', { bin_width: BIN, output: join(root, 'xas.h5') }));
      result = await loadXarray(join(root, 'xas.h5'), { group: 'data' });
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it("finds the edge and the XMCD peak where the generator put them, within a bin", () => {
      const edge = Number(result.attrs.edge_position), peakAt = Number(result.attrs.xmcd_peak_position), peak = Number(result.attrs.xmcd_peak);
      assert.ok(Math.abs(edge - truth.edgeEv) <= BIN, `edge at ${edge}, truth ${truth.edgeEv}`);
      assert.ok(Math.abs(peakAt - truth.xmcdPeakEv) <= BIN, `XMCD peak at ${peakAt}, truth ${truth.xmcdPeakEv}`);
      // positive: the field +1 white line is the higher one
      assert.ok(peak > 0 && Math.abs(peak - truth.sample.dichroism) < 0.1 * truth.sample.dichroism, `XMCD peak ${peak}, truth ${truth.sample.dichroism}`);
    });

    it('writes the four spectra over nrj with their errors and counts', () => {
      for (const part of ['plus', 'minus', 'xas', 'xmcd']) {
        for (const f of ['muA', 'sigmaA', 'sterrA', 'muIo', 'counts']) assert.deepEqual(result.get(`${part}_${f}`).dims, ['nrj'], `${part}_${f}`);
      }
      const counts = Array.from(result.get('xas_counts').values as ArrayLike<number>, Number);
      assert.equal(counts.reduce((a, b) => a + b, 0), 2 * 164 * truth.sase3PulsesPerTrain);
    });

    it('shows vega-lite plots with static fallbacks (each spectrum, and XAS with XMCD)', () => {
      const plots = plotsOf(nb);
      assert.deepEqual(plots.map((p) => p.cell), ['xas', 'xas', 'xmcd']);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  it('a bin width of zero fails the load cell, naming bin_width', async () => {
    const { ran, nb } = await runNb('bad-width', { bin_width: 0 });
    assert.notEqual(ran.code, 0);
    assert.equal(nb.metadata.papermill.exception, true);
    const [err] = errorsOf(nb);
    assert.equal(err.ename, 'ToolBoxValueError');
    assert.match(err.evalue, /^bin_width must be a positive number of nrj units \(or give bin_edges\), got 0/);
    assert.equal(nb.cells.find((c) => c.id === 'load')!.metadata.papermill.status, 'failed');
  });

  it('a signal key the data lack fails the xas cell, naming itkey and what exists', async () => {
    const { nb } = await runNb('bad-key', { itkey: 'MCP2peaks' });
    const [err] = errorsOf(nb);
    assert.equal(err.ename, 'VariableNameError');
    assert.match(err.evalue, /^xas: itkey 'MCP2peaks' is not in the Dataset\. Did you mean 'MCP3peaks'\?/);
    assert.equal(nb.cells.find((c) => c.id === 'xas')!.metadata.papermill.status, 'failed');
  });
});
