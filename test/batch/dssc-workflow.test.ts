/**
 * The DSSC workflow: the summary notebook on module files with a known
 * signal, `scs bin-dssc` option checks and failures, and the whole thing on
 * the real single-node SLURM cluster — binning template for the 4 module
 * groups as a job array, then the summary as a dependent job — on a
 * synthetic proposal (dark run + delay scan, 16 modules) whose truth the
 * summary must recover; and `scs demo` taking the same path.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadXarray } from '../../toolbox/io/netcdf.js';
import { packageRoot } from '../../kernel/kernelspec.js';
import { matchTruth, truthSignal, writeDemoProposal } from '../../toolbox/synthetic/demo.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { type BatchSandbox, makeBatchSandbox, notebookStdout, requireCluster, scs } from './helpers.js';
import { writeModuleFiles } from './dssc-fixtures.js';
import { requirePython, runPython } from '../helpers/python.js';

const summaryNotebook = join(packageRoot(), 'notebooks', 'DSSC summary.ipynb');

function papermill(nb: string): { exception: boolean; parameters: Record<string, unknown> } {
  return JSON.parse(readFileSync(nb, 'utf8')).metadata.papermill;
}

describe('DSSC summary notebook', function () {
  this.timeout(300_000);
  let sb: BatchSandbox;
  before(() => { sb = makeBatchSandbox(); });
  after(() => sb?.cleanup());

  it('combines the module files, reports a missing module and recovers the relative signal', async () => {
    const dir = join(sb.root, 'r0007');
    const fixture = { run: 7, modules: [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], scan: [-1, 0.5, 2], signal: [0, -0.1, -0.25], pixels: [8, 16] as [number, number] };
    await writeModuleFiles(dir, fixture);
    const out = join(sb.root, 'summary.ipynb');
    const r = await scs(['run', summaryNotebook, out, '-k', sb.kernel, '-p', 'proposalNB', '2719', '-p', 'runNB', '7', '-p', 'path', dir, '-p', 'max_images', '2'], sb.env);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.equal(papermill(out).exception, false);
    assert.match(notebookStdout(out), /missing modules: 5\n/);
    // 3 scan bins, at most 2 images: bins 0 and 2, then the signal plot
    assert.match(notebookStdout(out), /showing 1 in 2 of the 3 scan bins \(max_images = 2\)/);
    const plots = (JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] }).cells
      .flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['application/vnd.vegalite.v5+json']);
    assert.equal(plots.length, 3);

    // the combined file goes below path, not into it: path/*.h5 still matches only module files
    const combinedFile = join(dir, 'combined', 'run7.h5');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.h5')).length, 15);
    const ds = await loadXarray(combinedFile, { group: 'data' });
    assert.deepEqual(ds.get('data').dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    assert.deepEqual(ds.get('data').shape, [3, 3, 15, 8, 16]);
    assert.deepEqual(Array.from(ds.get('data').coords.module.values as ArrayLike<number>, Number), fixture.modules);
    assert.deepEqual(ds.get('pp_difference').dims, ['trainId', 'module', 'x', 'y']);
    const signal = ds.get('relative_signal');
    assert.deepEqual(Array.from(signal.coords.trainId.values as Float64Array), fixture.scan);
    fixture.signal.forEach((s, i) => assert.ok(Math.abs(Number(signal.item(i)) - s) < 1e-12, `scan bin ${i}: ${signal.item(i)} != ${s}`));
    assert.equal(ds.attrs.run, 7);
    assert.deepEqual(Array.from(ds.attrs.missing_modules as ArrayLike<number>, Number), [5]);
  });

  it('only combines the files when the pattern has no pumped and unpumped frames', async () => {
    const dir = join(sb.root, 'r0009');
    await writeModuleFiles(dir, { run: 9, modules: [0, 1], scan: [700, 702], signal: [0, 0], pixels: [8, 16], pulses: ['image'] });
    const out = join(sb.root, 'summary-image.ipynb');
    const r = await scs(['run', summaryNotebook, out, '-k', sb.kernel, '-p', 'runNB', '9', '-p', 'path', dir, '-p', 'xaxis', 'nrj'], sb.env);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.match(notebookStdout(out), /no pump-probe analysis: the pulse labels are image, without 'pumped' and 'unpumped'/);
    assert.match(notebookStdout(out), /missing modules: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n/);
    const ds = await loadXarray(join(dir, 'combined', 'run9.h5'), { group: 'data' });
    assert.deepEqual(ds.dataVars.sort(), ['data', 'data_counts', 'train_counts']);
    assert.deepEqual(ds.get('data').shape, [2, 1, 2, 8, 16]);
  });

  it('fails with a message naming the folder when there are no module files', async () => {
    const out = join(sb.root, 'empty.ipynb');
    const r = await scs(['run', summaryNotebook, out, '-k', sb.kernel, '-p', 'runNB', '8', '-p', 'path', sb.notebooks], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ToolBoxFileError: no module files run_8_module<m>\.h5 in /);
  });
});

describe('scs bin-dssc', function () {
  this.timeout(600_000);
  let sb: BatchSandbox;
  /** sb.env with EXFEL_DATA_ROOT at a small proposal 2719: dark run 1 and delay scan 2, one module per group */
  let env: NodeJS.ProcessEnv;
  before(async () => {
    sb = makeBatchSandbox();
    const root = join(sb.root, 'small');
    const raw = (run: number) => join(root, 'SCS', '202601', 'p002719', 'raw', `r000${run}`);
    const common = { proposal: 2719, trains: 4, frames: 4, modules: [0, 4, 8, 12], pixels: [16, 32] as [number, number], seed: 2, scan: 'delay' as const, scanPoints: 2 };
    await writeMockRun(raw(1), { ...common, run: 1, dark: true });
    await writeMockRun(raw(2), { ...common, run: 2 });
    env = { ...sb.env, EXFEL_DATA_ROOT: root };
  });
  after(() => sb?.cleanup());

  it('--dry-run prints the array script and the dependent summary script', async () => {
    const out = join(sb.root, 'dry');
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '1', '-r', '2', '-x', 'delay', '-b', '0.5', '--output-dir', out, '-k', 'scs-batch', '--partition', 'upex', '--dry-run'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^#SBATCH --array=0-3$/m);
    assert.match(r.stdout, /^#SBATCH --dependency=afterok:ARRAY_JOB_ID$/m);
    assert.match(r.stdout, /run '.*\/notebooks\/DSSC module binning\.ipynb' "\$OUTPUT" -k scs-batch -p proposalNB 2719 -p dark_runNB 1 -p runNB 2 -p path .*\/dry\/ -p xaxis delay -p bin_width 0\.5 -p module_group "\$VALUE"/);
    assert.match(r.stdout, /run '.*\/notebooks\/DSSC summary\.ipynb' "\$OUTPUT" -k scs-batch -p proposalNB 2719 -p runNB 2 -p path .*\/dry\/ -p xaxis delay -p output .*\/dry\/combined\/run2\.h5/);
    assert.ok(!existsSync(out), 'a dry run writes nothing');
  });

  it('rejects a module group outside 0-3 before submitting anything', async () => {
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '1', '-r', '2', '-g', '0,4', '--output-dir', join(sb.root, 'bad'), '--local'], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /scs: ToolBoxValueError: module groups are 0-3 \(4 modules each\), got 0,4/);
    assert.ok(!existsSync(join(sb.root, 'bad')));
  });

  it('a run that does not exist is named before anything is submitted', async () => {
    const root = join(sb.root, 'empty-root');
    mkdirSync(join(root, 'SCS', '202601', 'p002719', 'raw'), { recursive: true });
    const out = join(sb.root, 'missing-run');
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '1', '-r', '2', '--output-dir', out, '-k', sb.kernel, '--local', '--wait'], { ...sb.env, EXFEL_DATA_ROOT: root });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.stdout, '');
    const dir = (run: number) => join(root, 'SCS', '202601', 'p002719', 'raw', `r000${run}`);
    assert.equal(r.stderr, 'scs: DsscWorkflowCheckError: cannot bin the DSSC run, 2 problems:\n'
      + `  - run: run 2 of proposal 2719 has no raw data: ${dir(2)} does not exist\n`
      + `  - dark run: run 1 of proposal 2719 has no raw data: ${dir(1)} does not exist\n`);
    assert.ok(!existsSync(out), 'nothing written');
  });

  it('--local --wait: a failing task fails, the summary is cancelled, exit 1, and the logs printed exist', async () => {
    const out = join(sb.root, 'bad-pattern');
    // an empty frame pattern passes the checks (a notebook parameter) and fails each task at once
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '1', '-r', '2', '--output-dir', out, '-k', sb.kernel, '--local', '--wait', '-s', 'pattern=,'], env);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const id = /^Started local job (local-\S+) \(array of 4 tasks over module_group\)/m.exec(r.stdout)?.[1];
    assert.ok(id, r.stdout);
    const logsLine = /^logs: {10}(\S+)\/ \((.+): each written when its task starts\)$/m.exec(r.stdout);
    assert.ok(logsLine, r.stdout);
    assert.equal(logsLine[1], join(out, 'logs'));
    assert.deepEqual(logsLine[2].split(', ').slice(0, 4), [0, 1, 2, 3].map((g) => `${id}_${g}-scs-dssc-bin-r0002.out`));
    for (const g of [0, 1, 2, 3]) {
      assert.match(r.stderr, new RegExp(`_${g} scs-dssc-bin-r0002 module_group=${g} FAILED exit 1`));
      const nb = join(out, `dssc_binning_group${g}.ipynb`);
      assert.equal(papermill(nb).exception, true);
      assert.match(readFileSync(nb, 'utf8'), /pattern is empty/);
      assert.ok(existsSync(join(out, 'logs', `${id}_${g}-scs-dssc-bin-r0002.out`)), `log of task ${g}`);
    }
    assert.match(r.stderr, /scs-dssc-summary-r0002 CANCELLED \(DependencyNeverSatisfied\)/);
    const failedLogs = [...r.stderr.matchAll(/did not succeed; log: (\S+)/g)].map((m) => m[1]);
    assert.ok(failedLogs.length >= 4, r.stderr);
    for (const log of failedLogs.filter((l) => l.includes('scs-dssc-bin'))) assert.ok(existsSync(log), `the log printed for a failed task exists: ${log}`);
    assert.ok(!existsSync(join(out, 'dssc_summary.ipynb')), 'the summary never ran');
  });

  it('bins a synthetic delay scan on the SLURM cluster: 4 array tasks, then the summary recovers the truth', async function () {
    requireCluster(this);
    const root = join(sb.root, 'exfel');
    const proposal = await writeDemoProposal({ root, trains: 20, frames: 8, pixels: [16, 32] });
    const env = { ...sb.env, EXFEL_DATA_ROOT: root };
    const out = join(sb.root, 'r0002');
    const r = await scs(['bin-dssc', '-p', String(proposal.proposal), '-d', String(proposal.darkRun), '-r', String(proposal.run), '-x', 'delay', '-b', '1',
      '--output-dir', out, '-k', sb.kernel, '--partition', 'exfel', '--time', '0:15:00', '--wait',
      '-s', 'xgm_normalization=true', '-s', 'normevery=2'], env);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const [arrayId, summaryId] = [...r.stdout.matchAll(/^Submitted batch job (\d+)/gm)].map((m) => m[1]);
    assert.ok(arrayId && summaryId, r.stdout);
    for (const g of [0, 1, 2, 3]) assert.match(r.stderr, new RegExp(`${arrayId}_${g} scs-dssc-bin-r0002 module_group=${g} COMPLETED exit 0`));
    assert.match(r.stderr, new RegExp(`${summaryId} scs-dssc-summary-r0002 COMPLETED exit 0`));

    for (const g of [0, 1, 2, 3]) assert.equal(papermill(join(out, `dssc_binning_group${g}.ipynb`)).exception, false);
    assert.equal(papermill(join(out, 'dssc_summary.ipynb')).exception, false);
    for (let m = 0; m < 16; m++) assert.ok(existsSync(join(out, `run_2_module${m}.h5`)), `module ${m} file is missing`);
    const combined = await loadXarray(join(out, 'combined', 'run2.h5'), { group: 'data' });
    assert.deepEqual(combined.get('data').sizes, { ...combined.get('data').sizes, module: 16, x: 16, y: 32 });

    // each scan bin is one scan point of the generator, and its relative ring signal is that point's pumpFactor - 1
    const signal = combined.get('relative_signal');
    const recovered = matchTruth(signal.coords.trainId.values as Float64Array, signal.values as Float64Array, truthSignal(proposal.truth), 1);
    assert.equal(recovered.length, proposal.truth.physics.scan.points.length, `scan bins ${recovered.map((p) => p.scan).join(', ')}`);
    assert.equal(new Set(recovered.map((p) => p.truth?.position)).size, recovered.length, 'two scan bins matched the same scan point');
    for (const p of recovered) {
      assert.ok(p.truth, `scan bin ${p.scan} ps matches no scan point`);
      // photon noise: ~1000 ring pixels x 8 frames per bin give sigma ~ 0.01
      assert.ok(Math.abs(p.signal - p.truth.signal) < 0.04, `scan bin ${p.scan} ps (${p.truth.delayPs.toFixed(2)} ps after t0): recovered ${p.signal}, truth ${p.truth.signal}`);
    }

    // Python reads the module files and the combined file as they are
    await requirePython(this);
    const py = await runPython<{ dims: string[]; shape: number[]; signal: number[] }>(`
ds = xr.open_mfdataset(sys.argv[1] + '/*.h5', group='data', join='inner')
c = xr.open_dataset(sys.argv[2], group='data', engine='h5netcdf')
emit({'dims': list(ds.data.dims), 'shape': list(ds.data.shape), 'signal': c.relative_signal.values.tolist()})`, [out, join(out, 'combined', 'run2.h5')]);
    assert.deepEqual(py.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    assert.deepEqual(py.shape, [5, 3, 16, 16, 32]);
    assert.deepEqual(py.signal, Array.from(signal.values as Float64Array));
  });

  it('scs demo (npm start) submits to SLURM when the cluster answers', async function () {
    requireCluster(this);
    const out = join(sb.root, 'demo');
    const r = await scs(['demo', '--out', out, '--trains', '20', '--pixels', '16,32'], sb.env);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const array = /^submitted to SLURM: job array (\d+) \(4 module groups\), then job (\d+) \(summary, afterok\)$/m.exec(r.stdout);
    assert.ok(array, r.stdout);
    assert.match(r.stdout, new RegExp(`^  ${array[2]} scs-dssc-summary-r0002 COMPLETED exit 0$`, 'm'));
    // one row per scan point: delay axis, delay after t0, recovered, truth
    const rows = [...r.stdout.matchAll(/^ *(-?\d+\.\d+) +(-?\d+\.\d+) +(-?\d+\.\d+) +(-?\d+\.\d+)$/gm)];
    assert.equal(rows.length, 5, r.stdout);
    for (const m of rows) assert.ok(Math.abs(Number(m[3]) - Number(m[4])) < 0.04, m[0]);
  });
});
