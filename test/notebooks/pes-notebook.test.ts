/**
 * PES.ipynb through `scs run` on our kernel, on the synthetic PES run: the
 * peaks it lists are the generator's times of flight, the parameters and
 * the saved average traces are those of the run, its plots carry vega-lite
 * and a static fallback, and a channel the run lacks fails the spectra cell
 * naming the channels it has.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type PesRunPhysics, writePesRun } from '../../toolbox/synthetic/run/pes-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOK = join(packageRoot(), 'notebooks', 'PES.ipynb');
const KERNEL = 'scs-pes-notebook-test';

interface Summary {
  shape: number[]; peaks: number[]; gas: string; binding_energy: number; ret_voltage: number; file: string; channels: string[];
}

/** The JSON line the summary cell prints. */
function summaryOf(nb: OutNotebook): Summary {
  const cell = nb.cells.find((c) => c.id === 'summary')!;
  const text = (cell.outputs ?? []).filter((o) => o.output_type === 'stream').map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text as string)).join('');
  return (JSON.parse(text.trim().split('\n').pop()!) as { summary: Summary }).summary;
}

describe('PES.ipynb on the synthetic PES run (through scs run)', function () {
  this.timeout(600_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let truth: PesRunPhysics;

  const runNb = (name: string, values: Record<string, unknown>) => scsRun(NOTEBOOK, join(root, `${name}.ipynb`), KERNEL, {
    proposal: 2212, runNB: 30, start: truth.start, origin: truth.origin, base_start: truth.baseStart, base_width: truth.baseWidth,
    data_root: sb!.dataRoot, ...values,
  }, root);

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-pes-notebook-', KERNEL, { dataRootEnv: false });
    root = sb.root;
    truth = (await writePesRun(join(sb.raw(2212), 'r0030'), { proposal: 2212, run: 30 })).physics;
  });
  after(() => sb?.restore());

  describe('on channel 2A with the generator’s start, origin and baseline window', () => {
    let nb: OutNotebook;
    let summary: Summary;
    let ran: { code: number | null; stderr: string };
    before(async () => {
      ({ ran, nb } = await runNb('pes', { channels: ['2A', '4D'] }));
      summary = summaryOf(nb);
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it('lists the generator’s peaks at their times of flight (within one sample)', () => {
      assert.deepEqual(summary.shape, [40, 4, 440]);
      const want = truth.channels['2A'].peaks.map((p) => p.tofNs);
      assert.equal(summary.peaks.length, want.length, `peaks ${summary.peaks.join(', ')}, truth ${want.join(', ')}`);
      summary.peaks.forEach((p, i) => assert.ok(Math.abs(p - want[i]) < 1 / truth.digitizer.samplingRateGHz, `peak ${p} ns, truth ${want[i]} ns`));
    });

    it('reports the run’s gas, binding energy and retardation voltage, and saves the average traces where documented', () => {
      assert.equal(summary.gas, 'N2');
      assert.equal(summary.binding_energy, truth.bindingEnergy);
      assert.equal(summary.ret_voltage, truth.retardation['2A']);
      assert.equal(summary.file, join(sb!.raw(2212), '..', 'usr', 'processed_runs', 'r0030', 'r0030-pes-data.h5'));
      assert.ok(existsSync(summary.file));
      assert.deepEqual(summary.channels, ['PES_2Araw', 'PES_4Draw']);
    });

    it('shows vega-lite plots with static fallbacks (average spectrum, per pulse, average traces)', () => {
      const plots = plotsOf(nb);
      assert.deepEqual(plots.map((p) => p.cell), ['average', 'average', 'save']);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  it('a channel the run lacks fails the spectra cell, listing the channels it has', async () => {
    const { ran, nb } = await runNb('bad-channel', { mnemonic: 'PES_1Braw' });
    assert.notEqual(ran.code, 0);
    const [err] = errorsOf(nb);
    assert.equal(err.ename, 'ToolBoxValueError');
    assert.match(err.evalue, /^run 30 of proposal 2212 has no PES channel 1B .*; channels it has: 1A, 2A, 3B, 4D$/);
    assert.equal(nb.cells.find((c) => c.id === 'tof')!.metadata.papermill.status, 'failed');
  });
});
