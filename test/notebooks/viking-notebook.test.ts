/**
 * Viking.ipynb through `scs run` on our kernel, on a synthetic Viking
 * experiment (dark, reference, sample and five calibration runs): the
 * result file gives back the generator's energy calibration and absorption
 * edge, the calibration and XAS plots carry vega-lite with a static
 * fallback, and a range outside the camera frame fails the first cell that
 * reads the camera, naming the range and the frame.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type Dataset, loadXarray } from '../../toolbox/index.js';
import { type VikingRuns, writeVikingRuns } from '../../toolbox/synthetic/run/viking-run.js';
import { polyval } from '../../toolbox/routines/fit/polynomial.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'Viking.ipynb');
const KERNEL = 'scs-viking-notebook-test';

describe('Viking.ipynb on synthetic Viking runs (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let truth: VikingRuns;

  const runNb = (name: string, values: Record<string, unknown>) =>
    scsRun(NOTEBOOK, join(root, `${name}.ipynb`), KERNEL, { proposal: 2953, data_root: join(root, 'data'), ...values }, root);

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-viking-notebook-', KERNEL, { dataRootEnv: false });
    root = sb.root;
    truth = await writeVikingRuns(sb.raw(2953), { proposal: 2953, ny: 16, nx: 512, trains: 30 });
  });
  after(() => sb?.restore());

  describe('with calibration runs, dark, sample and reference', () => {
    let nb: OutNotebook;
    let result: Dataset;
    let ran: { code: number | null; stderr: string };
    before(async () => {
      const c = truth.model.beam.centreEv;
      ({ ran, nb } = await runNb('viking', {
        thickness: truth.model.sample.thickness, bl_signal_range: [c - 22, c + 22], x_range: [10, 500], output: join(root, 'viking.h5'),
      }));
      result = await loadXarray(join(root, 'viking.h5'), { group: 'data' });
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it('recovers the energy calibration: energies within 0.01 eV over the frame', () => {
      const coef = Array.from(result.attrs.energy_calib as ArrayLike<number>, Number);
      assert.equal(coef.length, 3);
      for (let x = 0; x < truth.model.nx; x += 5) {
        assert.ok(Math.abs(polyval(coef, x) - polyval(truth.model.energyCalib, x)) < 0.01, `pixel ${x}: ${polyval(coef, x)} vs ${polyval(truth.model.energyCalib, x)}`);
      }
    });

    it('finds the absorption edge within 0.1 eV and its height within 3%', () => {
      const edge = Number(result.attrs.edge_position), height = Number(result.attrs.edge_height);
      assert.ok(Math.abs(edge - truth.model.sample.edgeEv) < 0.1, `edge ${edge}, truth ${truth.model.sample.edgeEv}`);
      assert.ok(Math.abs(height - truth.model.sample.step) < 0.03 * truth.model.sample.step, `height ${height}, truth ${truth.model.sample.step}`);
      assert.equal(Number(result.attrs.photoelectrons_per_count), 2.05);
    });

    it('writes I0, It and absorptionCoef with std and standard errors over newt_x (490 points)', () => {
      for (const k of ['I0', 'It', 'absorptionCoef']) {
        for (const s of ['', '_std', '_stderr']) assert.deepEqual(result.get(`${k}${s}`).dims, ['newt_x'], `${k}${s}`);
      }
      assert.equal(result.sizes.newt_x, 490);
    });

    it('shows the calibration and the XAS plots as vega-lite with static fallbacks', () => {
      const plots = plotsOf(nb);
      assert.deepEqual(plots.map((p) => p.cell), ['calibrate', 'xas']);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  it('an x_range outside the frame fails the calibrate cell, naming X_RANGE and the frame', async () => {
    const { ran, nb } = await runNb('bad-range', { x_range: [0, 600], output: join(root, 'bad.h5') });
    assert.notEqual(ran.code, 0);
    const [err] = errorsOf(nb);
    assert.equal(err.ename, 'ParameterError');
    assert.match(err.evalue, /^Viking: X_RANGE slice\(0, 600, None\) is outside the frame: newt_x has 512 pixels \(0 to 511\)/);
    assert.equal(nb.cells.find((c) => c.id === 'calibrate')!.metadata.papermill.status, 'failed');
  });
});
