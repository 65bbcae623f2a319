/**
 * A proposal environment from creation to removal, on a synthetic proposal
 * tree: create (offline, from the npm cache), activate, use (a notebook on
 * the env's kernel through `scs run`, and the DSSC job script with its
 * default kernel), edit the checkout and rebuild, then remove.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, lstatSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import {
  ACTIVATE_BIN, CREATE_BIN, type ProposalTree, SCS, makeProposalTree, node, probeNotebook, run, streamText,
} from './helpers.js';

describe('environments: create, activate, use, edit and remove a proposal environment', function () {
  this.timeout(300_000);
  let tree: ProposalTree;
  let proposal: string;
  let checkout: string;
  let envDir: string;
  let created: { code: number; stdout: string; stderr: string };

  before(async () => {
    tree = makeProposalTree();
    proposal = tree.addProposal(2719);
    checkout = join(proposal, 'scratch', 'checkouts', 'toolbox_p002719');
    envDir = join(proposal, 'scratch', 'envs', 'toolbox_p002719');
    created = await node(CREATE_BIN, ['--proposal', '2719', '--offline'], tree.env);
  });
  after(() => tree?.cleanup());

  async function runProbe(label: string): Promise<string> {
    const nbDir = join(tree.root, 'notebooks');
    const input = join(nbDir, 'probe.ipynb');
    const output = join(nbDir, `probe-${label}.ipynb`);
    await run('mkdir', ['-p', nbDir], tree.env);
    writeFileSync(input, JSON.stringify(probeNotebook('toolbox_p002719')));
    const r = await node(SCS, ['run', input, output, '-p', 'label', label, '--cwd', nbDir], tree.env);
    assert.equal(r.code, 0, r.stderr);
    return streamText(JSON.parse(readFileSync(output, 'utf8')));
  }

  it('creates a git checkout at HEAD, its dependencies in the env and the kernelspec toolbox_p002719', async () => {
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created toolbox_p002719 \(HEAD = [0-9a-f]{12}\)/);
    const head = (await run('git', ['-C', packageRoot(), 'rev-parse', 'HEAD'], tree.env)).stdout.trim();
    assert.equal((await run('git', ['-C', checkout, 'rev-parse', 'HEAD'], tree.env)).stdout.trim(), head);
    // a clean, normal checkout: the node_modules link and dist/ are ignored files
    assert.equal((await run('git', ['-C', checkout, 'status', '--porcelain'], tree.env)).stdout, '');
    assert.ok(lstatSync(join(checkout, 'node_modules')).isSymbolicLink());
    assert.equal(realpathSync(join(checkout, 'node_modules')), join(envDir, 'node_modules'));
    assert.ok(existsSync(join(envDir, 'node_modules', 'tslab', 'package.json')));
    assert.ok(existsSync(join(checkout, 'dist', 'kernel', 'main.js')));
    const spec = JSON.parse(readFileSync(join(envDir, 'share', 'jupyter', 'kernels', 'toolbox_p002719', 'kernel.json'), 'utf8'));
    // launch.sh of that checkout starts its node from the startup snapshot when one exists (docs/kernel.md)
    assert.deepEqual([...spec.argv.slice(0, 4), spec.argv[5]], ['/bin/sh', join(checkout, 'kernel', 'launch.sh'), process.execPath, join(checkout, 'dist', 'kernel', 'main.js'), '{connection_file}']);
    assert.match(spec.argv[4], /kernel-snapshot\/[0-9a-f]+$/);
    assert.equal(spec.display_name, 'SCS Toolbox (p002719)');
    assert.equal(spec.metadata.scs_toolbox.path, checkout);
    // nothing in the user's Jupyter dir until activation
    assert.ok(!existsSync(join(tree.jupyterDataDir, 'kernels', 'toolbox_p002719')));
  });

  it('activates: installs toolbox_p002719 for the user, and lists the environment as activated', async () => {
    const r = await node(ACTIVATE_BIN, ['--proposal', 'p002719'], tree.env);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(tree.jupyterDataDir, 'kernels', 'toolbox_p002719');
    assert.equal(r.stdout.trim(), `installed kernelspec toolbox_p002719 ("SCS Toolbox (p002719)") in ${dir}`);
    assert.equal(JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')).argv[3], join(checkout, 'dist', 'kernel', 'main.js'));
    const list = JSON.parse((await node(SCS, ['env', 'list', '--proposal', '2719', '--json'], tree.env)).stdout);
    assert.equal(list.length, 1);
    assert.equal(list[0].name, 'toolbox_p002719');
    assert.equal(list[0].activated, true);
    assert.equal(list[0].hasEnv, true);
    assert.match(list[0].version, /^[0-9a-f]{7,}$|^v?\d/);
  });

  it("runs a notebook on the env's kernel: toolbox from the checkout, packages from the env", async () => {
    const text = await runProbe('first');
    assert.match(text, /^label=first$/m);
    assert.match(text, /^marker=absent$/m);
    assert.match(text, new RegExp(`^toolbox=${join(checkout, 'dist', 'toolbox', 'index.js')}$`, 'm'));
    assert.match(text, new RegExp(`^tslab=${join(envDir, 'node_modules', 'tslab', 'dist', 'executor.js')}$`, 'm'));
  });

  it("bin_dssc_module_job.sh uses the proposal environment's kernel toolbox_p<6 digits> by default", async () => {
    const script = join(packageRoot(), 'scripts', 'bin_dssc_module_job.sh');
    const env = { ...tree.env, SCS_CMD: `${process.execPath} ${SCS}`, SCS_NOTEBOOK_DIR: join(packageRoot(), 'test', 'fixtures', 'job-notebooks') };
    const r = await run('bash', [script, '-p', '2719', '-d', '180', '-r', '179', '-m', '1'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = join(proposal, 'usr', 'processed_runs', 'r0179');
    const nb = JSON.parse(readFileSync(join(out, 'output1.ipynb'), 'utf8'));
    assert.equal(nb.metadata.papermill.parameters.module_group, 1);
    assert.match(r.stdout, / -k toolbox_p002719 /);
    const received = JSON.parse(readFileSync(join(out, 'binned_m1.json'), 'utf8'));
    assert.equal(received.module_group, 1);
    // the stand-in notebook ran on the environment's toolbox
    assert.equal(received.toolbox, join(checkout, 'dist', 'toolbox', 'index.js'));
  });

  it('runs what the checkout holds after an edit and a rebuild, without reinstalling', async () => {
    appendFileSync(join(checkout, 'toolbox', 'index.ts'), "\nexport const proposalEnvMarker = 'edited in the checkout';\n");
    const build = await run(process.execPath, [join(checkout, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', checkout], tree.env, checkout);
    assert.equal(build.code, 0, build.stdout + build.stderr);
    const text = await runProbe('second');
    assert.match(text, /^marker=edited in the checkout$/m);
    assert.match(text, /^label=second$/m);
    const list = JSON.parse((await node(SCS, ['env', 'list', '--proposal', '2719', '--json'], tree.env)).stdout);
    assert.match(list[0].version, /-dirty$/);
  });

  it('refuses to create it again', async () => {
    const r = await node(CREATE_BIN, ['--proposal', '2719', '--offline'], tree.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ToolBoxPathError: environment toolbox_p002719 already exists/);
    assert.ok(existsSync(join(checkout, 'dist', 'kernel', 'main.js')));
  });

  it("removes checkout, env and the user's kernelspec", async () => {
    const r = await node(SCS, ['env', 'remove', '--proposal', '2719'], tree.env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `removed ${join(tree.jupyterDataDir, 'kernels', 'toolbox_p002719')}`, `removed ${checkout}`, `removed ${envDir}`,
    ]);
    assert.deepEqual(readdirSync(join(proposal, 'scratch', 'checkouts')), []);
    assert.deepEqual(readdirSync(join(proposal, 'scratch', 'envs')), []);
    assert.deepEqual(readdirSync(join(tree.jupyterDataDir, 'kernels')), []);
    assert.equal((await node(SCS, ['env', 'list', '--proposal', '2719'], tree.env)).stdout.trim(), `no environments in ${proposal}/scratch`);
  });
});
