/**
 * bin_dssc_module_job.sh and boz_parameters_job.sh run directly with bash
 * (sbatch is covered by the SLURM tests): their getopts flags and defaults
 * (dry runs printing the scs command), bad input, and real runs of stand-in
 * template notebooks on our kernel writing into
 * <proposal>/usr/processed_runs/r<4-digit run>/.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installKernelSpec, packageRoot } from '../../kernel/kernelspec.js';
import { type ProposalTree, SCS, makeProposalTree, run } from '../environments/helpers.js';

const BIN_DSSC = join(packageRoot(), 'scripts', 'bin_dssc_module_job.sh');
const BOZ = join(packageRoot(), 'scripts', 'boz_parameters_job.sh');
const STAND_INS = join(packageRoot(), 'test', 'fixtures', 'job-notebooks');
const DSSC_NB = join(STAND_INS, 'Dask DSSC module binning.ipynb');
const BOZ_NB = join(STAND_INS, 'BOZ analysis part I.a Correction determination.ipynb');

describe('job scripts: bin_dssc_module_job.sh and boz_parameters_job.sh', function () {
  this.timeout(120_000);
  let tree: ProposalTree;
  let proposal: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    tree = makeProposalTree();
    proposal = tree.addProposal(2719);
    tree.addProposal(2937, '202202');
    env = { ...tree.env, SCS_CMD: `${process.execPath} ${SCS}`, SCS_NOTEBOOK_DIR: STAND_INS };
  });
  after(() => tree.cleanup());

  const bash = (script: string, args: string[], extra: NodeJS.ProcessEnv = {}) => run('bash', [script, ...args], { ...env, ...extra }, tree.root);
  const dry = (script: string, args: string[]) => bash(script, args, { SCS_DRY_RUN: '1' });
  /** The printed command as words (printf %q quoting: spaces are backslash-escaped). */
  const words = (line: string) => line.trim().split(/(?<!\\) /).map((w) => w.replace(/\\(.)/g, '$1'));
  const pairs = (w: string[]) => Object.fromEntries(w.flatMap((x, i) => (x === '-p' ? [[w[i + 1], w[i + 2]]] : [])));

  it('bin_dssc_module_job.sh: -p -d -r -k -m -x -b become scs run parameters, output r<4 digits>/output<group>.ipynb', async () => {
    const r = await dry(BIN_DSSC, ['-p', '2719', '-d', '180', '-r', '179', '-k', 'my_kernel', '-m', '3', '-x', 'scannerX', '-b', '0.25']);
    assert.equal(r.code, 0, r.stderr);
    const w = words(r.stdout);
    const out = join(proposal, 'usr', 'processed_runs', 'r0179');
    assert.deepEqual(w.slice(0, 8), [process.execPath, SCS, 'run', DSSC_NB, join(out, 'output3.ipynb'), '-k', 'my_kernel', '--cwd']);
    assert.equal(w[8], out);
    assert.deepEqual(pairs(w), {
      proposalNB: '2719', dark_runNB: '180', runNB: '179', module_group: '3', path: `${out}/`, xaxis: 'scannerX', bin_width: '0.25',
    });
    // a dry run creates nothing
    assert.ok(!existsSync(join(proposal, 'usr')));
  });

  it('bin_dssc_module_job.sh defaults: kernel toolbox_p002719, module group 0, axis delay, bin width 0.1', async () => {
    const r = await dry(BIN_DSSC, ['-p', '2719', '-d', '180', '-r', '9']);
    assert.equal(r.code, 0, r.stderr);
    const w = words(r.stdout);
    assert.equal(w[w.indexOf('-k') + 1], 'toolbox_p002719');
    assert.equal(w[4], join(proposal, 'usr', 'processed_runs', 'r0009', 'output0.ipynb'));
    const p = pairs(w);
    assert.deepEqual([p.module_group, p.xaxis, p.bin_width], ['0', 'delay', '0.1']);
  });

  it('boz_parameters_job.sh: -p -d -r -k -g -t -s -m, and its defaults (gain 3, ROI threshold 1, saturation 500, module 15)', async () => {
    let r = await dry(BOZ, ['-p', '2937', '-d', '615', '-r', '614', '-k', 'k1', '-g', '2.5', '-t', '6', '-s', '800', '-m', '7']);
    assert.equal(r.code, 0, r.stderr);
    const out = join(tree.dataRoot, 'SCS', '202202', 'p002937', 'usr', 'processed_runs', 'r0614');
    let w = words(r.stdout);
    assert.deepEqual(w.slice(3, 7), [BOZ_NB, join(out, 'boz_parameters_m7.ipynb'), '-k', 'k1']);
    assert.deepEqual(pairs(w), { proposal: '2937', darkrun: '615', run: '614', module: '7', gain: '2.5', rois_th: '6', sat_level: '800', path: `${out}/` });
    r = await dry(BOZ, ['-p', '2937', '-d', '615', '-r', '614']);
    w = words(r.stdout);
    assert.equal(w[w.indexOf('-k') + 1], 'toolbox_p002937');
    const p = pairs(w);
    assert.deepEqual([p.gain, p.rois_th, p.sat_level, p.module], ['3', '1', '500', '15']);
  });

  it('bad input: unknown flag, missing value, missing or non-numeric run, unknown proposal, missing template', async () => {
    let r = await dry(BIN_DSSC, ['-p', '2719', '-d', '1', '-r', '2', '-z', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^bin_dssc_module_job\.sh: unknown option -z\nusage: bin_dssc_module_job\.sh -p PROPOSAL/);
    r = await dry(BOZ, ['-p', '2719', '-d', '1', '-r']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^boz_parameters_job\.sh: option -r needs a value/);
    r = await dry(BIN_DSSC, ['-p', '2719', '-d', '1']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), "bin_dssc_module_job.sh: option -r (run) needs a number, got ''");
    r = await dry(BOZ, ['-p', '2719', '-d', 'dark', '-r', '3']);
    assert.equal(r.stderr.trim(), "boz_parameters_job.sh: option -d (dark run) needs a number, got 'dark'");
    r = await dry(BOZ, ['-p', '2719', '-d', '1', '-r', '3', '-g', 'high']);
    assert.equal(r.stderr.trim(), "boz_parameters_job.sh: option -g (gain) needs a number, got 'high'");
    r = await dry(BIN_DSSC, ['-p', '4242', '-d', '1', '-r', '2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ToolBoxPathError: proposal folder not found: no .*\/p004242/);
    r = await bash(BIN_DSSC, ['-p', '2719', '-d', '1', '-r', '2'], { SCS_NOTEBOOK_DIR: '', BIN_DSSC_NOTEBOOK: join(tree.root, 'nope.ipynb') });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `bin_dssc_module_job.sh: template notebook BIN_DSSC_NOTEBOOK='${join(tree.root, 'nope.ipynb')}' not found`);
    assert.ok(!existsSync(join(proposal, 'usr')));
  });

  describe('real runs on our kernel', () => {
    before(() => {
      installKernelSpec({ name: 'scs-job-test', location: { prefix: join(tree.root, 'prefix') } });
      env.JUPYTER_PATH = join(tree.root, 'prefix', 'share', 'jupyter');
    });

    it('bin_dssc_module_job.sh runs the template into <proposal>/usr/processed_runs/r0179/ (created)', async () => {
      const r = await bash(BIN_DSSC, ['-p', '2719', '-d', '180', '-r', '179', '-k', 'scs-job-test', '-m', '2', '-x', 'delay', '-b', '0.5']);
      assert.equal(r.code, 0, r.stderr);
      const out = join(proposal, 'usr', 'processed_runs', 'r0179');
      assert.deepEqual(readdirSync(out).sort(), ['binned_m2.json', 'output2.ipynb']);
      const received = JSON.parse(readFileSync(join(out, 'binned_m2.json'), 'utf8'));
      assert.deepEqual(received, {
        proposalNB: 2719, dark_runNB: 180, runNB: 179, module_group: 2, path: `${out}/`, xaxis: 'delay', bin_width: 0.5,
        cwd: out, tb: 'function', toolbox: join(__dirname, '..', '..', 'toolbox', 'index.js'),
      });
      const nb = JSON.parse(readFileSync(join(out, 'output2.ipynb'), 'utf8'));
      assert.equal(nb.metadata.papermill.exception, false);
      assert.equal(nb.metadata.papermill.input_path, DSSC_NB);
    });

    it('boz_parameters_job.sh runs the template with the BOZ parameters typed as numbers', async () => {
      const r = await bash(BOZ, ['-p', '2937', '-d', '615', '-r', '614', '-k', 'scs-job-test', '-g', '3']);
      assert.equal(r.code, 0, r.stderr);
      const out = join(tree.dataRoot, 'SCS', '202202', 'p002937', 'usr', 'processed_runs', 'r0614');
      assert.deepEqual(readdirSync(out).sort(), ['boz_parameters_m15.ipynb', 'parameters_p2937_d615_r614_m15.json']);
      const received = JSON.parse(readFileSync(join(out, 'parameters_p2937_d615_r614_m15.json'), 'utf8'));
      assert.deepEqual({ ...received, toolbox: undefined }, {
        proposal: 2937, darkrun: 615, run: 614, module: 15, gain: 3, rois_th: 1, sat_level: 500, path: `${out}/`, toolbox: undefined,
      });
    });

    it('a failing notebook fails the job with the runner exit code', async () => {
      const r = await bash(BIN_DSSC, ['-p', '2719', '-d', '1', '-r', '5', '-k', 'scs-job-test'],
        { BIN_DSSC_NOTEBOOK: join(packageRoot(), 'test', 'fixtures', 'notebooks', 'typescript-error.ipynb') });
      assert.equal(r.code, 1);
      assert.ok(existsSync(join(proposal, 'usr', 'processed_runs', 'r0005', 'output0.ipynb')));
    });
  });
});
