/**
 * `Knife-edge scan and fluence calculation.ipynb` through `scs run` on our
 * kernel, on two synthetic knife-edge runs (x and y scans of a Gaussian beam
 * of known 1/e² radii): the radii come back within 2%, the fluence is
 * 2E/(π w0x w0y) of the notebook's own numbers and within the radii's errors
 * of the truth's, the plots carry vega-lite and a PNG fallback, and bad
 * parameters fail the notebook naming them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { VEGALITE_MIME } from '../../toolbox/plots/spec.js';
import { type KnifeEdgePhysics, writeKnifeEdgeRun } from '../../toolbox/synthetic/run/knife-edge-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'Knife-edge scan and fluence calculation.ipynb');
const KERNEL = 'scs-knife-edge-notebook-test';
const PROPOSAL = 2212, RUN_X = 21, RUN_Y = 22;

interface Result {
  w0x_mm: number; w0x_std_mm: number; w0y_mm: number; w0y_std_mm: number; pulse_energy_uJ: number; fluence_mJ_cm2: number; fluence_std_mJ_cm2: number;
  fitX: { function: string; points: number; x0: number }; fluence_calibration: { F: number[]; fit_F: number[]; E: number[] } | null;
}

describe('Knife-edge scan and fluence calculation.ipynb (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let tx: KnifeEdgePhysics, ty: KnifeEdgePhysics;

  async function runNb(name: string, params: Record<string, unknown>): Promise<{ code: number | null; stderr: string; nb: OutNotebook }> {
    const { ran, nb } = await scsRun(NOTEBOOK, join(root, `${name}.ipynb`), KERNEL, { proposal: PROPOSAL, runX: RUN_X, runY: RUN_Y, ...params }, root);
    return { ...ran, nb };
  }

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-knife-notebook-', KERNEL);
    root = sb.root;
    const raw = sb.raw(PROPOSAL);
    tx = (await writeKnifeEdgeRun(join(raw, `r00${RUN_X}`), { proposal: PROPOSAL, run: RUN_X, seed: 5, axis: 'X' })).physics;
    ty = (await writeKnifeEdgeRun(join(raw, `r00${RUN_Y}`), { proposal: PROPOSAL, run: RUN_Y, seed: 6, axis: 'Y' })).physics;
  });
  after(() => sb?.restore());

  describe('two scans and a laser power scan', () => {
    let nb: OutNotebook;
    let ran: { code: number | null; stderr: string };
    let result: Result;
    const hwp = [0, 10, 20, 30], power = [1, 11, 21, 31];
    before(async () => {
      const r = await runNb('ok', { output: join(root, 'ok-result.json'), hwp, power_mW: power, npulses: 10 });
      ran = r; nb = r.nb;
      result = JSON.parse(readFileSync(join(root, 'ok-result.json'), 'utf8')) as Result;
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it("gives back the generator's radii within 2%", () => {
      assert.ok(Math.abs(result.w0x_mm - tx.w0x) < 0.02 * tx.w0x, `w0x ${result.w0x_mm} ± ${result.w0x_std_mm}, truth ${tx.w0x}`);
      assert.ok(Math.abs(result.w0y_mm - ty.w0y) < 0.02 * ty.w0y, `w0y ${result.w0y_mm} ± ${result.w0y_std_mm}, truth ${ty.w0y}`);
      assert.equal(result.fitX.function, 'erfc');
      assert.equal(result.fitX.points, 200 * 4);
    });

    it('computes the fluence as 2E/(π w0x w0y) and matches the truth within the radii errors', () => {
      const e = (tx.pulseEnergy.meanUJ + ty.pulseEnergy.meanUJ) / 2;
      assert.ok(Math.abs(result.pulse_energy_uJ - e) < 1e-3 * e, `E ${result.pulse_energy_uJ} vs ${e}`);
      const own = (2 * result.pulse_energy_uJ * 1e-3) / (Math.PI * result.w0x_mm * result.w0y_mm * 1e-2);
      assert.ok(Math.abs(result.fluence_mJ_cm2 - own) < 1e-12 * own);
      const truth = (2 * e * 1e-3) / (Math.PI * tx.w0x * ty.w0y * 1e-2);
      assert.ok(Math.abs(result.fluence_mJ_cm2 - truth) < 0.04 * truth, `F ${result.fluence_mJ_cm2} vs truth ${truth}`);
      assert.ok(result.fluence_std_mJ_cm2 > 0 && Math.abs(result.fluence_mJ_cm2 - truth) < 4 * result.fluence_std_mJ_cm2 + 1e-9);
    });

    it('passes the radii (in m) to fluenceCalibration for the power scan', () => {
      const cal = result.fluence_calibration!;
      // E = P/(10 Hz · npulses) mJ → µJ; F = 2E/(π w0x w0y)
      cal.E.forEach((v, i) => assert.ok(Math.abs(v - power[i] / 100 * 1e3) < 1e-9 * v));
      cal.F.forEach((v, i) => {
        const want = (2 * cal.E[i] * 1e-3) / (Math.PI * result.w0x_mm * 1e-3 * result.w0y_mm * 1e-3 * 1e4);
        assert.ok(Math.abs(v - want) < 1e-9 * want);
      });
    });

    it('shows the fits (and the calibration) as vega-lite plots with static fallbacks', () => {
      const plots = plotsOf(nb);
      assert.equal(plots.length, 3, JSON.stringify(plots));
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
      const spec = nb.cells.find((c) => c.id === 'fits')!.outputs!.find((o) => o.data && VEGALITE_MIME in o.data)!.data[VEGALITE_MIME] as { title: string; layer: unknown[] };
      assert.match(spec.title, /w0 = 0\.2\d* ± /);
      assert.equal(spec.layer.length, 4);
    });
  });

  it('a round beam from one scan (runY 0) uses w0x for both radii', async () => {
    const out = join(root, 'round.json');
    const { code, stderr } = await runNb('round', { runY: 0, output: out });
    assert.equal(code, 0, stderr);
    const r = JSON.parse(readFileSync(out, 'utf8')) as Result;
    assert.equal(r.w0y_mm, r.w0x_mm);
  });

  describe('bad parameters fail the notebook, naming them', () => {
    async function failing(name: string, params: Record<string, unknown>): Promise<{ evalue: string; nb: OutNotebook }> {
      const { code, nb } = await runNb(name, { output: join(root, `${name}-result.json`), ...params });
      assert.notEqual(code, 0);
      assert.equal(nb.metadata.papermill.exception, true);
      const errors = errorsOf(nb);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      return { evalue: errors[0].evalue, nb };
    }

    it('an axis range outside the scan', async () => {
      const { evalue, nb } = await failing('range', { axisRangeX: [7, 8] });
      assert.match(evalue, /^axisRangeX \[7,8\]: knifeEdge: axisRange \[7, 8\] keeps no point; the positions span \[4\.25, 5\.75\]/);
      assert.equal(nb.cells.find((c) => c.id === 'fits')!.metadata.papermill.status, 'failed');
    });

    it('a malformed axis range, before anything is read', async () => {
      const { evalue, nb } = await failing('range2', { axisRangeY: [3] });
      assert.match(evalue, /^axisRangeY must be \[min, max\] with min < max \(mm\) or null, got \[3\]/);
      assert.equal(nb.cells.find((c) => c.id === 'checks')!.metadata.papermill.status, 'failed');
    });

    it('a run that is not a run number', async () => {
      const { evalue } = await failing('run', { runX: -1 });
      assert.match(evalue, /^runX must be a run number, got -1/);
    });
  });
});
