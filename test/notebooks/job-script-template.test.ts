/**
 * Which template bin_dssc_module_job.sh runs: by default the toolbox's own
 * `notebooks/DSSC module binning.ipynb`; a folder that still holds the
 * Python era's `Dask DSSC module binning.ipynb` (and not the new name) keeps
 * having that one used. Dry runs: the printed scs command names the notebook.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type ProposalTree, SCS, makeProposalTree, run } from '../environments/helpers.js';

const SCRIPT = join(packageRoot(), 'scripts', 'bin_dssc_module_job.sh');
const TEMPLATE = join(packageRoot(), 'notebooks', 'DSSC module binning.ipynb');
const OLD_NAME = 'Dask DSSC module binning.ipynb';

describe('bin_dssc_module_job.sh: the default template notebook', function () {
  this.timeout(60_000);
  let tree: ProposalTree;
  let env: NodeJS.ProcessEnv;
  before(() => {
    tree = makeProposalTree();
    tree.addProposal(2719);
    env = { ...tree.env, SCS_CMD: `${process.execPath} ${SCS}`, SCS_DRY_RUN: '1' };
    delete env.SCS_NOTEBOOK_DIR;
    delete env.BIN_DSSC_NOTEBOOK;
  });
  after(() => tree?.cleanup());

  /** The notebook argument of the printed `scs run` command (printf %q quoting undone). */
  async function notebookUsed(cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<string> {
    const r = await run('bash', [SCRIPT, '-p', '2719', '-d', '180', '-r', '179'], { ...env, ...extra }, cwd);
    assert.equal(r.code, 0, r.stderr);
    const words = r.stdout.trim().split(/(?<!\\) /).map((w) => w.replace(/\\(.)/g, '$1'));
    return words[words.indexOf('run') + 1];
  }

  it("runs the toolbox's notebooks/DSSC module binning.ipynb when no folder has a template", async () => {
    const cwd = join(tree.root, 'empty');
    mkdirSync(cwd);
    assert.equal(await notebookUsed(cwd), `${packageRoot()}/scripts/../notebooks/DSSC module binning.ipynb`);
  });

  it("keeps using a folder's Python-era 'Dask DSSC module binning.ipynb', and prefers the new name next to it", async () => {
    const dir = join(tree.root, 'old');
    mkdirSync(dir);
    copyFileSync(TEMPLATE, join(dir, OLD_NAME));
    assert.equal(await notebookUsed(tree.root, { SCS_NOTEBOOK_DIR: dir }), join(dir, OLD_NAME));
    assert.equal(await notebookUsed(dir), `./${OLD_NAME}`);
    copyFileSync(TEMPLATE, join(dir, 'DSSC module binning.ipynb'));
    assert.equal(await notebookUsed(tree.root, { SCS_NOTEBOOK_DIR: dir }), join(dir, 'DSSC module binning.ipynb'));
  });
});
