/**
 * bin_dssc_module_job.sh and boz_parameters_job.sh submitted with sbatch on
 * the real single-node cluster, with their Python-era flags. sbatch runs a
 * spool copy of the script (…/slurm_script), so these check what the scripts
 * find from there: the scs command (SCS_CMD, or the toolbox around the
 * submitted file, found through scontrol) and the template notebooks.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installKernelSpec, packageRoot } from '../../kernel/kernelspec.js';
import { type ProposalTree, SCS, makeProposalTree, run } from '../environments/helpers.js';
import { requireCluster } from './helpers.js';

const SCRIPTS = join(packageRoot(), 'scripts');
const STAND_INS = join(packageRoot(), 'test', 'fixtures', 'job-notebooks');
const DSSC_NB = 'Dask DSSC module binning.ipynb';
const BOZ_NB = 'BOZ analysis part I.a Correction determination.ipynb';

describe('job scripts submitted with sbatch on a single-node SLURM cluster', function () {
  this.timeout(300_000);
  let tree: ProposalTree;
  let env: NodeJS.ProcessEnv;
  before(function () {
    requireCluster(this);
    tree = makeProposalTree();
    tree.addProposal(2719);
    tree.addProposal(2937, '202202');
    const prefix = join(tree.root, 'prefix');
    installKernelSpec({ name: 'scs-sbatch-job', location: { prefix } });
    env = { ...tree.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
    delete env.SLURM_JOB_ID;
    delete env.SCS_CMD;
  });
  after(() => tree?.cleanup());

  /** `sbatch --wait` from `cwd`: returns the job id and sbatch's exit code (the job's). */
  async function sbatch(cwd: string, script: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ id: string; code: number; log: string }> {
    mkdirSync(cwd, { recursive: true });
    const r = await run('sbatch', ['--parsable', '--wait', '--partition', 'exfel', script, ...args], { ...env, ...extra }, cwd);
    const id = /^(\d+)/.exec(r.stdout)?.[1];
    assert.ok(id, `sbatch printed no job id (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    const [log] = readdirSync(cwd).filter((f) => f.endsWith(`-${id}.out`));
    assert.ok(log, `no log of job ${id} in ${cwd}: ${readdirSync(cwd).join(', ')}`);
    return { id, code: r.code, log: readFileSync(join(cwd, log), 'utf8') };
  }

  it('bin_dssc_module_job.sh -p -d -r -m -x -b: output<group>.ipynb in processed_runs/r0179, log %x-%j.out in the submission folder', async () => {
    const submit = join(tree.root, 'submit-dssc');
    const job = await sbatch(submit, join(SCRIPTS, 'bin_dssc_module_job.sh'),
      ['-p', '2719', '-d', '180', '-r', '179', '-k', 'scs-sbatch-job', '-m', '1', '-x', 'delay', '-b', '0.5'],
      { SCS_CMD: `${process.execPath} ${SCS}`, SCS_NOTEBOOK_DIR: STAND_INS });
    assert.equal(job.code, 0, job.log);
    assert.deepEqual(readdirSync(submit), [`bin_dssc_module-${job.id}.out`]);
    const out = join(tree.dataRoot, 'SCS', '202201', 'p002719', 'usr', 'processed_runs', 'r0179');
    assert.deepEqual(readdirSync(out).sort(), ['binned_m1.json', 'output1.ipynb']);
    const received = JSON.parse(readFileSync(join(out, 'binned_m1.json'), 'utf8'));
    assert.deepEqual({ ...received, toolbox: undefined }, {
      proposalNB: 2719, dark_runNB: 180, runNB: 179, module_group: 1, path: `${out}/`, xaxis: 'delay', bin_width: 0.5, cwd: out, tb: 'function', toolbox: undefined,
    });
    const meta = JSON.parse(readFileSync(join(out, 'output1.ipynb'), 'utf8')).metadata.papermill;
    assert.equal(meta.exception, false);
    assert.equal(meta.input_path, join(STAND_INS, DSSC_NB));
    assert.deepEqual(meta.parameters, { proposalNB: 2719, dark_runNB: 180, runNB: 179, module_group: 1, path: `${out}/`, xaxis: 'delay', bin_width: 0.5 });
    assert.match(job.log, new RegExp(`^running: ${process.execPath} ${SCS} run ${join(STAND_INS, DSSC_NB)} ${join(out, 'output1.ipynb')} -k scs-sbatch-job`, 'm'));
    assert.match(job.log, /^Finished 3\/3 cells/m);
  });

  it('boz_parameters_job.sh -p -d -r -g -t -s -m without SCS_CMD: scs and the templates found beside the submitted file, not the spool copy', async () => {
    // a toolbox folder: scripts/ (the job script), notebooks/ (templates), dist/scripts/scs.js (this build's scs)
    const toolbox = join(tree.root, 'toolbox');
    for (const dir of ['scripts', 'notebooks', join('dist', 'scripts')]) mkdirSync(join(toolbox, dir), { recursive: true });
    copyFileSync(join(SCRIPTS, 'boz_parameters_job.sh'), join(toolbox, 'scripts', 'boz_parameters_job.sh'));
    copyFileSync(join(STAND_INS, BOZ_NB), join(toolbox, 'notebooks', BOZ_NB));
    writeFileSync(join(toolbox, 'dist', 'scripts', 'scs.js'), `void require(${JSON.stringify(SCS)}).main();\n`);
    const submit = join(tree.root, 'submit-boz');
    // PATH without any scs: only the lookup through scontrol's Command can find it
    const job = await sbatch(submit, join(toolbox, 'scripts', 'boz_parameters_job.sh'),
      ['-p', '2937', '-d', '615', '-r', '614', '-k', 'scs-sbatch-job', '-g', '2.5', '-t', '6', '-s', '800', '-m', '7'],
      { PATH: '/usr/local/bin:/usr/bin:/bin' });
    assert.equal(job.code, 0, job.log);
    const out = join(tree.dataRoot, 'SCS', '202202', 'p002937', 'usr', 'processed_runs', 'r0614');
    assert.deepEqual(readdirSync(out).sort(), ['boz_parameters_m7.ipynb', 'parameters_p2937_d615_r614_m7.json']);
    const received = JSON.parse(readFileSync(join(out, 'parameters_p2937_d615_r614_m7.json'), 'utf8'));
    assert.deepEqual({ ...received, toolbox: undefined }, {
      proposal: 2937, darkrun: 615, run: 614, module: 7, gain: 2.5, rois_th: 6, sat_level: 800, path: `${out}/`, toolbox: undefined,
    });
    const meta = JSON.parse(readFileSync(join(out, 'boz_parameters_m7.ipynb'), 'utf8')).metadata.papermill;
    assert.equal(meta.exception, false);
    assert.equal(meta.input_path, `${toolbox}/scripts/../notebooks/${BOZ_NB}`);
    assert.match(job.log, new RegExp(`^running: node ${toolbox}/scripts/\\.\\./dist/scripts/scs\\.js run `, 'm'));
    assert.deepEqual(readdirSync(submit), [`boz_parameters-${job.id}.out`]);
  });

  it('under sbatch, messages name the submitted script; without SCS_CMD or a toolbox around it, scs comes from node_modules/.bin of the submission folder', async () => {
    const lone = join(tree.root, 'lone');
    mkdirSync(lone);
    copyFileSync(join(SCRIPTS, 'bin_dssc_module_job.sh'), join(lone, 'bin_dssc_module_job.sh'));
    const script = join(lone, 'bin_dssc_module_job.sh');
    const submit = join(tree.root, 'submit-lone');
    const bare = { PATH: '/usr/local/bin:/usr/bin:/bin', SCS_NOTEBOOK_DIR: STAND_INS };
    let job = await sbatch(submit, script, ['-p', '2719', '-d', '1', '-r', '2', '-z', '1'], bare);
    assert.equal(job.code, 2);
    assert.match(job.log, /^bin_dssc_module_job\.sh: unknown option -z\nusage: bin_dssc_module_job\.sh -p PROPOSAL/);
    job = await sbatch(submit, script, ['-p', '2719', '-d', '1', '-r', '2'], bare);
    assert.equal(job.code, 2);
    assert.equal(job.log.trim(), `bin_dssc_module_job.sh: cannot find the scs command (not in ${lone}/../dist/scripts, on PATH or in ${submit}/node_modules/.bin/scs): set SCS_CMD`);
    // a project that installed the toolbox as a dependency
    mkdirSync(join(submit, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(submit, 'node_modules', '.bin', 'scs'), `#!/bin/sh\nexec ${process.execPath} ${SCS} "$@"\n`, { mode: 0o755 });
    job = await sbatch(submit, script, ['-p', '2719', '-d', '1', '-r', '2', '-k', 'scs-sbatch-job', '-m', '3'], bare);
    assert.equal(job.code, 0, job.log);
    assert.match(job.log, new RegExp(`^running: ${submit}/node_modules/\\.bin/scs run `, 'm'));
    const out = join(tree.dataRoot, 'SCS', '202201', 'p002719', 'usr', 'processed_runs', 'r0002');
    assert.equal(JSON.parse(readFileSync(join(out, 'output3.ipynb'), 'utf8')).metadata.papermill.parameters.module_group, 3);
  });
});
