/**
 * Bad input to scs-create-toolbox-env and scs env: one clear message, exit 1,
 * and nothing left behind in the proposal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CREATE_BIN, type ProposalTree, SCS, makeProposalTree, node } from './helpers.js';

describe('environments: bad input', function () {
  this.timeout(300_000);
  let tree: ProposalTree;
  let proposal: string;
  beforeEach(() => {
    tree = makeProposalTree();
    proposal = tree.addProposal(2719);
  });
  afterEach(() => tree.cleanup());

  it('proposal folder not found', async () => {
    const r = await node(CREATE_BIN, ['--proposal', '4242'], tree.env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `scs-create-toolbox-env: ToolBoxPathError: proposal folder not found: no ${tree.dataRoot}/<instrument>/<cycle>/p004242 (set EXFEL_DATA_ROOT if the data is elsewhere)`);
    assert.deepEqual(readdirSync(proposal), ['raw']);
  });

  it('version tag not in the repository', async () => {
    const r = await node(CREATE_BIN, ['--proposal', '2719', '--version', 'v99.0.0-no-such-tag'], tree.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^scs-create-toolbox-env: ToolBoxValueError: version 'v99\.0\.0-no-such-tag' is not a tag, branch or commit in the repository \S+ \(tags: /);
    assert.deepEqual(readdirSync(proposal), ['raw']);
    // the same through `scs env create`: --version is the subcommand's, not scs's own
    const viaScs = await node(SCS, ['env', 'create', '--proposal', '2719', '--version', 'v99.0.0-no-such-tag'], tree.env);
    assert.equal(viaScs.code, 1);
    assert.match(viaScs.stderr, /^scs: ToolBoxValueError: version 'v99\.0\.0-no-such-tag' is not a tag/);
    assert.deepEqual(readdirSync(proposal), ['raw']);
  });

  it('environment already exists (even half of one)', async () => {
    const env = join(proposal, 'scratch', 'envs', 'toolbox_p002719');
    mkdirSync(env, { recursive: true });
    const r = await node(CREATE_BIN, ['--proposal', '2719'], tree.env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `scs-create-toolbox-env: ToolBoxPathError: environment toolbox_p002719 already exists: ${env} is there `
      + "(remove it with 'scs env remove --proposal 2719 --identifier p002719', or choose another --identifier)");
    assert.ok(existsSync(env));
    assert.ok(!existsSync(join(proposal, 'scratch', 'checkouts')));
  });

  it('a creation failing after the clone (offline, empty npm cache) removes everything it made', async () => {
    const emptyCache = join(tree.root, 'empty-npm-cache');
    mkdirSync(emptyCache);
    const r = await node(CREATE_BIN, ['--proposal', '2719', '--identifier', 'broken', '--offline', '--npm-cache', emptyCache], tree.env);
    assert.equal(r.code, 1);
    // the clone had happened: the failure is the offline install
    assert.match(r.stdout, /cloning .* into .*toolbox_broken/);
    assert.match(r.stderr, /EnvironmentCommandError: installing the dependencies into \S+toolbox_broken \(offline, from the npm cache\) failed .*exited with \d+\)/);
    assert.match(r.stderr, /ENOTCACHED/);
    assert.deepEqual(readdirSync(proposal), ['raw']);
  });

  it('SIGTERM while compiling the checkout stops the creation and removes what it made', async () => {
    const child = spawn(process.execPath, [CREATE_BIN, '--proposal', '2719', '--offline'], { env: tree.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = once(child, 'close');
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('compiling ')) resolve();
      });
      child.on('close', () => resolve());
    });
    assert.ok(existsSync(join(proposal, 'scratch', 'envs', 'toolbox_p002719', 'node_modules')), `not compiling yet: ${stdout}${stderr}`);
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 1);
    assert.equal(stderr.trim(), 'scs-create-toolbox-env: ToolBoxError: creation of toolbox_p002719 stopped by SIGTERM; removed what it had made');
    assert.deepEqual(readdirSync(proposal), ['raw']);
  });

  it('an invalid identifier, and removing or activating an environment that is not there', async () => {
    let r = await node(CREATE_BIN, ['--proposal', '2719', '--identifier', 'my env'], tree.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ToolBoxValueError: invalid identifier 'my env'/);
    r = await node(SCS, ['env', 'remove', '--proposal', '2719'], tree.env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `scs: ToolBoxPathError: no environment toolbox_p002719 in ${proposal}/scratch `
      + `(neither ${proposal}/scratch/checkouts/toolbox_p002719 nor ${proposal}/scratch/envs/toolbox_p002719 exists)`);
    r = await node(SCS, ['env', 'activate', '--proposal', '2719'], tree.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ToolBoxPathError: no environment toolbox_p002719 in .* \(create it with scs-create-toolbox-env\)/);
    r = await node(SCS, ['env', 'list', '--proposal', '2719'], tree.env);
    assert.equal(r.stdout.trim(), `no environments in ${proposal}/scratch`);
    assert.deepEqual(readdirSync(proposal), ['raw']);
  });
});
