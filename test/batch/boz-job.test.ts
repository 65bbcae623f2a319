/**
 * BOZ part I.a as a SLURM job on the single-node cluster, on a small
 * synthetic BOZ run pair: scripts/boz_parameters_job.sh through sbatch with
 * the Python era's flags, and `scs submit boz` (the template by short name)
 * with the same notebook parameters; each must leave the parameters JSON
 * (ROIs, flat field, Fnl) in the output folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installKernelSpec, packageRoot } from '../../kernel/kernelspec.js';
import { parameters } from '../../toolbox/index.js';
import { type BozRuns, writeBozRuns } from '../../toolbox/synthetic/run/boz-run.js';
import { type ProposalTree, SCS, makeProposalTree, run } from '../environments/helpers.js';
import { requireCluster } from './helpers.js';

const BOZ_NB = 'BOZ analysis part I.a Correction determination.ipynb';
const PROPOSAL = 2937;

describe('BOZ I.a as a SLURM job: boz_parameters_job.sh under sbatch, scs submit boz', function () {
  this.timeout(600_000);
  let tree: ProposalTree;
  let env: NodeJS.ProcessEnv;
  let runs: BozRuns;
  before(async function () {
    requireCluster(this);
    tree = makeProposalTree();
    tree.addProposal(PROPOSAL, '202202');
    runs = await writeBozRuns(tree.dataRoot, { proposal: PROPOSAL, cycle: '202202', darkRun: 615, run: 614, module: 15, trains: 30, frames: 20, seed: 5 });
    const prefix = join(tree.root, 'prefix');
    installKernelSpec({ name: 'scs-boz-job', location: { prefix } });
    env = { ...tree.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), SCS_CMD: `${process.execPath} ${SCS}` };
    delete env.SLURM_JOB_ID;
  });
  after(() => tree?.cleanup());

  async function checkParameters(file: string): Promise<void> {
    const p = await parameters.load(file);
    assert.deepEqual([p.proposal, p.darkrun, p.run, p.module, p.roisTh, p.satLevel], [PROPOSAL, 615, 614, 15, 1, 500]);
    for (const b of ['n', '0', 'p'] as const) assert.ok(Math.abs(p.rois![b].xl - runs.truth.boz.rois[b].xl) <= 1, `ROI ${b}`);
    assert.equal(p.getFnl()!.length, 512);
    assert.equal(p.getFlatField()!.length, 8);
  }

  it('sbatch boz_parameters_job.sh -p -d -r -k -g: the output notebook and the parameters JSON in processed_runs/r0614', async () => {
    const submit = join(tree.root, 'submit-boz');
    mkdirSync(submit);
    const r = await run('sbatch', ['--parsable', '--wait', '--partition', 'exfel', join(packageRoot(), 'scripts', 'boz_parameters_job.sh'),
      '-p', String(PROPOSAL), '-d', '615', '-r', '614', '-k', 'scs-boz-job', '-g', String(runs.truth.boz.gain.photonsPerBin)], env, submit);
    const id = /^(\d+)/.exec(r.stdout)?.[1];
    assert.ok(id, `sbatch printed no job id (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    const log = readFileSync(join(submit, `boz_parameters-${id}.out`), 'utf8');
    assert.equal(r.code, 0, log);
    const out = join(runs.proposalDir, 'usr', 'processed_runs', 'r0614');
    assert.deepEqual(readdirSync(out).sort(), ['boz_parameters_m15.ipynb', `parameters_p${PROPOSAL}_d615_r614.json`]);
    const meta = JSON.parse(readFileSync(join(out, 'boz_parameters_m15.ipynb'), 'utf8')).metadata.papermill;
    assert.equal(meta.exception, false);
    assert.equal(meta.input_path, `${packageRoot()}/scripts/../notebooks/${BOZ_NB}`);
    await checkParameters(join(out, `parameters_p${PROPOSAL}_d615_r614.json`));
  });

  it('scs submit boz -p ... --wait: the same notebook found by its short name, the JSON in the output folder', async () => {
    const out = join(tree.root, 'submitted');
    const r = await run(process.execPath, [SCS, 'submit', 'boz', '-o', out, '-k', 'scs-boz-job', '--partition', 'exfel', '--wait',
      '-p', 'proposal', String(PROPOSAL), '-p', 'darkrun', '615', '-p', 'run', '614', '-p', 'gain', String(runs.truth.boz.gain.photonsPerBin),
      '-p', 'path', `${out}/`], env, tree.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Submitted batch job \d+/);
    const nb = JSON.parse(readFileSync(join(out, 'BOZ analysis part I.a Correction determination.ipynb'), 'utf8'));
    assert.equal(nb.metadata.papermill.input_path, join(packageRoot(), 'notebooks', BOZ_NB));
    await checkParameters(join(out, `parameters_p${PROPOSAL}_d615_r614.json`));
  });

  it('scs submit with an unknown template name says the notebook does not exist', async () => {
    const r = await run(process.execPath, [SCS, 'submit', 'boz-nope', '-o', join(tree.root, 'x'), '--dry-run'], env, tree.root);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /notebook .*boz-nope does not exist/);
  });
});
